/**
 * Buffer helpers of the kernels that run beside the Sim's (GPU training, GPU evaluation,
 * GPU generation): storage buffers tests can fill and read, struct uniforms, bind groups.
 */
import { structView, type StructLayout } from '@gripgen/shaders';
import { createBufferWithData } from './buffers.js';

/**
 * Usage of every storage buffer made here: bindable, and copyable both ways (uploads,
 * readback, tests). A function: in Node, `GPUBufferUsage` exists only once Dawn is loaded.
 */
function storageUsage(): GPUBufferUsageFlags {
  return GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
}

/** A storage buffer of `words` 4-byte values (at least one), contents zero. */
export function createStorageBuffer(device: GPUDevice, words: number, label: string): GPUBuffer {
  return device.createBuffer({ label, size: 4 * Math.max(1, words), usage: storageUsage() });
}

/** A storage buffer holding `data`. */
export function createStorageBufferWithData(device: GPUDevice, data: ArrayBufferView, label: string): GPUBuffer {
  return createBufferWithData(device, data, storageUsage(), label);
}

/** A uniform buffer holding one `layout` struct with the given field values (scalar fields only). */
export function createUniformBuffer<F extends string>(
  device: GPUDevice,
  layout: StructLayout<F>,
  values: Readonly<Record<F, number>>,
  label: string,
): GPUBuffer {
  const view = structView(layout, new ArrayBuffer(layout.size));
  for (const field of layout.fields) view.write(0, field.name as F, values[field.name as F]);
  return createBufferWithData(device, view.u32, GPUBufferUsage.UNIFORM, label);
}

/** A bind group for group 0 of `pipeline` with binding `i` = `buffers[i]`. */
export function bindBuffers(device: GPUDevice, pipeline: GPUComputePipeline, buffers: readonly GPUBuffer[], label: string): GPUBindGroup {
  return device.createBindGroup({
    label,
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
}
