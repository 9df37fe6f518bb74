/**
 * Per-world storage split into shards of consecutive worlds, one GPU buffer per shard and kind,
 * so that a batch larger than one binding (`maxStorageBufferBindingSize`) or one buffer
 * (`maxBufferSize`) still runs: each shard is dispatched with its own bind group, and a kernel
 * that indexes its buffers by the world's position in the dispatch needs no change.
 */
import { GpuBufferLimitError, largestBuffer, storageBufferLimit, type BufferLimits, type WorldBufferSpec } from './buffer-limits.js';
import { worldBuffer } from './world-dispatch.js';

/** The worlds `first … first + count − 1` of one buffer shard (not the CPU engines' `WorldShard`, a thread's worlds). */
export interface BufferShard {
  first: number;
  count: number;
}

/** Worlds per shard are a multiple of this where a shard holds that many (whole workgroups). */
export const SHARD_WORLD_MULTIPLE = 256;

/**
 * The shards of `numWorlds` worlds whose per-world rows are `buffers`: as many worlds per shard as
 * every buffer's shard fits in one buffer under `limits`, rounded down to a multiple of
 * {@link SHARD_WORLD_MULTIPLE} (one shard when all fit). `worldsPerShard` caps the shard size.
 * Throws {@link GpuBufferLimitError} when one world's row alone does not fit, naming the buffer
 * and what shrinks it.
 */
export function planBufferShards(numWorlds: number, buffers: readonly WorldBufferSpec[], limits: BufferLimits, adapterName: string, worldsPerShard?: number): BufferShard[] {
  if (worldsPerShard !== undefined && (!Number.isInteger(worldsPerShard) || worldsPerShard < 1)) {
    throw new Error(`worldsPerShard must be an integer ≥ 1 (got ${worldsPerShard})`);
  }
  const widest = largestBuffer(buffers);
  // Buffers are rounded up to 16 bytes.
  const maxBytes = storageBufferLimit(limits).bytes - 16;
  const fit = Math.floor(maxBytes / widest.bytesPerWorld);
  if (fit < 1) {
    throw new GpuBufferLimitError(
      `one world's "${widest.label}" row takes ${widest.bytesPerWorld} B${widest.note ? ` (${widest.note})` : ''}, more than ${adapterName} ` +
        `allows per storage buffer (${maxBytes} B)${widest.remedy ? ` — use ${widest.remedy}` : ''}`,
      0,
    );
  }
  let size = fit >= numWorlds ? numWorlds : fit >= SHARD_WORLD_MULTIPLE ? Math.floor(fit / SHARD_WORLD_MULTIPLE) * SHARD_WORLD_MULTIPLE : fit;
  if (worldsPerShard !== undefined) size = Math.min(size, worldsPerShard);
  const shards: BufferShard[] = [];
  for (let first = 0; first < numWorlds; first += size) shards.push({ first, count: Math.min(size, numWorlds - first) });
  return shards;
}

/** One kind of per-world row (bodies, contacts, …) over every shard: one GPU buffer each. */
export class ShardedWorldBuffer {
  readonly buffers: GPUBuffer[];
  private readonly shardSize: number;

  constructor(
    device: GPUDevice,
    label: string,
    /** Bytes of one world's row. */
    readonly rowBytes: number,
    readonly shards: readonly BufferShard[],
    usage: number,
  ) {
    this.shardSize = shards[0]!.count;
    this.buffers = shards.map((s, i) => worldBuffer(device, shards.length > 1 ? `${label} (shard ${i})` : label, s.count * rowBytes, usage));
  }

  /** The buffer holding world `w`'s row and the byte offset of `offsetInRow` within it. */
  locate(w: number, offsetInRow = 0): { buffer: GPUBuffer; offset: number } {
    const s = Math.floor(w / this.shardSize);
    return { buffer: this.buffers[s]!, offset: (w - this.shards[s]!.first) * this.rowBytes + offsetInRow };
  }

  /** Writes `size` bytes of `data` (from `dataOffset`) at `offsetInRow` of world `w`'s row. */
  write(queue: GPUQueue, w: number, data: ArrayBuffer | ArrayBufferView, offsetInRow = 0, dataOffset?: number, size?: number): void {
    const { buffer, offset } = this.locate(w, offsetInRow);
    queue.writeBuffer(buffer, offset, data as GPUAllowSharedBufferSource, dataOffset, size);
  }

  /** Writes every world's rows from `bytes` (world-major, `rowBytes` each). */
  writeAll(queue: GPUQueue, bytes: ArrayBuffer): void {
    this.shards.forEach((s, i) => queue.writeBuffer(this.buffers[i]!, 0, bytes, s.first * this.rowBytes, s.count * this.rowBytes));
  }

  /** Encodes copies of every world's rows, in world order, into `dst` from `dstOffset`. */
  copyAllTo(encoder: GPUCommandEncoder, dst: GPUBuffer, dstOffset: number): void {
    this.shards.forEach((s, i) => encoder.copyBufferToBuffer(this.buffers[i]!, 0, dst, dstOffset + s.first * this.rowBytes, s.count * this.rowBytes));
  }

  destroy(): void {
    for (const b of this.buffers) b.destroy();
  }
}
