/**
 * What the WebGPU backends share about running one invocation per world: the workgroup size,
 * the dispatch over a 2-D grid of workgroups (a kernel finds its world as
 * `gid.x + gid.y · groups.x · WORKGROUP_SIZE`), and their storage buffers.
 */

/** Default invocations (worlds) per workgroup of the backends' kernels (their `WORKGROUP_SIZE` override). */
export const DEFAULT_WORKGROUP_SIZE = 64;

/** The workgroup size to use: `requested` or the default; throws unless it is an integer in [1, 256]. */
export function checkedWorkgroupSize(requested: number | undefined): number {
  const size = requested ?? DEFAULT_WORKGROUP_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > 256) throw new Error(`workgroupSize must be an integer in [1, 256] (got ${size})`);
  return size;
}

/** Encodes one dispatch of `pipeline` over `numWorlds` worlds, `workgroupSize` per workgroup. */
export function dispatchWorlds(encoder: GPUCommandEncoder, pipeline: GPUComputePipeline, bindGroup: GPUBindGroup, numWorlds: number, workgroupSize: number): void {
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  const groups = Math.ceil(numWorlds / workgroupSize);
  const x = Math.min(groups, 65535);
  pass.dispatchWorkgroups(x, Math.ceil(groups / x));
  pass.end();
}

/** A GPU buffer of at least `size` bytes (rounded up to 16) with `usage` plus copies both ways. */
export function worldBuffer(device: GPUDevice, label: string, size: number, usage: number): GPUBuffer {
  return device.createBuffer({ label, size: Math.max(16, Math.ceil(size / 16) * 16), usage: usage | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
}
