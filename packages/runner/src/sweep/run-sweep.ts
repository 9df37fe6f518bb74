/**
 * A scaling sweep: for each series (training randomization), one generated dataset of max N
 * trajectories; for each N (a prefix of that dataset) and training seed, a behaviour-cloning
 * policy trained and evaluated on the same held-out worlds; then the log-linear fit per series.
 * Every (series, N, seed) result is cached on disk, so an interrupted sweep resumes.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashJson, type GenerationProgress } from '@gripgen/trajgen';
import type { GpuAdapterDescription } from '@gripgen/sim-core';
import { curvePoint, analyzeCurveSeries } from '../curve/analysis.js';
import type { CurvePoint, CurveReport, CurveSeriesResult } from '../curve/curve-types.js';
import { describeMachine } from '../cli/machine.js';
import { evaluatePolicy, type PolicyEvaluation } from '../evaluate/evaluate-policy.js';
import type { ChunkExecution } from '../evaluate/chunk-executor.js';
import { encodePolicy } from '../policy/policy-file.js';
import { trainPolicy, type TrainingEpisode } from '../policy/train.js';
import { trainingSteps, type SweepConfig } from './sweep-config.js';
import { ensureDataset, ensureSourceDemos, loadTrainingEpisodes, type DataProgress } from './sweep-data.js';

/** What a sweep reports while it runs. */
export type SweepEvent =
  | DataProgress
  | { stage: 'train'; series: string; n: number; seed: number; step: number; steps: number; loss: number }
  | { stage: 'evaluate'; series: string; n: number; seed: number; done: number; total: number }
  | { stage: 'point'; series: string; point: CurvePoint; cached: boolean; index: number; total: number };

/** Options of {@link runSweep}. */
export interface SweepOptions {
  /** Output folder: data, per-point cache and policies (the artifacts are written by the caller). */
  out: string;
  config: SweepConfig;
  /** Chart and report title. */
  title: string;
  onEvent?: (event: SweepEvent) => void;
}

/** One cached (series, N, seed) result, `<out>/runs/<series>/n<N>-seed<seed>.json`. */
interface PointRecord {
  /** Hash of everything the result depends on; a record with another key is recomputed. */
  key: string;
  point: CurvePoint;
  evaluation: PolicyEvaluation;
  trainingSteps: number;
  samples: number;
}

/** Training events are reported every this many optimizer steps. */
const TRAIN_EVENT_EVERY = 50;

/** The settings a (series, N, seed) result depends on. */
function pointKey(config: SweepConfig, trainRandomization: string, n: number, seed: number): string {
  const { task, sourceDemos, generation, policy, training, evalWorlds, evalSeed, evalRandomization, evalSteps, backend } = config;
  return hashJson({
    task,
    trainRandomization,
    n,
    seed,
    sourceDemos,
    generation,
    policy,
    training,
    evalWorlds,
    evalSeed,
    evalRandomization,
    evalSteps,
    backend,
  } as never);
}

async function readRecord(file: string, key: string): Promise<PointRecord | null> {
  try {
    const record = JSON.parse(await readFile(file, 'utf8')) as PointRecord;
    return record.key === key ? record : null;
  } catch {
    return null;
  }
}

async function writeAtomic(file: string, text: string): Promise<void> {
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}

/**
 * Runs (or resumes) the sweep and returns its report: per series the points, the fit, the
 * slope's bootstrap interval and the saturation. Trained policies are kept next to their cached
 * results (`n<N>-seed<seed>.policy.json`, loadable with `loadPolicyFile`).
 */
