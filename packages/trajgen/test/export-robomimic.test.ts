import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PHYSICS } from '@gripgen/sim-core';
import { exportRobomimic, ExportTargetExistsError, openDataset, splitObsKeys, validationMask, type Episode } from '../src/index.js';
import { writeSoundDataset } from './damaged-datasets/sound-dataset.js';
import { DATAGEN_TASKS, makeSmallDataset } from './export-fixture.js';

const READER = fileURLToPath(new URL('./read-hdf5.py', import.meta.url));

/** The Python with h5py: $GRIPGEN_PYTHON, python3 or /usr/bin/python3 (Debian's python3-h5py, which scripts/setup.sh installs). */
function findPythonWithH5py(): string | null {
  for (const candidate of [process.env.GRIPGEN_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c)) {
    if (spawnSync(candidate, ['-c', 'import h5py'], { encoding: 'utf8' }).status === 0) return candidate;
  }
  return null;
}
const python = findPythonWithH5py();
// CI runs scripts/setup.sh (which installs python3-h5py), so there a missing h5py is a set-up bug.
if (!python && process.env.CI) throw new Error('python3 with h5py not found; scripts/setup.sh installs python3-h5py');
const NO_H5PY = 'skipped: no python3 with h5py (run scripts/setup.sh, which installs Debian\'s python3-h5py, or set GRIPGEN_PYTHON)';

interface Dump {
  attrs: Record<string, Record<string, unknown>>;
  datasets: Record<string, { dtype: string; shape: number[]; data: unknown[] }>;
}

