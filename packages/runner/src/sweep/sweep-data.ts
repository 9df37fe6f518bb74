/**
 * The data a sweep trains on: source demos recorded with the scripted expert, and one generated
 * dataset of max N trajectories per training randomization (for a coverage law, one dataset of
 * N trajectories per number of distinct scenes D), all kept under the sweep's output folder and
 * reused (or resumed) by later runs with the same settings.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  generateDataset,
  hashJson,
  openDataset,
  readSourceDemos,
  recordExpertDemos,
  writeSourceDemos,
  type Dataset,
  type GenerationProgress,
  type JsonValue,
  type SourceDemo,
} from '@gripgen/trajgen';
import type { TrainingEpisode } from '../policy/train.js';
import type { SweepConfig } from './sweep-config.js';

/** Progress of data preparation. */
export type DataProgress =
  | { stage: 'demos'; done: number; total: number }
  /** `worlds` and the longest source demo's length let a progress printer model the ETA (cli/generation-eta.ts). */
  | { stage: 'generate'; series: string; progress: GenerationProgress; worlds: number; longestDemoSteps: number };

/** Source demos of the sweep: read from `<out>/source-demos/…` or recorded there first. */
export async function ensureSourceDemos(out: string, config: SweepConfig, onProgress?: (p: DataProgress) => void): Promise<SourceDemo[]> {
  const { count, randomization, seed } = config.sourceDemos;
  const dir = join(out, 'source-demos', `${config.task}-${randomization}-seed${seed}-n${count}`);
  const existing = await readSourceDemos(dir).catch(() => null);
  if (existing && existing.length === count) return existing;
  const demos = await recordExpertDemos({
    task: config.task,
    count,
    randomization,
    seed,
    backend: 'rapier',
    ...(config.threads !== undefined && { threads: config.threads }),
    onProgress: (done, total) => onProgress?.({ stage: 'demos', done, total }),
  });
  await writeSourceDemos(dir, demos);
  return demos;
}

/** What makes a generated dataset what it is, apart from its size (and its scenes, when restricted). */
function datasetIdentity(config: SweepConfig, trainRandomization: string, scenes?: readonly number[]): string {
  const { task, sourceDemos, generation, backend } = config;
  const identity = { task, sourceDemos, generationSeed: generation.seed, generationConfig: generation.config, trainRandomization, backend, ...(scenes && { scenes: [...scenes] }) };
  return hashJson(identity as unknown as JsonValue)
    .replace(/^sha256:/, '')
    .slice(0, 10);
}

/**
 * A dataset of at least `count` successful trajectories generated from `demos` in worlds of
 * `trainRandomization`. Reuses a finished dataset of the same identity with at least `count`
 * trajectories (trajectories come in attempt order, so its first `count` are exactly what a
 * run for `count` would make); otherwise generates (or resumes) `<out>/datasets/<name>-<id>-<count>`.
 */
export async function ensureDataset(
  out: string,
  config: SweepConfig,
  series: { name: string; trainRandomization: string },
  demos: readonly SourceDemo[],
  count: number,
  onProgress?: (p: DataProgress) => void,
): Promise<Dataset> {
  const root = join(out, 'datasets');
  const prefix = `${series.trainRandomization}-${datasetIdentity(config, series.trainRandomization)}-`;
  const names = await readdir(root).catch(() => [] as string[]);
  const sizes = names
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .map((name) => Number(name.slice(prefix.length)))
    .filter((size) => size >= count)
    .sort((a, b) => a - b);
  for (const size of sizes) {
    const dataset = await openDataset(join(root, `${prefix}${size}`)).catch(() => null);
    if (dataset?.manifest.complete && dataset.count >= count) return dataset;
  }
  const dir = join(root, `${prefix}${count}`);
  await generateSeriesDataset(dir, config, series.trainRandomization, series.name, demos, count, onProgress);
  const dataset = await openDataset(dir);
  if (dataset.count < count) throw new Error(`dataset ${dir} holds ${dataset.count} trajectories, the sweep needs ${count}`);
  return dataset;
}

