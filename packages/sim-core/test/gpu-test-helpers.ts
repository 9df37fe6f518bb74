import { createComputePipeline, readBuffer } from '../src/gpu/index.js';
import type { ShaderInput } from '../src/gpu/index.js';

/** A word no kernel writes by accident: 0xFFFFFFFF (a NaN as f32). */
export const POISON = 0xffffffff;

/** A storage buffer of `words` u32 filled with {@link POISON}, so a kernel that writes nothing fails. */
export function poisonedStorage(device: GPUDevice, words: number, label = 'poisoned output'): GPUBuffer {
  const buffer = device.createBuffer({
    label,
    size: words * 4,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    mappedAtCreation: true,
  });
  new Uint32Array(buffer.getMappedRange()).fill(POISON);
  buffer.unmap();
  return buffer;
}

/** Runs `entryPoint` of `shader` once with bind group 0 = `buffers` (binding i = buffers[i]), then reads back `read`. */
export async function runKernel(
  device: GPUDevice,
  shader: ShaderInput,
  entryPoint: string,
  buffers: GPUBuffer[],
  workgroups: number,
  read: GPUBuffer,
): Promise<ArrayBuffer> {
  const pipeline = await createComputePipeline(device, shader, entryPoint);
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(workgroups);
  pass.end();
  device.queue.submit([encoder.finish()]);
  return readBuffer(device, read);
}
