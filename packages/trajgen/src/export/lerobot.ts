/**
 * Export of a gripgen dataset in LeRobot's v3.0 layout (the format `LeRobotDataset` loads), with
 * hyparquet-writer for the parquet files.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { DEFAULT_PHYSICS, getTask } from '@gripgen/sim-core';
import { openDataset } from '../dataset/reader.js';
import type { Episode } from '../episode.js';
import { prepareDirectoryTarget, publishDirectory, stagingPath } from './export-target.js';
import { StatsAccumulator, type FeatureStats } from './feature-stats.js';
import { listColumn, parquetArguments, scalarColumn, type ParquetColumn } from './parquet-columns.js';
import type { ExportOptions, ExportResult } from './robomimic.js';
import { splitObsKeys } from './obs-keys.js';
import { DEFAULT_VALID_FRACTION, validationMask } from './split.js';
import { makeDirectory } from '../dataset/fs-error.js';

/** LeRobot's dataset format version written by {@link exportLerobot}. */
export const LEROBOT_CODEBASE_VERSION = 'v3.0';
/** LeRobot's defaults: files per chunk directory and the size a data file grows to. */
export const LEROBOT_CHUNKS_SIZE = 1000;
export const LEROBOT_DATA_FILE_SIZE_IN_MB = 100;
const DATA_PATH = 'data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet';
const EPISODES_PATH = 'meta/episodes/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet';

/** Options of {@link exportLerobot}. */
export interface LerobotExportOptions extends ExportOptions {
  /** Size (MB, uncompressed estimate) at which a data file is closed and the next begins (default LeRobot's 100). */
  dataFileSizeInMb?: number;
}

/** A LeRobot feature description (`info.json` `features`). */
export interface LerobotFeature {
  dtype: 'float32' | 'int64' | 'bool';
  shape: number[];
  names: string[] | null;
}

/** `data/chunk-CCC/file-FFF.parquet` for a file number (LEROBOT_CHUNKS_SIZE files per chunk). */
function filePath(template: string, fileNumber: number): string {
  const pad = (n: number) => String(n).padStart(3, '0');
  return template
    .replace('{chunk_index:03d}', pad(Math.floor(fileNumber / LEROBOT_CHUNKS_SIZE)))
    .replace('{file_index:03d}', pad(fileNumber % LEROBOT_CHUNKS_SIZE));
}

/** The per-frame features, in column order. */
function lerobotFeatures(obsNames: readonly string[], actionNames: readonly string[]): Record<string, LerobotFeature> {
  return {
    'observation.state': { dtype: 'float32', shape: [obsNames.length], names: [...obsNames] },
    action: { dtype: 'float32', shape: [actionNames.length], names: [...actionNames] },
    'next.reward': { dtype: 'float32', shape: [1], names: null },
    'next.done': { dtype: 'bool', shape: [1], names: null },
    timestamp: { dtype: 'float32', shape: [1], names: null },
    frame_index: { dtype: 'int64', shape: [1], names: null },
    episode_index: { dtype: 'int64', shape: [1], names: null },
    index: { dtype: 'int64', shape: [1], names: null },
    task_index: { dtype: 'int64', shape: [1], names: null },
  };
}

/** Hugging Face `datasets` feature types of the data columns (its `huggingface` parquet metadata). */
function huggingfaceMetadata(features: Record<string, LerobotFeature>): string {
  const value = (dtype: string) => ({ dtype, _type: 'Value' });
  const hf = Object.fromEntries(
    Object.entries(features).map(([name, f]) => [name, f.shape[0] === 1 && f.names === null ? value(f.dtype) : { feature: value(f.dtype), length: f.shape[0], _type: 'Sequence' }]),
  );
  return JSON.stringify({ info: { features: hf } });
}

/** The rows of one data file being filled. */
class DataFile {
  readonly state: number[][] = [];
  readonly action: number[][] = [];
  readonly reward: number[] = [];
  readonly done: boolean[] = [];
  readonly timestamp: number[] = [];
  readonly frameIndex: bigint[] = [];
  readonly episodeIndex: bigint[] = [];
  readonly index: bigint[] = [];
  readonly taskIndex: bigint[] = [];

  get frames(): number {
    return this.reward.length;
  }

  /** Appends episode `episodeIndex`'s frames; `firstIndex` is the dataset-wide index of its first frame. */
  add(episode: Episode, episodeIndex: number, firstIndex: number, obsSize: number, actionSize: number, fps: number): void {
    for (let t = 0; t < episode.length; t++) {
      this.state.push(Array.from(episode.obs.subarray(t * obsSize, (t + 1) * obsSize)));
      this.action.push(Array.from(episode.actions.subarray(t * actionSize, (t + 1) * actionSize)));
      this.reward.push(episode.rewards[t]);
      this.done.push(episode.dones[t] === 1);
      this.timestamp.push(t / fps);
      this.frameIndex.push(BigInt(t));
      this.episodeIndex.push(BigInt(episodeIndex));
      this.index.push(BigInt(firstIndex + t));
      this.taskIndex.push(0n);
    }
  }

