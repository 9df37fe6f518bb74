/**
 * Appends episodes to a dataset directory in sealed shards. Every seal is two atomic renames — the
 * shard, then the manifest that lists it — so a run killed at any point leaves a valid dataset
 * that lost at most the episodes of the shard being filled, and that a new writer resumes.
 */
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Episode } from '../episode.js';
import { removeFilesWhere, removeTempFiles, writeFileAtomic } from './atomic-file.js';
import { encodeEpisode, type EpisodeLayout } from './episode-codec.js';
import { DatasetConfigMismatchError, DatasetDamagedError, DatasetError } from './errors.js';
import { LOCK_FILE, lockDataset, type DatasetLock } from './dataset-lock.js';
import { makeDirectory, withFsContext } from './fs-error.js';
import {
  DATASET_KIND,
  DATASET_SCHEMA_VERSION,
  diffIdentity,
  hashJson,
  MANIFEST_FILE,
  normalizeJson,
  readManifest,
  serializeManifest,
  SHARDS_DIR,
  type DatasetCounts,
  type DatasetIdentity,
  type DatasetManifest,
  type JsonObject,
  type SeedSlice,
  type ShardEntry,
} from './manifest.js';
import { SHARD_FILE_PATTERN, shardPath, sha256Hex } from './shard-file.js';
import { verifyShards } from './verify-dataset.js';

/** Episodes per shard unless told otherwise. */
export const DEFAULT_EPISODES_PER_SHARD = 256;

/** What a dataset is made of and how to write it. */
export interface DatasetWriterOptions {
  /** The full generation config (any JSON object); a resumed run must pass an equal one. */
  config: Record<string, unknown>;
  /** Registered task id, e.g. `pick-place`. */
  taskId: string;
  /** The run's base seed. */
  seed: number;
  /** Slice of the seed space (`--shard index/count`); default `{ index: 0, count: 1 }`. */
  shard?: SeedSlice;
  /** Names of the observation columns (`sim.spec.obsNames`) and of the action columns. */
  obsNames: readonly string[];
  actionNames: readonly string[];
  /** Ids of the source demos, in the order `srcDemoIndices` refers to them. */
  sourceDemoIds: ReadonlyArray<string | number>;
  /** Episodes per shard file (default {@link DEFAULT_EPISODES_PER_SHARD}); may change between runs. */
  episodesPerShard?: number;
  /** Written to the manifest's `createdBy`; default `@gripgen/trajgen <version>`. */
  createdBy?: string;
  /** When resuming, check every sealed shard's sha256 (default true; false checks sizes only). */
  verifyChecksums?: boolean;
}

/** What a writer found in its directory when it opened. */
export interface ResumeState {
  /** True if the directory already held a dataset, which the writer continues. */
  resumed: boolean;
  /** Every attempt below this is done: continue with the first attempt of the slice >= it. */
  nextAttempt: number;
  /** Attempts of the episodes already in the dataset, increasing. */
  keptAttempts: number[];
  /** Counts as of the last sealed shard. */
  counts: DatasetCounts;
  /** Number of sealed shards found. */
  sealedShards: number;
  /** Leftovers of a killed run that were deleted: temporary files, and shard files the manifest does not list. */
  removedFiles: string[];
}

/** Appends episodes to one dataset directory; see {@link createDatasetWriter}. */
export interface DatasetWriter {
  /** Absolute path of the dataset directory. */
  readonly dir: string;
  /** What was there when the writer opened. */
  readonly resume: ResumeState;
  /** The manifest as last written (sealed shards only). */
  readonly manifest: DatasetManifest;
  /** Every attempt below this has been appended or discarded (including unsealed ones). */
  readonly nextAttempt: number;
  /** Episodes appended but not sealed into a shard yet. */
  readonly pendingEpisodes: number;
  /**
   * Adds a kept episode. Attempts must increase from call to call (append and discard together);
   * the episode is validated and encoded now, and sealed with its shard once the shard is full.
   * The promise settles when any shard write this call started is durable.
   */
  append(episode: Episode): Promise<void>;
  /** Records an attempt that is not kept (counted in `counts.attempts` and, if it succeeded, `successes`). */
  discard(attempt: number, outcome: { success: boolean }): void;
  /** Seals the pending episodes as a (possibly short) shard, or saves the counts if there are none. */
  flush(): Promise<void>;
  /** Flushes, stores `stats`, marks the dataset complete, releases the lock and returns the final manifest. */
  close(options?: { stats?: Record<string, unknown> }): Promise<DatasetManifest>;
  /**
   * Stops writing without completing the dataset: seals what is pending (when nothing failed
   * before), releases the directory's writer lock; a later writer resumes. Safe to call twice
   * and after `close`.
   */
  release(): Promise<void>;
}

