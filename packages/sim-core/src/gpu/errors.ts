/** No WebGPU adapter of the requested kind could be obtained (nothing was acquired). */
export class GpuUnavailableError extends Error {
  override name = 'GpuUnavailableError';
}

/**
 * A device-side failure: an uncaptured validation/out-of-memory/internal error, or the loss
 * of the device. Recorded asynchronously and thrown by `GpuContext.check()`.
 */
export class GpuDeviceError extends Error {
  override name = 'GpuDeviceError';
  constructor(
    message: string,
    /** `'validation' | 'out-of-memory' | 'internal' | 'lost'`. */
    readonly kind: 'validation' | 'out-of-memory' | 'internal' | 'lost' | 'unknown',
  ) {
    super(message);
  }
}

/** A WGSL module failed to compile; the message names the shader, file and line. */
export class ShaderCompileError extends Error {
  override name = 'ShaderCompileError';
  constructor(
    message: string,
    /** The shader's name (its label). */
    readonly shader: string,
  ) {
    super(message);
  }
}