  /** The parquet file's bytes. */
  encode(features: Record<string, LerobotFeature>): Uint8Array {
    const columns: ParquetColumn[] = [
      listColumn('observation.state', 'FLOAT', this.state),
      listColumn('action', 'FLOAT', this.action),
      scalarColumn('next.reward', 'FLOAT', this.reward),
      scalarColumn('next.done', 'BOOLEAN', this.done),
      scalarColumn('timestamp', 'FLOAT', this.timestamp),
      scalarColumn('frame_index', 'INT64', this.frameIndex),
      scalarColumn('episode_index', 'INT64', this.episodeIndex),
      scalarColumn('index', 'INT64', this.index),
      scalarColumn('task_index', 'INT64', this.taskIndex),
    ];
    return new Uint8Array(parquetWriteBuffer({ ...parquetArguments(columns), kvMetadata: [{ key: 'huggingface', value: huggingfaceMetadata(features) }] }));
  }
}

/** One row of `meta/episodes`. */
interface EpisodeRow {
  episodeIndex: number;
  length: number;
  fileNumber: number;
  from: number;
  to: number;
  split: 'train' | 'valid';
  attempt: number;
  success: boolean;
  stats: Record<'observation.state' | 'action', FeatureStats>;
}

/** Writes a parquet file, creating its directory. */
async function writeParquet(root: string, relative: string, bytes: Uint8Array): Promise<void> {
  const path = join(root, relative);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

/** The stats of `[rows, width]` values. */
function statsOf(values: Float32Array, rows: number): FeatureStats {
  const accumulator = new StatsAccumulator(values.length / rows);
  accumulator.addRows(values, rows);
  return accumulator.result();
}

/**
 * Writes the dataset in `datasetDir` as a LeRobot v3.0 dataset in the directory `out` (absent or
 * empty, or replaced with `overwrite`): `data/chunk-000/file-000.parquet` (files roll over at
 * about `dataFileSizeInMb`, default 100 MB, whole episodes each), `meta/info.json`, `meta/stats.json`, `meta/tasks.parquet`,
 * `meta/episodes/chunk-000/file-000.parquet`. Everything is written into a staging directory next
 * to `out` and renamed into place at the end. See the package README for every field.
 */
export async function exportLerobot(datasetDir: string, options: LerobotExportOptions): Promise<ExportResult> {
  const dataset = await openDataset(datasetDir);
  const { manifest } = dataset;
  const out = resolve(options.out);
  const overwrite = options.overwrite ?? false;
  await prepareDirectoryTarget(out, overwrite);
  const task = getTask(manifest.taskId);
  const fps = DEFAULT_PHYSICS.controlHz;
  const obsSize = manifest.obsNames.length;
  const actionSize = manifest.actionNames.length;
  const features = lerobotFeatures(manifest.obsNames, manifest.actionNames);
  const valid = validationMask(dataset.count, options.validFraction ?? DEFAULT_VALID_FRACTION);
  // Whole episodes per file; a new file starts once this one holds about dataFileSizeInMb.
  const dataFileSizeInMb = options.dataFileSizeInMb ?? LEROBOT_DATA_FILE_SIZE_IN_MB;
  const bytesPerFrame = 4 * (obsSize + actionSize + 2) + 1 + 8 * 4;
  const framesPerFile = Math.max(1, Math.floor((dataFileSizeInMb * 1024 * 1024) / bytesPerFrame));

  const staging = stagingPath(out);
  await makeDirectory(staging, 'create the export directory');
  try {
    const totals = Object.fromEntries(Object.entries(features).map(([name, f]) => [name, new StatsAccumulator(f.shape[0])]));
    const episodes: EpisodeRow[] = [];
    let file = new DataFile();
    let fileNumber = 0;
    let frames = 0;
    let episodeIndex = 0;
    for await (const episode of dataset) {
      if (file.frames > 0 && file.frames + episode.length > framesPerFile) {
        await writeParquet(staging, filePath(DATA_PATH, fileNumber), file.encode(features));
        file = new DataFile();
        fileNumber++;
      }
      file.add(episode, episodeIndex, frames, obsSize, actionSize, fps);
      const T = episode.length;
      totals['observation.state'].addRows(episode.obs, T);
      totals.action.addRows(episode.actions, T);
      for (let t = 0; t < T; t++) {
        totals['next.reward'].addScalar(episode.rewards[t]);
        totals['next.done'].addScalar(episode.dones[t]);
        totals.timestamp.addScalar(t / fps);
        totals.frame_index.addScalar(t);
        totals.episode_index.addScalar(episodeIndex);
        totals.index.addScalar(frames + t);
        totals.task_index.addScalar(0);
      }
      episodes.push({
        episodeIndex,
        length: T,
        fileNumber,
        from: frames,
        to: frames + T,
        split: valid[episodeIndex] ? 'valid' : 'train',
        attempt: episode.attempt,
        success: episode.success,
        stats: { 'observation.state': statsOf(episode.obs, T), action: statsOf(episode.actions, T) },
      });
      frames += T;
      episodeIndex++;
      options.onProgress?.(episodeIndex, dataset.count);
    }
    if (file.frames > 0 || fileNumber === 0) await writeParquet(staging, filePath(DATA_PATH, fileNumber), file.encode(features));

    await writeParquet(staging, filePath(EPISODES_PATH, 0), encodeEpisodes(episodes, task.description));
    await writeParquet(staging, 'meta/tasks.parquet', encodeTasks([task.description]));
    const stats = Object.fromEntries(Object.entries(totals).map(([name, accumulator]) => [name, accumulator.result()]));
    await writeFile(join(staging, 'meta/stats.json'), `${JSON.stringify(stats, null, 4)}\n`);
    const info = {
      codebase_version: LEROBOT_CODEBASE_VERSION,
      robot_type: task.agent,
      total_episodes: dataset.count,
      total_frames: frames,
      total_tasks: 1,
      chunks_size: LEROBOT_CHUNKS_SIZE,
      data_files_size_in_mb: dataFileSizeInMb,
      video_files_size_in_mb: 500,
      fps,
      splits: { train: `0:${dataset.count}` },
      data_path: DATA_PATH,
      video_path: null,
      features,
      gripgen: { task: manifest.taskId, seed: manifest.seed, configHash: manifest.configHash, sourceDemoIds: manifest.sourceDemoIds, validEpisodes: valid.flatMap((v, i) => (v ? [i] : [])) },
    };
    // info.json last: a reader that finds it finds everything else.
    await writeFile(join(staging, 'meta/info.json'), `${JSON.stringify(info, null, 4)}\n`);
    await publishDirectory(staging, out, overwrite);
    const validEpisodes = valid.filter(Boolean).length;
    return { path: out, episodes: dataset.count, frames, trainEpisodes: dataset.count - validEpisodes, validEpisodes, obsKeys: splitObsKeys(manifest.obsNames).map((k) => k.key) };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** `meta/episodes/chunk-000/file-000.parquet`: one row per episode. */
function encodeEpisodes(rows: EpisodeRow[], taskDescription: string): Uint8Array {
  const int = (f: (row: EpisodeRow) => number) => rows.map((row) => BigInt(f(row)));
  const columns: ParquetColumn[] = [
    scalarColumn('episode_index', 'INT64', int((r) => r.episodeIndex)),
    listColumn('tasks', 'STRING', rows.map(() => [taskDescription])),
    scalarColumn('length', 'INT64', int((r) => r.length)),
    scalarColumn('data/chunk_index', 'INT64', int((r) => Math.floor(r.fileNumber / LEROBOT_CHUNKS_SIZE))),
    scalarColumn('data/file_index', 'INT64', int((r) => r.fileNumber % LEROBOT_CHUNKS_SIZE)),
    scalarColumn('dataset_from_index', 'INT64', int((r) => r.from)),
    scalarColumn('dataset_to_index', 'INT64', int((r) => r.to)),
    scalarColumn('meta/episodes/chunk_index', 'INT64', int(() => 0)),
    scalarColumn('meta/episodes/file_index', 'INT64', int(() => 0)),
    scalarColumn('split', 'STRING', rows.map((r) => r.split)),
    scalarColumn('gripgen/attempt', 'INT64', int((r) => r.attempt)),
    scalarColumn('gripgen/success', 'BOOLEAN', rows.map((r) => r.success)),
  ];
  for (const feature of ['observation.state', 'action'] as const) {
    for (const stat of ['min', 'max', 'mean', 'std', 'count'] as const) {
      columns.push(listColumn(`stats/${feature}/${stat}`, stat === 'count' ? 'INT64' : 'DOUBLE', rows.map((r) => (stat === 'count' ? r.stats[feature].count.map(BigInt) : r.stats[feature][stat]))));
    }
  }
  return new Uint8Array(parquetWriteBuffer(parquetArguments(columns)));
}

/**
 * `meta/tasks.parquet`: column `task_index`, and the task strings as the pandas index named
 * `task` (what LeRobot's `pd.read_parquet` expects; pandas restores the index from the `pandas`
 * metadata pyarrow would write).
 */
function encodeTasks(tasks: string[]): Uint8Array {
  const columns = [scalarColumn('task_index', 'INT64', tasks.map((_, i) => BigInt(i))), scalarColumn('task', 'STRING', tasks)];
  const pandas = {
    index_columns: ['task'],
    column_indexes: [{ name: null, field_name: null, pandas_type: 'unicode', numpy_type: 'object', metadata: { encoding: 'UTF-8' } }],
    columns: [
      { name: 'task_index', field_name: 'task_index', pandas_type: 'int64', numpy_type: 'int64', metadata: null },
      { name: 'task', field_name: 'task', pandas_type: 'unicode', numpy_type: 'object', metadata: null },
    ],
    creator: { library: 'pyarrow', version: '17.0.0' },
    pandas_version: '2.2.0',
  };
  return new Uint8Array(parquetWriteBuffer({ ...parquetArguments(columns), kvMetadata: [{ key: 'pandas', value: JSON.stringify(pandas) }] }));
}
