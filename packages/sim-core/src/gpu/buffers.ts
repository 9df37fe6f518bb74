/**
 * Copies `byteLength` bytes of `source` (which needs COPY_SRC usage) from `offset` into a
 * new ArrayBuffer, through a temporary MAP_READ buffer. For tests, debugging and
 * occasional readbacks; a backend reading every step should keep its staging buffers.
 */
export async function readBuffer(device: GPUDevice, source: GPUBuffer, byteLength = source.size, offset = 0): Promise<ArrayBuffer> {
  const staging = device.createBuffer({ label: 'readBuffer staging', size: byteLength, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(source, offset, staging, 0, byteLength);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    return staging.getMappedRange().slice(0);
  } finally {
    staging.destroy();
  }
}

/**
 * Creates a buffer holding `data` (its byte length rounded up to 4). `usage` is added to
 * COPY_DST. Use for inputs; for outputs create the buffer and fill it with a poison value.
 */
export function createBufferWithData(device: GPUDevice, data: ArrayBufferView, usage: GPUBufferUsageFlags, label?: string): GPUBuffer {
  const size = Math.max(4, Math.ceil(data.byteLength / 4) * 4);
  const buffer = device.createBuffer({ label, size, usage: usage | GPUBufferUsage.COPY_DST });
  const bytes = new Uint8Array(size);
  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  device.queue.writeBuffer(buffer, 0, bytes);
  return buffer;
}
