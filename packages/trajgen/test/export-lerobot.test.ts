/**
 * LeRobot v3.0 export read back with DuckDB (a parquet reader independent of the writer), every
 * value compared with the source dataset; datasets generated on the rapier backend.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PHYSICS, getTask } from '@gripgen/sim-core';
import { exportLerobot, ExportTargetExistsError, openDataset, validationMask, type Episode } from '../src/index.js';
import { writeSoundDataset } from './damaged-datasets/sound-dataset.js';
import { DATAGEN_TASKS, makeSmallDataset } from './export-fixture.js';

/** All rows of a parquet file as JS values (BIGINT as bigint, lists as arrays). */
async function readParquet(db: DuckDBConnection, file: string, orderBy: string): Promise<Record<string, unknown>[]> {
  const reader = await db.runAndReadAll(`SELECT * FROM read_parquet('${file.replaceAll("'", "''")}') ORDER BY "${orderBy}"`);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

/** Rows of a `[T, width]` matrix. */
const rowsOf = (matrix: Float32Array, width: number) => Array.from({ length: matrix.length / width }, (_, t) => Array.from(matrix.subarray(t * width, (t + 1) * width)));

/** Population mean and std per dimension (two passes, float64), min and max. */
function referenceStats(rows: number[][]) {
  const width = rows[0].length;
  const dims = Array.from({ length: width }, (_, d) => rows.map((r) => r[d]));
  const mean = dims.map((v) => v.reduce((a, b) => a + b, 0) / v.length);
  const std = dims.map((v, d) => Math.sqrt(v.reduce((a, b) => a + (b - mean[d]) ** 2, 0) / v.length));
  return { min: dims.map((v) => Math.min(...v)), max: dims.map((v) => Math.max(...v)), mean, std, count: [rows.length] };
}

function expectStatsClose(actual: { min: number[]; max: number[]; mean: number[]; std: number[]; count: number[] }, expected: ReturnType<typeof referenceStats>): void {
  expect(actual.min).toEqual(expected.min);
  expect(actual.max).toEqual(expected.max);
  expect(actual.count).toEqual(expected.count);
  for (const key of ['mean', 'std'] as const) actual[key].forEach((v, d) => expect(Math.abs(v - expected[key][d])).toBeLessThan(1e-9 * (1 + Math.abs(expected[key][d]))));
}

let db: DuckDBConnection;
beforeAll(async () => {
  db = await (await DuckDBInstance.create(':memory:')).connect();
});

describe.each(DATAGEN_TASKS)('LeRobot v3.0 export of a %s dataset', (taskId) => {
  let dir: string;
  let datasetDir: string;
  let episodes: Episode[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gripgen-export-lerobot-'));
    datasetDir = await makeSmallDataset(dir, taskId);
    episodes = await (await openDataset(datasetDir)).toArray();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('DuckDB reads back every value of the source dataset; info, stats, tasks and episodes agree', async () => {
    const { manifest } = await openDataset(datasetDir);
    const out = join(dir, 'lerobot');
    const result = await exportLerobot(datasetDir, { out });
    const fps = DEFAULT_PHYSICS.controlHz;
    const task = getTask(taskId);
    const obsSize = manifest.obsNames.length;
    const totalFrames = episodes.reduce((sum, e) => sum + e.length, 0);
    expect(result).toMatchObject({ path: out, episodes: episodes.length, frames: totalFrames });

    const info = JSON.parse(await readFile(join(out, 'meta/info.json'), 'utf8'));
    expect(info).toMatchObject({
      codebase_version: 'v3.0',
      robot_type: task.agent,
      fps,
      total_episodes: episodes.length,
      total_frames: totalFrames,
      total_tasks: 1,
      chunks_size: 1000,
      splits: { train: `0:${episodes.length}` },
      data_path: 'data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet',
      video_path: null,
    });
    expect(info.features['observation.state']).toEqual({ dtype: 'float32', shape: [obsSize], names: manifest.obsNames });
    expect(info.features.action).toEqual({ dtype: 'float32', shape: [7], names: manifest.actionNames });
    for (const name of ['timestamp', 'frame_index', 'episode_index', 'index', 'task_index', 'next.reward', 'next.done']) expect(info.features[name].shape).toEqual([1]);

    const frames = await readParquet(db, join(out, 'data/chunk-000/file-000.parquet'), 'index');
    expect(frames).toHaveLength(totalFrames);
    let index = 0;
    episodes.forEach((episode, e) => {
      const state = rowsOf(episode.obs, obsSize);
      const action = rowsOf(episode.actions, 7);
      for (let t = 0; t < episode.length; t++, index++) {
        expect(frames[index]).toEqual({
          'observation.state': state[t],
          action: action[t],
          'next.reward': episode.rewards[t],
          'next.done': episode.dones[t] === 1,
          timestamp: Math.fround(t / fps),
          frame_index: BigInt(t),
          episode_index: BigInt(e),
          index: BigInt(index),
          task_index: 0n,
        });
      }
    });

    const tasks = await readParquet(db, join(out, 'meta/tasks.parquet'), 'task_index');
    expect(tasks).toEqual([{ task_index: 0n, task: task.description }]);

    const valid = validationMask(episodes.length);
    const episodeRows = await readParquet(db, join(out, 'meta/episodes/chunk-000/file-000.parquet'), 'episode_index');
    let from = 0;
    episodes.forEach((episode, e) => {
      const row = episodeRows[e];
      expect(row).toMatchObject({
        episode_index: BigInt(e),
        tasks: [task.description],
        length: BigInt(episode.length),
        'data/chunk_index': 0n,
        'data/file_index': 0n,
        dataset_from_index: BigInt(from),
        dataset_to_index: BigInt(from + episode.length),
        'meta/episodes/chunk_index': 0n,
        'meta/episodes/file_index': 0n,
        split: valid[e] ? 'valid' : 'train',
        'gripgen/attempt': BigInt(episode.attempt),
      });
      const stats = referenceStats(rowsOf(episode.obs, obsSize));
      expectStatsClose(
        {
          min: row['stats/observation.state/min'] as number[],
          max: row['stats/observation.state/max'] as number[],
          mean: row['stats/observation.state/mean'] as number[],
          std: row['stats/observation.state/std'] as number[],
          count: (row['stats/observation.state/count'] as bigint[]).map(Number),
        },
        stats,
      );
      from += episode.length;
    });

    const stats = JSON.parse(await readFile(join(out, 'meta/stats.json'), 'utf8'));
    expectStatsClose(stats['observation.state'], referenceStats(episodes.flatMap((e) => rowsOf(e.obs, obsSize))));
    expectStatsClose(stats.action, referenceStats(episodes.flatMap((e) => rowsOf(e.actions, 7))));
    expectStatsClose(stats['next.reward'], referenceStats(episodes.flatMap((e) => Array.from(e.rewards, (r) => [r]))));
    expectStatsClose(stats.frame_index, referenceStats(episodes.flatMap((e) => Array.from({ length: e.length }, (_, t) => [t]))));
  });
});

describe('LeRobot export of a synthetic dataset', () => {
  let dir: string;
  let datasetDir: string;
  let episodes: Episode[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gripgen-export-lerobot-'));
    datasetDir = join(dir, 'dataset');
    await writeSoundDataset(datasetDir);
    episodes = await (await openDataset(datasetDir)).toArray();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('rolls data files over at dataFileSizeInMb, whole episodes each, and the episodes table says where each is', async () => {
    const out = join(dir, 'small-files');
    // One frame's worth: every episode gets a file of its own.
    await exportLerobot(datasetDir, { out, dataFileSizeInMb: 0.0001 });
    const info = JSON.parse(await readFile(join(out, 'meta/info.json'), 'utf8'));
    expect(info.data_files_size_in_mb).toBe(0.0001);
    const episodeRows = await readParquet(db, join(out, 'meta/episodes/chunk-000/file-000.parquet'), 'episode_index');
    const files = new Set(episodeRows.map((row) => row['data/file_index']));
    expect(files.size).toBe(episodes.length);
    let index = 0;
    for (const [e, row] of episodeRows.entries()) {
      const file = join(out, `data/chunk-000/file-${String(row['data/file_index']).padStart(3, '0')}.parquet`);
      const frames = (await readParquet(db, file, 'index')).filter((frame) => frame.episode_index === BigInt(e));
      expect(frames.map((frame) => frame.index)).toEqual(Array.from({ length: episodes[e].length }, (_, t) => BigInt(index + t)));
      expect(frames.map((frame) => frame['observation.state'])).toEqual(rowsOf(episodes[e].obs, episodes[e].obs.length / episodes[e].length));
      index += episodes[e].length;
    }
    const all = await db.runAndReadAll(`SELECT count(*) AS n, count(DISTINCT index) AS d FROM read_parquet('${join(out, 'data/*/*.parquet')}')`);
    expect(all.getRowObjectsJS()).toEqual([{ n: BigInt(index), d: BigInt(index) }]);
  });

  it('refuses to write into a non-empty directory unless asked', async () => {
    const out = join(dir, 'again');
    await exportLerobot(datasetDir, { out });
    await expect(exportLerobot(datasetDir, { out })).rejects.toThrow(ExportTargetExistsError);
    await expect(exportLerobot(datasetDir, { out, overwrite: true })).resolves.toMatchObject({ episodes: episodes.length });
  });
});
