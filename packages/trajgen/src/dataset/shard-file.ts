/** Shard file names and the size/sha256 check shared by the reader and a resuming writer. */
import { createHash } from 'node:crypto';
import { DatasetChecksumError, DatasetError } from './errors.js';
import { SHARDS_DIR, type ShardEntry } from './manifest.js';

/** Pattern of sealed shard file names inside `shards/`. */
export const SHARD_FILE_PATTERN = /^shard-\d{5,}\.msgpack$/;

/** Path (relative to the dataset directory) of shard number `index`: `shards/shard-00007.msgpack`. */
export function shardPath(index: number): string {
  return `${SHARDS_DIR}/shard-${String(index).padStart(5, '0')}.msgpack`;
}

/** sha256 of `bytes`, lowercase hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Throws a {@link DatasetChecksumError} if `actual` (size and hash of `file`) is not what `entry` recorded. */
export function checkShard(file: string, entry: ShardEntry, actual: { sha256: string; bytes: number }): void {
  if (actual.bytes !== entry.bytes) {
    throw new DatasetChecksumError(file, entry.sha256, actual.sha256, `file has ${actual.bytes} bytes, manifest says ${entry.bytes}${actual.bytes < entry.bytes ? ': truncated' : ''}`);
  }
  if (actual.sha256 !== entry.sha256) throw new DatasetChecksumError(file, entry.sha256, actual.sha256, 'contents differ');
}

/** A DatasetError for a shard the manifest lists but the disk lacks; other errors pass through. */
export function missingOr(error: unknown, file: string): unknown {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
    return new DatasetError(file, `${file}: shard file is missing (the manifest lists it)`, { cause: error });
  }
  return error;
}
