/**
 * A full check of a dataset on demand (`gripgen verify`): the manifest with the reader's rules,
 * then every shard — size and sha256, every record decoded and checked against the manifest,
 * nothing after the last record, every float finite. Unlike the reader, which stops at the first
 * problem, it goes on and reports each one.
 */
import { join, resolve } from 'node:path';
import type { Episode } from '../episode.js';
import type { EpisodeLayout } from './episode-codec.js';
import { DatasetError } from './errors.js';
import type { DatasetManifest } from './manifest.js';
import { openDataset } from './reader.js';
import { checkShard, sha256Hex } from './shard-file.js';
import { checkNoTrailingData, decodeRecord, layoutOf, readShardBytes, recordEnd } from './shard-records.js';

/** One thing wrong with a dataset. */
export interface DatasetProblem {
  /** The file concerned (absolute path): `manifest.json` or a shard. */
  file: string;
  /** Position of the shard in the manifest's `shards`; absent for a manifest problem. */
  shard?: number;
  /** Record within that shard; absent for a problem with the whole file. */
  record?: number;
  /** One line that names the file and the mismatch. */
  message: string;
}

/** What {@link verifyDataset} found. */
export interface DatasetVerification {
  /** Absolute path of the dataset directory. */
  dir: string;
  /** True when there is no problem. */
  ok: boolean;
  /** The manifest's `taskId` and `complete`; null when the manifest could not be read. */
  taskId: string | null;
  complete: boolean | null;
  /** Shards the manifest lists, and how many of them have no problem. */
  shards: number;
  shardsOk: number;
  /** Records that decoded and matched the manifest, and their steps in total. */
  episodes: number;
  steps: number;
  /** Every problem found, manifest first, then shard by shard in record order. */
  problems: DatasetProblem[];
}

/** How {@link verifyDataset} and {@link verifyShards} check a dataset. */
export interface VerifyDatasetOptions {
  /** Compare each shard's sha256 with the manifest's (default true; false compares sizes only). */
  checksums?: boolean;
  /** Report records that hold NaN or ±Infinity (default true; the readers accept them). */
  finiteValues?: boolean;
}

/** What {@link verifyShards} found in the shards of one manifest. */
export interface ShardsVerification {
  /** Shards without a problem. */
  shardsOk: number;
  /** Records that decoded and matched the manifest, and their steps in total. */
  episodes: number;
  steps: number;
  /** Every problem found, shard by shard in record order. */
  problems: DatasetProblem[];
}

/** Column names of a pose row (`datagen.eefPose`, `targetPose`, `objectPoses.*`). */
const POSE_COLUMNS = ['x', 'y', 'z', 'qx', 'qy', 'qz', 'qw'] as const;

/**
 * Checks the dataset in `dir` completely and reports every problem. An invalid manifest is one
 * problem (nothing else can be checked then); errors other than damaged or missing dataset files
 * (e.g. a directory that cannot be read) are thrown.
 */
export async function verifyDataset(dir: string, options: VerifyDatasetOptions = {}): Promise<DatasetVerification> {
  const report: DatasetVerification = { dir: resolve(dir), ok: false, taskId: null, complete: null, shards: 0, shardsOk: 0, episodes: 0, steps: 0, problems: [] };
  let manifest: DatasetManifest;
  try {
    manifest = (await openDataset(report.dir, { verifyChecksums: false })).manifest;
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    report.problems.push({ file: error.file, message: error.message });
    return report;
  }
  report.taskId = manifest.taskId;
  report.complete = manifest.complete;
  report.shards = manifest.shards.length;
  Object.assign(report, await verifyShards(report.dir, manifest, options));
  report.ok = report.problems.length === 0;
  return report;
}

/**
 * Checks every shard `manifest` (already validated, e.g. by `readManifest`) lists in dataset
 * directory `dir` against it: the file exists, its size (and sha256), every record decodes with
 * the manifest's widths and holds the attempt the manifest lists, no bytes follow the last
 * record, and (unless `finiteValues` is false) every float is finite. The same check backs
 * `gripgen verify` and a resuming dataset writer. Errors other than damaged or missing dataset
 * files are thrown.
 */