/** Reads the HDF5 file with h5py. */
function readWithH5py(file: string): Dump {
  const run = spawnSync(python!, [READER, file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`read-hdf5.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Dump;
}

/** Rotation matrix of a unit quaternion by rotating the basis vectors (v' = q v q*), row-major 3×3. */
function rotationOf(qx: number, qy: number, qz: number, qw: number): number[] {
  const rotate = (v: number[]) => {
    // t = 2 q×v; v' = v + w t + q×t
    const t = [2 * (qy * v[2] - qz * v[1]), 2 * (qz * v[0] - qx * v[2]), 2 * (qx * v[1] - qy * v[0])];
    return [v[0] + qw * t[0] + (qy * t[2] - qz * t[1]), v[1] + qw * t[1] + (qz * t[0] - qx * t[2]), v[2] + qw * t[2] + (qx * t[1] - qy * t[0])];
  };
  const columns = [rotate([1, 0, 0]), rotate([0, 1, 0]), rotate([0, 0, 1])];
  return [0, 1, 2].flatMap((r) => columns.map((c) => c[r]));
}

/** Checks `[T,4,4]` matrices against `[T,7]` poses: translation exact, rotation within 1e-6. */
function expectMatrices(matrices: { shape: number[]; data: unknown[] }, poses: Float32Array, length: number): void {
  expect(matrices.shape).toEqual([length, 4, 4]);
  const m = matrices.data as number[];
  for (let t = 0; t < length; t++) {
    const p = Array.from(poses.subarray(t * 7, t * 7 + 7));
    const row = m.slice(t * 16, t * 16 + 16);
    expect([row[3], row[7], row[11]]).toEqual(p.slice(0, 3));
    expect(row.slice(12)).toEqual([0, 0, 0, 1]);
    const rotation = [0, 1, 2, 4, 5, 6, 8, 9, 10].map((i) => row[i]);
    rotationOf(p[3], p[4], p[5], p[6]).forEach((value, i) => expect(Math.abs(rotation[i] - value)).toBeLessThan(1e-6));
  }
}

/** Row-major rows [from, to) of a `[T, width]` matrix as numbers. */
const columns = (matrix: Float32Array, width: number, from: number, to: number) =>
  Array.from({ length: matrix.length / width }, (_, t) => Array.from(matrix.subarray(t * width + from, t * width + to))).flat();

describe.each(DATAGEN_TASKS)('robomimic export of a %s dataset', (task) => {
  let dir: string;
  let datasetDir: string;
  let episodes: Episode[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gripgen-export-robomimic-'));
    datasetDir = await makeSmallDataset(dir, task);
    episodes = await (await openDataset(datasetDir)).toArray();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.skipIf(!python)(python ? 'h5py reads back every value of the source dataset' : NO_H5PY, async () => {
    const { manifest } = await openDataset(datasetDir);
    const result = await exportRobomimic(datasetDir, { out: join(dir, 'robomimic') });
    expect(result.episodes).toBe(episodes.length);
    const dump = readWithH5py(result.path);
    const obsSize = manifest.obsNames.length;
    const keys = splitObsKeys(manifest.obsNames);
    expect(keys.reduce((sum, k) => sum + k.width, 0)).toBe(obsSize);

    const total = episodes.reduce((sum, e) => sum + e.length, 0);
    expect(dump.attrs.data.total).toBe(total);
    const envArgs = JSON.parse(dump.attrs.data.env_args as string);
    expect(envArgs).toMatchObject({ env_name: task, type: 2, env_kwargs: { task, seed: manifest.seed, control_hz: DEFAULT_PHYSICS.controlHz, obs_names: manifest.obsNames, action_names: manifest.actionNames } });

    const valid = validationMask(episodes.length);
    expect(dump.datasets['mask/train'].data).toEqual(episodes.flatMap((_, i) => (valid[i] ? [] : [`demo_${i}`])));
    expect(dump.datasets['mask/valid'].data).toEqual(episodes.flatMap((_, i) => (valid[i] ? [`demo_${i}`] : [])));

    episodes.forEach((episode, i) => {
      const demo = `data/demo_${i}`;
      const T = episode.length;
      const get = (name: string) => dump.datasets[`${demo}/${name}`];
      expect(dump.attrs[demo]).toMatchObject({ num_samples: T, gripgen_attempt: episode.attempt, world_seed: episode.world.seed, world_episode: episode.world.episode, world_id: episode.world.worldId });
      expect(get('actions')).toEqual({ dtype: '<f4', shape: [T, 7], data: Array.from(episode.actions) });
      expect(get('rewards')).toEqual({ dtype: '<f4', shape: [T], data: Array.from(episode.rewards) });
      expect(get('dones')).toEqual({ dtype: '|u1', shape: [T], data: Array.from(episode.dones) });
      expect(get('states')).toEqual({ dtype: '<f4', shape: [T, obsSize], data: Array.from(episode.obs) });
      for (const key of keys) {
        const rows = columns(episode.obs, obsSize, key.start, key.start + key.width);
        expect(get(`obs/${key.key}`)).toEqual({ dtype: '<f4', shape: [T, key.width], data: rows });
        // next_obs: the rows shifted by one, the last one repeated.
        expect(get(`next_obs/${key.key}`).data).toEqual([...rows.slice(key.width), ...rows.slice(rows.length - key.width)]);
      }
      expect(get('src_demo_inds').data).toEqual(episode.srcDemoIndices);
      expect(get('src_demo_labels')).toMatchObject({ shape: [T, 1], data: Array.from(episode.srcDemoLabels) });
      expectMatrices(get('datagen_info/eef_pose'), episode.datagen.eefPose, T);
      expectMatrices(get('datagen_info/target_pose'), episode.datagen.targetPose, T);
      for (const [name, poses] of Object.entries(episode.datagen.objectPoses)) expectMatrices(get(`datagen_info/object_poses/${name}`), poses, T);
      expect(get('datagen_info/gripper_action')).toMatchObject({ shape: [T, 1], data: Array.from(episode.datagen.gripperAction) });
      for (const [name, flags] of Object.entries(episode.datagen.signals)) expect(get(`datagen_info/subtask_term_signals/${name}`).data).toEqual(Array.from(flags));
    });
  });
});

describe('robomimic export of a synthetic dataset', () => {
  let dir: string;
  let datasetDir: string;
  let episodes: Episode[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gripgen-export-robomimic-'));
    datasetDir = join(dir, 'dataset');
    await writeSoundDataset(datasetDir);
    episodes = await (await openDataset(datasetDir)).toArray();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses to overwrite an existing export unless asked', async () => {
    const out = join(dir, 'again');
    await exportRobomimic(datasetDir, { out });
    await expect(exportRobomimic(datasetDir, { out })).rejects.toThrow(ExportTargetExistsError);
    await expect(exportRobomimic(datasetDir, { out, overwrite: true })).resolves.toMatchObject({ episodes: episodes.length });
  });
});

describe('split and keys', () => {
  it('validationMask spreads the validation episodes evenly and deterministically', () => {
    const mask = validationMask(100);
    expect(mask.flatMap((v, i) => (v ? [i] : []))).toEqual([9, 19, 29, 39, 49, 59, 69, 79, 89, 99]);
    expect(validationMask(3).filter(Boolean)).toHaveLength(1);
    expect(validationMask(1)).toEqual([false]);
    expect(validationMask(5, 0)).toEqual([false, false, false, false, false]);
  });

  it('splitObsKeys groups vector components and keeps scalars', () => {
    expect(splitObsKeys(['ee_pos_x', 'ee_pos_y', 'ee_pos_z', 'gripper_opening', 'cube_quat_x', 'cube_quat_y', 'cube_quat_z', 'cube_quat_w']).map((k) => [k.key, k.start, k.width])).toEqual([
      ['ee_pos', 0, 3],
      ['gripper_opening', 3, 1],
      ['cube_quat', 4, 4],
    ]);
    expect(() => splitObsKeys(['a_x', 'b', 'a_y'])).toThrow(/"a".*not in one run/);
  });
});