/**
 * Opens `dir` for writing: creates a new dataset there (the directory must be absent or empty),
 * or resumes the dataset it holds. Resuming checks that taskId, seed, shard, obsNames,
 * actionNames, sourceDemoIds and config equal the manifest's (else a
 * {@link DatasetConfigMismatchError} naming the differing fields), checks the sealed shards against
 * the manifest as `gripgen verify` does (size and sha256, every record's attempt id and widths,
 * the record count; else a {@link DatasetDamagedError} naming the file and the mismatch, with
 * nothing written), deletes what a killed run left behind, and reports in `resume` where to
 * continue. A resumed dataset stays marked complete until the writer seals something new.
 */
export async function createDatasetWriter(dir: string, options: DatasetWriterOptions): Promise<DatasetWriter> {
  const root = resolve(dir);
  const identity = normalizeIdentity(options);
  const episodesPerShard = options.episodesPerShard ?? DEFAULT_EPISODES_PER_SHARD;
  if (!Number.isSafeInteger(episodesPerShard) || episodesPerShard < 1) {
    throw new RangeError(`episodesPerShard must be an integer >= 1, got ${episodesPerShard}`);
  }
  await makeDirectory(root, 'create the dataset directory');
  // One writer per dataset: a second one (another process) is refused before anything is touched.
  const lock = await lockDataset(root);
  try {
    return await openLocked(root, identity, episodesPerShard, options, lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function openLocked(root: string, identity: DatasetIdentity, episodesPerShard: number, options: DatasetWriterOptions, lock: DatasetLock): Promise<DatasetWriter> {
  const manifestFile = join(root, MANIFEST_FILE);
  const shardsDir = join(root, SHARDS_DIR);
  let manifest: DatasetManifest;
  let resumed = false;
  let removedFiles: string[];
  if ((await readdir(root)).includes(MANIFEST_FILE)) {
    // Everything is checked before anything is touched: a dataset that fails is left as it was.
    manifest = await readManifest(manifestFile);
    const differences = diffIdentity(manifest, identity);
    if (differences.length > 0) throw new DatasetConfigMismatchError(manifestFile, differences);
    await checkSealedShards(root, manifest, options.verifyChecksums !== false);
    removedFiles = [...(await removeTempFiles(root)), ...(await removeTempFiles(shardsDir)), ...(await removeUnlistedShards(shardsDir, manifest.shards))];
    resumed = true;
  } else {
    removedFiles = [...(await removeTempFiles(root)), ...(await removeTempFiles(shardsDir))];
    const entries = await readdir(root);
    const others = entries.filter((name) => name !== SHARDS_DIR && name !== LOCK_FILE);
    const shardFiles = entries.includes(SHARDS_DIR) ? await readdir(shardsDir) : [];
    if (others.length > 0 || shardFiles.length > 0) {
      throw new DatasetError(manifestFile, `${root} is not empty and holds no ${MANIFEST_FILE}: not a gripgen dataset; choose an empty or new directory`);
    }
    const now = new Date().toISOString();
    manifest = {
      schemaVersion: DATASET_SCHEMA_VERSION,
      kind: DATASET_KIND,
      createdBy: options.createdBy ?? defaultCreatedBy(),
      createdAt: now,
      updatedAt: now,
      complete: false,
      ...identity,
      configHash: hashJson(identity.config),
      nextAttempt: 0,
      counts: { attempts: 0, successes: 0, episodes: 0, failuresKept: 0 },
      shards: [],
      stats: null,
    };
    // Manifest first: a directory with shards but no manifest is never left behind.
    await writeFileAtomic(manifestFile, serializeManifest(manifest));
  }
  await makeDirectory(shardsDir, 'create the shards directory');
  const resume: ResumeState = {
    resumed,
    nextAttempt: manifest.nextAttempt,
    keptAttempts: manifest.shards.flatMap((entry) => entry.attempts),
    counts: { ...manifest.counts },
    sealedShards: manifest.shards.length,
    removedFiles,
  };
  return new ShardedDatasetWriter(root, manifest, resume, episodesPerShard, lock, {
    obsSize: identity.obsNames.length,
    actionSize: identity.actionNames.length,
  });
}

/** Episodes and counts accumulated since the last seal. */
interface Pending {
  records: Uint8Array[];
  attempts: number[];
  counts: DatasetCounts;
  nextAttempt: number;
}

class ShardedDatasetWriter implements DatasetWriter {
  readonly dir: string;
  readonly resume: ResumeState;
  private sealed: DatasetManifest;
  private pending: Pending;
  private readonly episodesPerShard: number;
  private readonly layout: EpisodeLayout;
  /** Shard and manifest writes run one after another on this chain. */
  private io: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private closed = false;

  constructor(
    dir: string,
    manifest: DatasetManifest,
    resume: ResumeState,
    episodesPerShard: number,
    private readonly lock: DatasetLock,
    layout: EpisodeLayout,
  ) {
    this.dir = dir;
    this.sealed = manifest;
    this.resume = resume;
    this.episodesPerShard = episodesPerShard;
    this.layout = layout;
    this.pending = emptyPending(manifest.nextAttempt);
  }

  get manifest(): DatasetManifest {
    return this.sealed;
  }

  get nextAttempt(): number {
    return this.pending.nextAttempt;
  }

  get pendingEpisodes(): number {
    return this.pending.records.length;
  }

  async append(episode: Episode): Promise<void> {
    this.checkUsable();
    this.checkAttempt(episode?.attempt, 'append');
    const record = encodeEpisode(episode, this.layout);
    const pending = this.pending;
    pending.records.push(record);
    pending.attempts.push(episode.attempt);
    pending.nextAttempt = episode.attempt + 1;
    pending.counts.attempts++;
    pending.counts.episodes++;
    if (episode.success) pending.counts.successes++;
    else pending.counts.failuresKept++;
    if (pending.records.length >= this.episodesPerShard) this.enqueueSeal(false);
    return this.settled();
  }

  discard(attempt: number, outcome: { success: boolean }): void {
    this.checkUsable();
    this.checkAttempt(attempt, 'discard');
    this.pending.nextAttempt = attempt + 1;
    this.pending.counts.attempts++;
    if (outcome.success) this.pending.counts.successes++;
  }

  async flush(): Promise<void> {
    this.checkUsable();
    this.enqueueSeal(false);
    return this.settled();
  }

  async close(options: { stats?: Record<string, unknown> } = {}): Promise<DatasetManifest> {
    this.checkUsable();
    const stats = options.stats === undefined ? undefined : (normalizeJson(options.stats, 'stats') as JsonObject);
    this.closed = true;
    this.enqueueSeal(true, stats);
    try {
      await this.settled();
    } finally {
      await this.lock.release();
    }
    return this.sealed;
  }

  async release(): Promise<void> {
    try {
      if (!this.closed && !this.failure) {
        this.closed = true;
        this.enqueueSeal(false);
        await this.settled();
      }
    } finally {
      await this.lock.release();
    }
  }

  /** Takes the pending state now (so later appends go to the next shard) and writes it in turn. */
  private enqueueSeal(complete: boolean, stats?: JsonObject): void {
    const taken = this.pending;
    this.pending = emptyPending(taken.nextAttempt);
    this.io = this.io.then(() => this.seal(taken, complete, stats));
    this.io.catch((error: Error) => {
      this.failure ??= error;
    });
  }

  private async seal(taken: Pending, complete: boolean, stats: JsonObject | undefined): Promise<void> {
    const before = this.sealed;
    if (taken.counts.attempts === 0 && !complete) return;
    const shards = [...before.shards];
    if (taken.records.length > 0) {
      const file = shardPath(shards.length);
      const bytes = Buffer.concat(taken.records);
      const entry: ShardEntry = {
        file,
        episodes: taken.records.length,
        bytes: bytes.length,
        sha256: sha256Hex(bytes),
        firstAttempt: taken.attempts[0],
        lastAttempt: taken.attempts[taken.attempts.length - 1],
        attempts: taken.attempts,
      };
      await writeFileAtomic(join(this.dir, file), bytes);
      shards.push(entry);
    }
    const counts = { ...before.counts };
    for (const key of Object.keys(counts) as Array<keyof DatasetCounts>) counts[key] += taken.counts[key];
    const next: DatasetManifest = {
      ...before,
      updatedAt: new Date().toISOString(),
      complete,
      nextAttempt: taken.nextAttempt,
      counts,
      shards,
      stats: stats ?? before.stats,
    };
    await writeFileAtomic(join(this.dir, MANIFEST_FILE), serializeManifest(next));
    this.sealed = next;
  }

  private async settled(): Promise<void> {
    await this.io;
  }

  private checkUsable(): void {
    if (this.failure) throw new Error(`dataset writer for ${this.dir} failed earlier: ${this.failure.message}`, { cause: this.failure });
    if (this.closed) throw new Error(`dataset writer for ${this.dir} is closed`);
  }

  /**
   * Attempts come one after another through the dataset's slice of the seed space (index,
   * index + count, …), none skipped, so the manifest's `nextAttempt` and counts always describe
   * exactly the attempts made (readers and resume check that).
   */
  private checkAttempt(attempt: unknown, method: string): void {
    const { index, count } = this.sealed.shard;
    if (!Number.isSafeInteger(attempt) || (attempt as number) < this.pending.nextAttempt) {
      throw new RangeError(
        `${method}(attempt ${String(attempt)}): attempts must be integers that increase from call to call; ` +
          `every attempt below ${this.pending.nextAttempt} is already done`,
      );
    }
    const next = nextSliceAttempt(this.pending.nextAttempt, index, count);
    if (attempt !== next) {
      throw new RangeError(`${method}(attempt ${String(attempt)}): the next attempt of seed slice ${index}/${count} is ${next}; attempts may not be skipped`);
    }
  }
}

/** The smallest attempt id ≥ `from` in seed slice `index`/`count` (ids index + count·k). */
function nextSliceAttempt(from: number, index: number, count: number): number {
  return from <= index ? index : index + count * Math.ceil((from - index) / count);
}

function emptyPending(nextAttempt: number): Pending {
  return { records: [], attempts: [], counts: { attempts: 0, successes: 0, episodes: 0, failuresKept: 0 }, nextAttempt };
}

function normalizeIdentity(options: DatasetWriterOptions): DatasetIdentity {
  const config = normalizeJson(options.config, 'config');
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new TypeError('config must be a JSON object');
  if (typeof options.taskId !== 'string' || options.taskId === '') throw new TypeError('taskId must be a non-empty string');
  if (!Number.isSafeInteger(options.seed)) throw new TypeError(`seed must be an integer, got ${options.seed}`);
  const shard = options.shard ?? { index: 0, count: 1 };
  if (!Number.isSafeInteger(shard.count) || shard.count < 1 || !Number.isSafeInteger(shard.index) || shard.index < 0 || shard.index >= shard.count) {
    throw new RangeError(`shard must be {index, count} with 0 <= index < count, got ${JSON.stringify(shard)}`);
  }
  const names = (value: readonly string[], field: string) => {
    if (!Array.isArray(value) || value.some((name) => typeof name !== 'string')) throw new TypeError(`${field} must be an array of strings`);
    return [...value];
  };
  const sourceDemoIds = [...options.sourceDemoIds];
  if (sourceDemoIds.some((id) => typeof id !== 'string' && !Number.isFinite(id))) throw new TypeError('sourceDemoIds must hold strings or numbers');
  return {
    taskId: options.taskId,
    seed: options.seed,
    shard: { index: shard.index, count: shard.count },
    obsNames: names(options.obsNames, 'obsNames'),
    actionNames: names(options.actionNames, 'actionNames'),
    sourceDemoIds,
    config,
  };
}

/**
 * Refuses to resume a dataset whose shards do not match its manifest (the checks of
 * `gripgen verify`, except finite values, which the readers accept): a resumed run would
 * otherwise seal more shards onto it and mark it complete while its reader rejects it.
 */
async function checkSealedShards(root: string, manifest: DatasetManifest, checksums: boolean): Promise<void> {
  const { problems } = await verifyShards(root, manifest, { checksums, finiteValues: false });
  if (problems.length > 0) throw new DatasetDamagedError(root, problems);
}

/** Deletes shard files the manifest does not list (sealed by a run killed before its manifest update). */
function removeUnlistedShards(shardsDir: string, listed: readonly ShardEntry[]): Promise<string[]> {
  const known = new Set(listed.map((entry) => entry.file));
  return removeFilesWhere(shardsDir, (name) => SHARD_FILE_PATTERN.test(name) && !known.has(`${SHARDS_DIR}/${name}`));
}

function defaultCreatedBy(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
    return `${pkg.name} ${pkg.version}`;
  } catch {
    return '@gripgen/trajgen';
  }
}
