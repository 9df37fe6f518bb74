/**
 * Reads a dataset directory: the manifest up front, then episodes streamed shard by shard, one
 * record decoded at a time. Only sealed shards (those the manifest lists) are ever read, so a
 * dataset that is still being written can be read consistently.
 */
import { join, resolve } from 'node:path';
import type { Episode } from '../episode.js';
import type { EpisodeLayout } from './episode-codec.js';
import { MANIFEST_FILE, readManifest, type DatasetManifest, type ShardEntry } from './manifest.js';
import { checkShard, sha256Hex } from './shard-file.js';
import { checkNoTrailingData, decodeRecord, layoutOf, readShardBytes, recordEnd } from './shard-records.js';

/** How {@link openDataset} reads shards. */
export interface OpenDatasetOptions {
  /** Check each shard's size and sha256 against the manifest before decoding it (default true). */
  verifyChecksums?: boolean;
}

/** A sequence of episodes in attempt order; iterate it any number of times. */
export interface EpisodeSet extends AsyncIterable<Episode> {
  /** Number of episodes. */
  readonly count: number;
  /** Attempt of each episode, in order. */
  readonly attempts: readonly number[];
  /** The first `count` episodes: `subset(10)` is a prefix of `subset(30)` (nested training sets). */
  subset(count: number): EpisodeSet;
  /** All episodes of the set in memory. */
  toArray(): Promise<Episode[]>;
}

/** An opened dataset directory; see {@link openDataset}. */
export interface Dataset extends EpisodeSet {
  /** Absolute path of the dataset directory. */
  readonly dir: string;
  readonly manifest: DatasetManifest;
  /** The first `count` episodes in memory (`subset(count).toArray()`). */
  take(count: number): Promise<Episode[]>;
  /** Episode number `index` (0-based, attempt order); decodes one shard's record boundaries, cached for the last shard used. */
  get(index: number): Promise<Episode>;
  /** Position of the episode of `attempt` in the dataset, or -1 if that attempt was not kept. */
  indexOfAttempt(attempt: number): number;
}

/**
 * Opens the dataset in `dir`. Throws a {@link DatasetManifestError} if `manifest.json` is missing,
 * malformed or of another schema version. Shards are read lazily; a shard whose size or sha256
 * differs from the manifest throws a {@link DatasetChecksumError} (unless `verifyChecksums` is
 * false), and a record that cannot be decoded a {@link DatasetCorruptError} naming file and offset.
 */
export async function openDataset(dir: string, options: OpenDatasetOptions = {}): Promise<Dataset> {
  const root = resolve(dir);
  const manifest = await readManifest(join(root, MANIFEST_FILE));
  return new ShardedDataset(root, manifest, options.verifyChecksums ?? true);
}

/** One shard's bytes and the start offset of each of its records. */
interface IndexedShard {
  shard: number;
  bytes: Uint8Array;
  offsets: number[];
}

class ShardedDataset implements Dataset {
  readonly dir: string;
  readonly manifest: DatasetManifest;
  readonly count: number;
  readonly attempts: readonly number[];
  private readonly verify: boolean;
  private readonly layout: EpisodeLayout;
  /** Index of the first episode of each shard, plus the total at the end. */
  private readonly shardStarts: number[];
  private readonly positionOfAttempt: Map<number, number>;
  private cached: IndexedShard | null = null;

  constructor(dir: string, manifest: DatasetManifest, verify: boolean) {
    this.dir = dir;
    this.manifest = manifest;
    this.verify = verify;
    this.layout = layoutOf(manifest);
    this.attempts = Object.freeze(manifest.shards.flatMap((entry) => entry.attempts));
    this.count = this.attempts.length;
    this.shardStarts = [0];
    for (const entry of manifest.shards) this.shardStarts.push(this.shardStarts[this.shardStarts.length - 1] + entry.episodes);
    this.positionOfAttempt = new Map(this.attempts.map((attempt, index) => [attempt, index]));
  }

  [Symbol.asyncIterator](): AsyncIterator<Episode> {
    return this.episodes(this.count);
  }

  subset(count: number): EpisodeSet {
    return new EpisodePrefix(this, checkedCount(count, this.count));
  }