/**
 * Generates (or resumes) `count` successful trajectories of a series into `dir` with the sweep's
 * generation settings; with `scenes`, only in those worlds (see trajgen's `scenes`).
 */
async function generateSeriesDataset(
  dir: string,
  config: SweepConfig,
  randomization: string,
  label: string,
  demos: readonly SourceDemo[],
  count: number,
  onProgress: ((p: DataProgress) => void) | undefined,
  scenes?: readonly number[],
): Promise<void> {
  await generateDataset({
    demos,
    out: dir,
    config: { ...config.generation.config, numTrials: count, guarantee: true },
    worlds: config.generation.worlds,
    backend: config.backend,
    randomization,
    seed: config.generation.seed,
    ...(scenes !== undefined && { scenes }),
    ...(config.threads !== undefined && { threads: config.threads }),
    onProgress: (progress) =>
      onProgress?.({ stage: 'generate', series: label, progress, worlds: config.generation.worlds, longestDemoSteps: Math.max(...demos.map((d) => d.length)) }),
  });
}

/**
 * The scenes of a coverage law: the worlds (episode indices of the generation seed) of the first
 * `count` trajectories of the series' ordinary dataset ({@link ensureDataset}), in order. Each
 * of them has given one successful generated trajectory, so generation can succeed there; the
 * scenes of a smaller D are the first D of a larger D's (nested, like the prefixes of N).
 */
export async function scenePool(
  out: string,
  config: SweepConfig,
  series: { name: string; trainRandomization: string },
  demos: readonly SourceDemo[],
  count: number,
  onProgress?: (p: DataProgress) => void,
): Promise<{ dataset: Dataset; episodes: number[] }> {
  const dataset = await ensureDataset(out, config, series, demos, count, onProgress);
  const episodes: number[] = [];
  for await (const e of dataset.subset(count)) episodes.push(e.world.episode);
  return { dataset, episodes };
}

/**
 * A dataset of exactly `count` successful trajectories generated in the given scenes only
 * (trajgen's `scenes`: attempt k in world `scenes[k mod D]`, every scene kept to an even share
 * of `count`, so each of the D scenes is in it), in `<out>/datasets/<rand>-d<D>-<id>-<count>`,
 * reused or resumed when it exists.
 */
export async function ensureSceneDataset(
  out: string,
  config: SweepConfig,
  series: { name: string; trainRandomization: string },
  demos: readonly SourceDemo[],
  scenes: readonly number[],
  count: number,
  onProgress?: (p: DataProgress) => void,
): Promise<Dataset> {
  const label = `${series.name} D=${scenes.length}`;
  const dir = join(out, 'datasets', `${series.trainRandomization}-d${scenes.length}-${datasetIdentity(config, series.trainRandomization, scenes)}-${count}`);
  const existing = await openDataset(dir).catch(() => null);
  if (existing?.manifest.complete && existing.count === count) return existing;
  await generateSeriesDataset(dir, config, series.trainRandomization, label, demos, count, onProgress, scenes);
  const dataset = await openDataset(dir);
  if (dataset.count !== count) throw new Error(`dataset ${dir} holds ${dataset.count} trajectories, the sweep needs ${count}`);
  return dataset;
}

/** The first `count` trajectories of a dataset as training episodes (observations and actions). */
export async function loadTrainingEpisodes(dataset: Dataset, count: number): Promise<TrainingEpisode[]> {
  if (count > dataset.count) throw new Error(`dataset ${dataset.dir} holds ${dataset.count} trajectories, asked for ${count}`);
  const episodes: TrainingEpisode[] = [];
  // One episode at a time, copying only what training reads (the decoded arrays may be views of a whole shard).
  for await (const e of dataset.subset(count)) episodes.push({ obs: e.obs.slice(), actions: e.actions.slice(), length: e.length });
  return episodes;
}