export async function verifyShards(dir: string, manifest: DatasetManifest, options: VerifyDatasetOptions = {}): Promise<ShardsVerification> {
  const tally: ShardsVerification = { shardsOk: 0, episodes: 0, steps: 0, problems: [] };
  const root = resolve(dir);
  for (let shard = 0; shard < manifest.shards.length; shard++) {
    const problems = await verifyShard(root, tally, manifest, shard, options);
    if (problems.length === 0) tally.shardsOk++;
    tally.problems.push(...problems);
  }
  return tally;
}

/** Checks shard `shard` record by record; adds the records that decode to `tally`. */
async function verifyShard(dir: string, tally: ShardsVerification, manifest: DatasetManifest, shard: number, options: VerifyDatasetOptions): Promise<DatasetProblem[]> {
  const entry = manifest.shards[shard];
  const file = join(dir, entry.file);
  const layout: EpisodeLayout = layoutOf(manifest);
  const problems: DatasetProblem[] = [];
  const add = (error: unknown, record?: number) => {
    if (!(error instanceof DatasetError)) throw error;
    problems.push({ file, shard, ...(record === undefined ? {} : { record }), message: error.message });
  };
  let bytes: Uint8Array;
  try {
    bytes = await readShardBytes(file);
  } catch (error) {
    add(error);
    return problems;
  }
  try {
    checkShard(file, entry, { sha256: options.checksums === false ? entry.sha256 : sha256Hex(bytes), bytes: bytes.length });
  } catch (error) {
    add(error); // go on: the records say where the damage is
  }
  let offset = 0;
  for (let record = 0; record < entry.episodes; record++) {
    let end: number;
    try {
      end = recordEnd(file, bytes, offset, record);
    } catch (error) {
      add(error, record); // the records after this one cannot be found
      return problems;
    }
    try {
      const { episode } = decodeRecord(file, entry, layout, bytes, offset, record);
      tally.episodes++;
      tally.steps += episode.length;
      const nonFinite = options.finiteValues === false ? '' : describeNonFinite(episode, manifest);
      if (nonFinite) {
        problems.push({ file, shard, record, message: `${file}: record ${record} (attempt ${episode.attempt}) at byte offset ${offset} holds non-finite values: ${nonFinite}` });
      }
    } catch (error) {
      add(error, record);
    }
    offset = end;
  }
  try {
    checkNoTrailingData(file, entry, bytes, offset);
  } catch (error) {
    add(error, entry.episodes);
  }
  return problems;
}

/**
 * The float tensors of `episode` that hold NaN or ±Infinity, e.g. `obs 3 (first at step 1,
 * "cube_x" = NaN)`, joined by `; `; empty when every value is finite.
 */
function describeNonFinite(episode: Episode, manifest: DatasetManifest): string {
  const { datagen } = episode;
  const tensors: Array<[string, Float32Array, readonly string[]]> = [
    ['obs', episode.obs, manifest.obsNames],
    ['actions', episode.actions, manifest.actionNames],
    ['rewards', episode.rewards, []],
    ['datagen.eefPose', datagen.eefPose, POSE_COLUMNS],
    ['datagen.targetPose', datagen.targetPose, POSE_COLUMNS],
    ['datagen.gripperAction', datagen.gripperAction, []],
    ...Object.entries(datagen.objectPoses).map(([name, values]): [string, Float32Array, readonly string[]] => [`datagen.objectPoses.${name}`, values, POSE_COLUMNS]),
  ];
  const parts: string[] = [];
  for (const [name, values, columns] of tensors) {
    let count = 0;
    let first = -1;
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]) && count++ === 0) first = i;
    }
    if (count === 0) continue;
    const width = Math.max(1, columns.length);
    const column = columns.length > 0 ? `, "${columns[first % width]}"` : '';
    parts.push(`${name} ${count} (first at step ${Math.floor(first / width)}${column} = ${values[first]})`);
  }
  return parts.join('; ');
}