  toArray(): Promise<Episode[]> {
    return collect(this.episodes(this.count));
  }

  take(count: number): Promise<Episode[]> {
    return collect(this.episodes(checkedCount(count, this.count)));
  }

  async get(index: number): Promise<Episode> {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.count) {
      throw new RangeError(`get(${index}): index must be an integer in [0, ${this.count})`);
    }
    let shard = 0;
    while (this.shardStarts[shard + 1] <= index) shard++;
    if (this.cached?.shard !== shard) this.cached = await this.indexShard(shard);
    const record = index - this.shardStarts[shard];
    return this.decodeRecord(shard, this.cached.bytes, this.cached.offsets[record], record).episode;
  }

  indexOfAttempt(attempt: number): number {
    return this.positionOfAttempt.get(attempt) ?? -1;
  }

  /** The first `limit` episodes, one shard in memory at a time, one record decoded at a time. */
  async *episodes(limit: number): AsyncGenerator<Episode, void, undefined> {
    let produced = 0;
    for (let shard = 0; shard < this.manifest.shards.length && produced < limit; shard++) {
      const bytes = await this.loadShard(shard);
      const records = this.manifest.shards[shard].episodes;
      let offset = 0;
      let record = 0;
      for (; record < records && produced < limit; record++) {
        const { episode, end } = this.decodeRecord(shard, bytes, offset, record);
        offset = end;
        produced++;
        yield episode;
      }
      if (record === records) this.checkNoTrailingData(shard, bytes, offset);
    }
  }

  private async loadShard(shard: number): Promise<Uint8Array> {
    const entry = this.manifest.shards[shard];
    const file = this.shardFile(entry);
    const bytes = await readShardBytes(file);
    if (this.verify) checkShard(file, entry, { sha256: sha256Hex(bytes), bytes: bytes.length });
    return bytes;
  }

  /** Loads a shard and finds where each of its records starts (no decoding). */
  private async indexShard(shard: number): Promise<IndexedShard> {
    const bytes = await this.loadShard(shard);
    const entry = this.manifest.shards[shard];
    const file = this.shardFile(entry);
    const offsets: number[] = [];
    let offset = 0;
    for (let record = 0; record < entry.episodes; record++) {
      offsets.push(offset);
      offset = recordEnd(file, bytes, offset, record);
    }
    checkNoTrailingData(file, entry, bytes, offset);
    return { shard, bytes, offsets };
  }

  private decodeRecord(shard: number, bytes: Uint8Array, offset: number, record: number): { episode: Episode; end: number } {
    const entry = this.manifest.shards[shard];
    return decodeRecord(this.shardFile(entry), entry, this.layout, bytes, offset, record);
  }

  private checkNoTrailingData(shard: number, bytes: Uint8Array, offset: number): void {
    const entry = this.manifest.shards[shard];
    checkNoTrailingData(this.shardFile(entry), entry, bytes, offset);
  }

  private shardFile(entry: ShardEntry): string {
    return join(this.dir, entry.file);
  }
}

/** The first `count` episodes of a dataset. */
class EpisodePrefix implements EpisodeSet {
  readonly count: number;
  readonly attempts: readonly number[];
  private readonly dataset: ShardedDataset;

  constructor(dataset: ShardedDataset, count: number) {
    this.dataset = dataset;
    this.count = count;
    this.attempts = dataset.attempts.slice(0, count);
  }

  [Symbol.asyncIterator](): AsyncIterator<Episode> {
    return this.dataset.episodes(this.count);
  }

  subset(count: number): EpisodeSet {
    return new EpisodePrefix(this.dataset, checkedCount(count, this.count));
  }

  toArray(): Promise<Episode[]> {
    return collect(this.dataset.episodes(this.count));
  }
}

function checkedCount(count: number, available: number): number {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`subset size must be an integer >= 0, got ${count}`);
  if (count > available) throw new RangeError(`cannot take the first ${count} episodes: there are only ${available}`);
  return count;
}

async function collect(episodes: AsyncIterable<Episode>): Promise<Episode[]> {
  const out: Episode[] = [];
  for await (const episode of episodes) out.push(episode);
  return out;
}
