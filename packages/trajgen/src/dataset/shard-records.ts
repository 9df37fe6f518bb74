/**
 * Walking the records of one shard's bytes: where each record ends, decoding one and checking it
 * against the manifest, and the check that nothing follows the last record. Shared by the reader
 * and by {@link verifyDataset}, so both apply exactly the same rules.
 */
import { readFile } from 'node:fs/promises';
import type { Episode } from '../episode.js';
import { decodeEpisode, type EpisodeLayout } from './episode-codec.js';
import { DatasetCorruptError } from './errors.js';
import type { DatasetManifest, ShardEntry } from './manifest.js';
import { MsgpackScanError, msgpackValueEnd } from './msgpack-scan.js';
import { missingOr } from './shard-file.js';

/** The record layout a manifest declares (widths of `obs` and `actions` rows). */
export function layoutOf(manifest: DatasetManifest): EpisodeLayout {
  return { obsSize: manifest.obsNames.length, actionSize: manifest.actionNames.length };
}

/** The bytes of shard `file`; a missing file throws a DatasetError naming it. */
export async function readShardBytes(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    throw missingOr(error, file);
  }
}

/**
 * Offset just past record `record` of shard `file`, which starts at `offset`; throws a
 * {@link DatasetCorruptError} if the record is truncated or not plain msgpack.
 */
export function recordEnd(file: string, bytes: Uint8Array, offset: number, record: number): number {
  try {
    return msgpackValueEnd(bytes, offset);
  } catch (error) {
    if (!(error instanceof MsgpackScanError)) throw error;
    throw new DatasetCorruptError(file, offset, record, error.message, { cause: error });
  }
}

/**
 * Decodes record `record` of shard `file` (listed by `entry`), which starts at `offset`, and
 * checks it against `layout` and against the attempt the manifest lists for it. Throws a
 * {@link DatasetCorruptError} naming the file, record and offset.
 */
export function decodeRecord(
  file: string,
  entry: ShardEntry,
  layout: EpisodeLayout,
  bytes: Uint8Array,
  offset: number,
  record: number,
): { episode: Episode; end: number } {
  const end = recordEnd(file, bytes, offset, record);
  let episode: Episode;
  try {
    episode = decodeEpisode(bytes, offset, end, layout);
  } catch (error) {
    throw new DatasetCorruptError(file, offset, record, (error as Error).message, { cause: error });
  }
  if (episode.attempt !== entry.attempts[record]) {
    throw new DatasetCorruptError(file, offset, record, `holds attempt ${episode.attempt}, the manifest lists attempt ${entry.attempts[record]}`);
  }
  return { episode, end };
}

/** Throws a {@link DatasetCorruptError} if bytes follow the last record `entry` lists (which ends at `offset`). */
export function checkNoTrailingData(file: string, entry: ShardEntry, bytes: Uint8Array, offset: number): void {
  if (offset === bytes.length) return;
  throw new DatasetCorruptError(file, offset, entry.episodes, `${bytes.length - offset} bytes follow the ${entry.episodes} records the manifest lists`);
}
