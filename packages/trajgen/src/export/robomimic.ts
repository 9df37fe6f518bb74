/**
 * Export of a gripgen dataset as a robomimic HDF5 file (the format MimicGen and Isaac Lab Mimic
 * write), through h5wasm (the HDF5 C library compiled to WebAssembly).
 */
import { rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type H5wasm from 'h5wasm/node';
import { DEFAULT_PHYSICS } from '@gripgen/sim-core';
import { openDataset } from '../dataset/reader.js';
import type { Episode } from '../episode.js';
import { posesToMatrices } from './pose-matrix.js';
import { prepareFileTarget, stagingPath } from './export-target.js';
import { sliceObsKey, splitObsKeys, type ObsKey } from './obs-keys.js';
import { DEFAULT_VALID_FRACTION, validationMask } from './split.js';

/** File name of the robomimic export inside `--out` (MimicGen names its output `demo.hdf5` too). */
export const ROBOMIMIC_FILE = 'demo.hdf5';

/** robomimic's `EnvType.GYM_TYPE`: gripgen's vector env follows Gymnasium's conventions. */
export const ROBOMIMIC_ENV_TYPE = 2;

/** Options of {@link exportRobomimic}. */
export interface ExportOptions {
  /** Output directory (created if missing). */
  out: string;
  /** Replace an existing export (default false: an existing target is an error). */
  overwrite?: boolean;
  /** Fraction of episodes in the validation split (default 0.1; see `validationMask`). */
  validFraction?: number;
  /** Called after each episode is written. */
  onProgress?: (written: number, total: number) => void;
}

/** What an export wrote. */
export interface ExportResult {
  /** The file (robomimic) or directory (LeRobot) written. */
  path: string;
  episodes: number;
  /** Total control steps (robomimic `total`, LeRobot `total_frames`). */
  frames: number;
  trainEpisodes: number;
  validEpisodes: number;
  /** The observation keys the vector was split into. */
  obsKeys: string[];
}

/**
 * Writes the dataset in `datasetDir` as `<out>/demo.hdf5` in robomimic's layout:
 * `data/demo_<i>/{actions, obs/<key>, next_obs/<key>, rewards, dones, states}` per episode i (in
 * dataset order), `num_samples` on each demo, `total` and `env_args` on `data`, `mask/train` and
 * `mask/valid`, and MimicGen's `datagen_info`, `src_demo_inds` and `src_demo_labels`. The file is
 * written under a temporary name and renamed when complete. See the package README for every field.
 */
export async function exportRobomimic(datasetDir: string, options: ExportOptions): Promise<ExportResult> {
  const dataset = await openDataset(datasetDir);
  const { manifest } = dataset;
  const path = resolve(join(options.out, ROBOMIMIC_FILE));
  await prepareFileTarget(path, options.overwrite ?? false);
  const obsKeys = splitObsKeys(manifest.obsNames);
  const valid = validationMask(dataset.count, options.validFraction ?? DEFAULT_VALID_FRACTION);

  // Loaded on first use: h5wasm's Node build refuses to evaluate in a browser, and the viewer
  // bundles this package.
  const { default: h5wasm } = await import('h5wasm/node');
  await h5wasm.ready;
  const staging = stagingPath(path);
  const file = new h5wasm.File(staging, 'w');
  let frames = 0;
  try {
    const data = file.create_group('data');
    let index = 0;
    for await (const episode of dataset) {
      writeDemo(data.create_group(`demo_${index}`), episode, manifest.obsNames.length, obsKeys);
      frames += episode.length;
      index++;
      options.onProgress?.(index, dataset.count);
    }
    data.create_attribute('total', frames, null, '<i8');
    const config = manifest.config as Record<string, unknown>;
    const envArgs = {
      env_name: manifest.taskId,
      type: ROBOMIMIC_ENV_TYPE,
      env_kwargs: {
        task: manifest.taskId,
        seed: manifest.seed,
        randomization: config.randomization ?? null,
        backend: config.backend ?? null,
        action_mode: 'delta',
        control_hz: DEFAULT_PHYSICS.controlHz,
        obs_names: manifest.obsNames,
        action_names: manifest.actionNames,
      },
    };
    data.create_attribute('env_args', JSON.stringify(envArgs));
    data.create_attribute('gripgen_config_hash', manifest.configHash);
    data.create_attribute('gripgen_source_demo_ids', JSON.stringify(manifest.sourceDemoIds));
    const names = (isValid: boolean) => valid.flatMap((v, i) => (v === isValid ? [`demo_${i}`] : []));
    const mask = file.create_group('mask');
    writeNames(mask, 'train', names(false));
    writeNames(mask, 'valid', names(true));
  } catch (error) {
    file.close();
    await rm(staging, { force: true });
    throw error;
  }
  file.close();
  await rename(staging, path);
  const validEpisodes = valid.filter(Boolean).length;
  return { path, episodes: dataset.count, frames, trainEpisodes: dataset.count - validEpisodes, validEpisodes, obsKeys: obsKeys.map((k) => k.key) };
}

type Group = ReturnType<InstanceType<typeof H5wasm.File>['create_group']>;

/** A `[rows, ...]` float32 dataset. */
function floats(group: Group, name: string, data: Float32Array, shape: number[]): void {
  group.create_dataset({ name, data, shape, dtype: '<f4' });
}

/** An array of demo names as fixed-length byte strings (what robomimic's masks hold). */
function writeNames(group: Group, name: string, names: string[]): void {
  const width = Math.max(1, ...names.map((n) => n.length));
  group.create_dataset({ name, data: names, shape: [names.length], dtype: `S${width}` });
}

/** One `data/demo_<i>` group. */
function writeDemo(demo: Group, episode: Episode, obsSize: number, obsKeys: ObsKey[]): void {
  const length = episode.length;
  demo.create_attribute('num_samples', length, null, '<i8');
  demo.create_attribute('gripgen_attempt', episode.attempt, null, '<i8');
  demo.create_attribute('world_seed', episode.world.seed, null, '<i8');
  demo.create_attribute('world_episode', episode.world.episode, null, '<i8');
  demo.create_attribute('world_id', episode.world.worldId, null, '<i8');
  demo.create_attribute('success', episode.success ? 1 : 0, null, '<i8');
  demo.create_attribute('success_step', episode.successStep, null, '<i8');
  demo.create_attribute('subtask_starts', JSON.stringify(episode.subtaskStarts));

  floats(demo, 'actions', episode.actions, [length, episode.actions.length / length]);
  floats(demo, 'rewards', episode.rewards, [length]);
  demo.create_dataset({ name: 'dones', data: episode.dones, shape: [length], dtype: '<B' });
  floats(demo, 'states', episode.obs, [length, obsSize]);
  const nextObs = nextObservations(episode.obs, obsSize);
  const obs = demo.create_group('obs');
  const next = demo.create_group('next_obs');
  for (const key of obsKeys) {
    floats(obs, key.key, sliceObsKey(episode.obs, obsSize, key), [length, key.width]);
    floats(next, key.key, sliceObsKey(nextObs, obsSize, key), [length, key.width]);
  }

  demo.create_dataset({ name: 'src_demo_inds', data: [...episode.srcDemoIndices], shape: [episode.srcDemoIndices.length], dtype: '<i4' });
  demo.create_dataset({ name: 'src_demo_labels', data: Array.from(episode.srcDemoLabels), shape: [length, 1], dtype: '<i4' });
  const info = demo.create_group('datagen_info');
  floats(info, 'eef_pose', posesToMatrices(episode.datagen.eefPose), [length, 4, 4]);
  floats(info, 'target_pose', posesToMatrices(episode.datagen.targetPose), [length, 4, 4]);
  floats(info, 'gripper_action', episode.datagen.gripperAction, [length, 1]);
  const objects = info.create_group('object_poses');
  for (const [name, poses] of Object.entries(episode.datagen.objectPoses)) floats(objects, name, posesToMatrices(poses), [length, 4, 4]);
  const signals = info.create_group('subtask_term_signals');
  for (const [name, flags] of Object.entries(episode.datagen.signals)) signals.create_dataset({ name, data: flags, shape: [length], dtype: '<B' });
}

/**
 * Row t is observation t + 1; the last row repeats the last observation (the dataset does not
 * record the observation after an episode's final step, and `dones` is 1 there).
 */
export function nextObservations(obs: Float32Array, obsSize: number): Float32Array {
  const next = new Float32Array(obs.length);
  next.set(obs.subarray(obsSize));
  next.set(obs.subarray(obs.length - obsSize), obs.length - obsSize);
  return next;
}