export async function runSweep(options: SweepOptions): Promise<CurveReport> {
  const { out, config, onEvent } = options;
  const started = performance.now();
  const timings = { data: 0, train: 0, evaluate: 0, total: 0 };
  let adapter: GpuAdapterDescription | null = null;
  const maxN = config.counts[config.counts.length - 1];
  const total = config.series.length * config.counts.length * config.seeds;
  let index = 0;
  const results: CurveSeriesResult[] = [];
  const dataStats: Record<string, { dataset: string; generation: GenerationProgress | null }> = {};

  let demos: Awaited<ReturnType<typeof ensureSourceDemos>> | null = null;
  for (const series of config.series) {
    const runDir = join(out, 'runs', series.name);
    await mkdir(runDir, { recursive: true });
    const points: CurvePoint[] = [];
    let episodes: TrainingEpisode[] | null = null;
    let names = { obs: [] as string[], action: [] as string[] };
    const trainingSeeds = [config.generation.seed, config.sourceDemos.seed];
    for (const n of config.counts) {
      for (let seed = 0; seed < config.seeds; seed++) {
        const key = pointKey(config, series.trainRandomization, n, seed);
        const file = join(runDir, `n${n}-seed${seed}.json`);
        const cached = await readRecord(file, key);
        if (cached) {
          points.push(cached.point);
          onEvent?.({ stage: 'point', series: series.name, point: cached.point, cached: true, index: ++index, total });
          continue;
        }
        if (!episodes) {
          const t = performance.now();
          let lastGeneration: GenerationProgress | null = null;
          demos ??= await ensureSourceDemos(out, config, onEvent);
          const dataset = await ensureDataset(out, config, series, demos, maxN, (event) => {
            if (event.stage === 'generate') lastGeneration = event.progress;
            onEvent?.(event);
          });
          episodes = await loadTrainingEpisodes(dataset, maxN);
          names = { obs: dataset.manifest.obsNames, action: dataset.manifest.actionNames };
          dataStats[series.name] = { dataset: dataset.dir, generation: lastGeneration };
          timings.data += (performance.now() - t) / 1000;
        }
        const subset = episodes.slice(0, n);
        const samples = subset.reduce((sum, e) => sum + e.length, 0);
        const steps = trainingSteps(config, samples);
        const trained = trainPolicy({
          episodes: subset,
          obsSize: names.obs.length,
          actionSize: names.action.length,
          obsNames: names.obs,
          actionNames: names.action,
          chunk: config.policy.chunk,
          hidden: config.policy.hidden,
          steps,
          batchSize: config.training.batchSize,
          lr: config.training.lr,
          weightDecay: config.training.weightDecay,
          seed,
          onProgress: (p) => {
            if (p.step % TRAIN_EVENT_EVERY === 0 || p.step === p.steps) {
              onEvent?.({ stage: 'train', series: series.name, n, seed, step: p.step, steps: p.steps, loss: p.loss });
            }
          },
        });
        timings.train += trained.trainMs / 1000;
        const evaluation = await evaluatePolicy({
          policy: trained.policy,
          task: config.task,
          numWorlds: config.evalWorlds,
          seed: config.evalSeed,
          trainingSeeds,
          randomization: config.evalRandomization,
          backend: config.backend,
          ...(config.threads !== undefined && { threads: config.threads }),
          steps: config.evalSteps,
          execution: config.policy.execution as ChunkExecution,
          onStep: (done, totalSteps) => onEvent?.({ stage: 'evaluate', series: series.name, n, seed, done, total: totalSteps }),
        });
        timings.evaluate += evaluation.evalSeconds;
        adapter ??= evaluation.adapter;
        const tail = trained.lossHistory.subarray(Math.max(0, steps - TRAIN_EVENT_EVERY));
        const point = curvePoint({
          n,
          seed,
          successes: evaluation.successes,
          trials: evaluation.trials,
          trainSeconds: trained.trainMs / 1000,
          evalSeconds: evaluation.evalSeconds,
          finalLoss: tail.length > 0 ? tail.reduce((a, b) => a + b, 0) / tail.length : Number.NaN,
        });
        await writeAtomic(join(runDir, `n${n}-seed${seed}.policy.json`), encodePolicy(trained.policy));
        const record: PointRecord = { key, point, evaluation, trainingSteps: steps, samples };
        await writeAtomic(file, `${JSON.stringify(record, null, 1)}\n`);
        points.push(point);
        onEvent?.({ stage: 'point', series: series.name, point, cached: false, index: ++index, total });
      }
    }
    results.push(analyzeCurveSeries({ name: series.name, points }, { bootstrapSeed: 0 }));
  }
  timings.total = (performance.now() - started) / 1000;
  return {
    title: options.title,
    createdAt: new Date().toISOString(),
    config: { ...config, data: dataStats },
    series: results,
    timings,
    adapter,
    machine: describeMachine(),
  };
}
