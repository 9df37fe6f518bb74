/**
 * Whether a batch of worlds fits the device's buffer limits, checked before anything is
 * allocated: each per-world storage buffer must fit `maxStorageBufferBindingSize` (one binding)
 * and `maxBufferSize`. A batch that does not fit is refused with a message naming the buffer,
 * the limit and the most worlds that fit, instead of a validation error from the driver.
 */

/** A storage buffer that holds `bytesPerWorld` bytes for every world. */
export interface WorldBufferSpec {
  label: string;
  bytesPerWorld: number;
  /** What the size is made of, for the message (e.g. "contactCapacity 64 × 160 B"). */
  note?: string;
  /** What else shrinks it, for the message (e.g. "a lower contactCapacity"). */
  remedy?: string;
}

/** Thrown when a batch's buffers exceed the device's limits. */
export class GpuBufferLimitError extends Error {
  constructor(
    message: string,
    /** The most worlds whose buffers fit. */
    readonly maxWorlds: number,
  ) {
    super(message);
    this.name = 'GpuBufferLimitError';
  }
}

/** A size as a person reads it: MiB below 1 GiB, GiB with two decimals above. */
const size = (bytes: number) => (bytes < 2 ** 30 ? `${Math.round(bytes / 2 ** 20)} MiB` : `${(bytes / 2 ** 30).toFixed(2)} GiB`);

/** The limits a per-world storage buffer must fit. */
export type BufferLimits = Pick<GPUSupportedLimits, 'maxStorageBufferBindingSize' | 'maxBufferSize'>;

/** The smaller of the two limits (its size, and its name for messages). */
export function storageBufferLimit(limits: BufferLimits): { bytes: number; name: string } {
  const binding = limits.maxStorageBufferBindingSize <= limits.maxBufferSize;
  return { bytes: binding ? limits.maxStorageBufferBindingSize : limits.maxBufferSize, name: binding ? 'maxStorageBufferBindingSize' : 'maxBufferSize' };
}

/** The buffer of `specs` with the most bytes per world. */
export function largestBuffer(specs: readonly WorldBufferSpec[]): WorldBufferSpec {
  return specs.reduce((a, b) => (b.bytesPerWorld > a.bytesPerWorld ? b : a));
}

/** Throws {@link GpuBufferLimitError} unless every buffer of `specs` for `numWorlds` worlds fits `limits`. */
export function checkWorldBuffers(limits: BufferLimits, numWorlds: number, specs: readonly WorldBufferSpec[], adapterName: string): void {
  const { bytes: limit, name: limitName } = storageBufferLimit(limits);
  const largest = largestBuffer(specs);
  // Buffers are rounded up to 16 bytes.
  const maxWorlds = Math.floor((limit - 16) / largest.bytesPerWorld);
  if (numWorlds <= maxWorlds) return;
  throw new GpuBufferLimitError(
    `numWorlds ${numWorlds} needs a ${size(numWorlds * largest.bytesPerWorld)} "${largest.label}" buffer ` +
      `(${largest.bytesPerWorld} B per world${largest.note ? `: ${largest.note}` : ''}); ` +
      `${adapterName} allows ${size(limit)} per storage buffer (${limitName}), so at most ${maxWorlds} worlds — ` +
      `use fewer worlds per Sim (several Sims share the GPU)${largest.remedy ? ` or ${largest.remedy}` : ''}`,
    maxWorlds,
  );
}
