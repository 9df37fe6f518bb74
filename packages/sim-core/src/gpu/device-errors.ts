import { GpuDeviceError } from './errors.js';

/**
 * Records what a device reports asynchronously — uncaptured errors (validation,
 * out-of-memory, internal) and device loss — so that synchronous code can surface them:
 * call {@link DeviceErrorLog.check} at the start/end of each step and it throws.
 */
export class DeviceErrorLog {
  private pending: GpuDeviceError[] = [];
  private lostError: GpuDeviceError | undefined;
  private released = false;

  constructor(
    device: GPUDevice,
    /** Called as soon as an error is recorded (for logging or to abort early). */
    private readonly onError?: (error: GpuDeviceError) => void,
  ) {
    device.addEventListener('uncapturederror', (event) => {
      const e = (event as GPUUncapturedErrorEvent).error;
      const kind =
        typeof GPUValidationError !== 'undefined' && e instanceof GPUValidationError
          ? 'validation'
          : typeof GPUOutOfMemoryError !== 'undefined' && e instanceof GPUOutOfMemoryError
            ? 'out-of-memory'
            : typeof GPUInternalError !== 'undefined' && e instanceof GPUInternalError
              ? 'internal'
              : 'unknown';
      this.record(new GpuDeviceError(`uncaptured WebGPU ${kind} error: ${e.message}`, kind));
    });
    void device.lost.then((info) => {
      if (this.released && info.reason === 'destroyed') return;
      this.lostError = new GpuDeviceError(`WebGPU device lost (${info.reason}): ${info.message}`, 'lost');
      this.onError?.(this.lostError);
    });
  }

  private record(error: GpuDeviceError): void {
    if (this.released) return;
    this.pending.push(error);
    this.onError?.(error);
  }

  /** Whether the device was lost (other than by release). */
  get lost(): boolean {
    return this.lostError !== undefined;
  }

  /** Errors recorded since the last {@link check} (not including loss). */
  get errors(): readonly GpuDeviceError[] {
    return this.pending;
  }

  /**
   * Throws if the device was lost (every time), or if uncaptured errors were recorded since
   * the last call (once: the first error, with the count of the others; the list is cleared).
   */
  check(): void {
    if (this.lostError) throw this.lostError;
    if (this.pending.length === 0) return;
    const [first, ...rest] = this.pending;
    this.pending = [];
    if (rest.length === 0) throw first;
    throw new GpuDeviceError(`${first.message} (and ${rest.length} more)`, first.kind);
  }

  /** Stops recording: device destruction by release() is not an error. */
  markReleased(): void {
    this.released = true;
  }
}
