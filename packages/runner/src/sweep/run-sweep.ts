/**
 * A scaling sweep: for each series (training randomization), one generated dataset of max N
 * trajectories; for each N (a prefix of that dataset) and training seed, a behaviour-cloning
 * policy trained and evaluated on the same held-out worlds; then the statistics per series.
 * A coverage law (`diversity`) instead generates, for each number of distinct scenes D, one
 * dataset of the fixed N trajectories in D scenes, and trains on all of it.
 * Every (series, N or D, seed) result is cached on disk, so an interrupted sweep resumes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashJson, makeDirectory, writeFileAtomic, type Dataset, type GenerationProgress, type JsonValue } from '@gripgen/trajgen';
import type { GpuAdapterDescription } from '@gripgen/sim-core';
import { curvePoint, analyzeCurveSeries } from '../curve/analysis.js';
import { CURVE_SCHEMA_VERSION, type CurvePoint, type CurveReport, type CurveSeriesResult, type CurveVariable } from '../curve/curve-types.js';
import { TRAJECTORIES } from '../curve/curve-variable.js';
import { describeMachine } from '../cli/machine.js';
import { evaluatePolicy, type PolicyEvaluation } from '../evaluate/evaluate-policy.js';
import type { ChunkExecution } from '../evaluate/chunk-executor.js';
import { encodePolicy } from '../policy/policy-file.js';
import { shareEpisodes } from '../policy/shared-episodes.js';
import type { TrainPolicyResult } from '../policy/train.js';
import { trainingSteps, type SweepConfig } from './sweep-config.js';
import { ensureDataset, ensureSceneDataset, ensureSourceDemos, loadTrainingEpisodes, scenePool, type DataProgress } from './sweep-data.js';
import { checkSweepTask } from './sweep-task.js';
import { createTrainer } from './sweep-trainer.js';

/** A point's `finalLoss` is the mean mini-batch loss of its last this many optimizer steps. */
const FINAL_LOSS_WINDOW = 50;

/** What a sweep reports while it runs (`n`: the point's N, or its D in a coverage law). */
export type SweepEvent =
  | DataProgress
  | { stage: 'plan'; total: number; cached: number }
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
  /**
   * Trains and evaluates only the points this accepts (others that are not cached are left out);
   * the report's `series` is then empty. For a queued sweep's worker, which runs one point.
   */
  select?: (point: { series: string; x: number; seed: number }) => boolean;
  /**
   * Makes the data (source demos, every series' dataset) and stops, training nothing; the report's
   * `series` is empty. For a queued sweep: the data is made once, before the points are handed out.
   */
  dataOnly?: boolean;
}

/** One cached (series, N, seed) result, `<out>/runs/<series>/n<N>-seed<seed>.json` (`d<D>-…` in a coverage law). */
interface PointRecord {
  /** Hash of everything the result depends on; a record with another key is recomputed. */
  key: string;
  point: CurvePoint;
  evaluation: PolicyEvaluation;
  trainingSteps: number;
  samples: number;
}

/** The settings a (series, N, seed) result depends on; `scenes` the D of a coverage-law point. */
function pointKey(config: SweepConfig, trainRandomization: string, n: number, seed: number, scenes: number | null): string {
  const { task, sourceDemos, generation, policy, training, evalWorlds, evalSeed, evalRandomization, evalSteps, backend } = config;
  return hashJson({
    task,
    trainRandomization,
    n,
    seed,
    ...(scenes !== null && { scenes, sceneSource: 'first D trajectories of the ordinary dataset' }),
    sourceDemos,
    generation,
    policy,
    training,
    evalWorlds,
    evalSeed,
    evalRandomization,
    evalSteps,
    backend,
  } as unknown as JsonValue);
}

async function readRecord(file: string, key: string): Promise<PointRecord | null> {
  try {
    const record = JSON.parse(await readFile(file, 'utf8')) as PointRecord;
    return record.key === key ? record : null;
  } catch {
    return null;
  }
}

/** A (series, N, seed) to train and evaluate; in a coverage law, a (series, D, seed) at the one N. */
interface Job {
  series: { name: string; trainRandomization: string };
  /** Training trajectories. */
  n: number;
  /** Distinct scenes of the training data; `null` outside a coverage law. */
  scenes: number | null;
  /** The point's `n`: N, or D in a coverage law. */
  x: number;
  seed: number;
  key: string;
  file: string;
}

/** What a sweep's points vary: N, or the scenes D of a coverage law at its one N. */
export function sweepVariable(config: SweepConfig): CurveVariable {
  return config.diversity ? { kind: 'scenes', trajectories: config.counts[0] } : TRAJECTORIES;
}

/**
 * Runs (or resumes) the sweep and returns its report: per series the points and their
 * statistics (`analyzeCurveSeries`). The task and every preset the config names are checked
 * first (`checkSweepTask`); source demos are recorded with the task's own scripted expert, so
 * any registered task with an expert can be swept. Policies train concurrently (worker threads,
 * or one GPU); evaluations run one at a time, each as soon as its policy is trained. Trained
 * policies are kept next to their cached results (`n<N>-seed<seed>.policy.json`, loadable with
 * `loadPolicyFile`). With `config.diversity` (a coverage law) the scenes of each D are the
 * worlds of the first D trajectories of the series' ordinary dataset (`scenePool`), each D gets
 * a dataset of N trajectories generated in its scenes only (`ensureSceneDataset`), and the
 * report's points have `n` = D (`variable: { kind: 'scenes' }`).
 */
export async function runSweep(options: SweepOptions): Promise<CurveReport> {
  const { out, config, onEvent } = options;
  checkSweepTask(config);
  const started = performance.now();
  const timings = { data: 0, train: 0, evaluate: 0, total: 0 };
  let adapter: GpuAdapterDescription | null = null;
  const maxN = config.counts[config.counts.length - 1];
  const variable = sweepVariable(config);
  // Data units: one dataset per series (null: max N trajectories), or one per D in a coverage law.
  const units: (number | null)[] = config.diversity ?? [null];
  const xs = config.diversity ?? config.counts;
  const total = config.series.length * xs.length * config.seeds;
  let index = 0;
  const points = new Map<string, CurvePoint[]>(config.series.map((s) => [s.name, []]));
  const dataStats: Record<string, { dataset: string; generation: GenerationProgress | null; scenes?: number[] }> = {};
  const trainingSeeds = [config.generation.seed, config.sourceDemos.seed];

  // Cached points first; the rest are jobs.
  const jobs: Job[] = [];
  for (const series of config.series) {
    const runDir = join(out, 'runs', series.name);
    await makeDirectory(runDir, 'create the run directory');
    for (const scenes of units) {
      for (const n of scenes === null ? config.counts : [maxN]) {
        for (let seed = 0; seed < config.seeds; seed++) {
          const key = pointKey(config, series.trainRandomization, n, seed, scenes);
          const file = join(runDir, scenes === null ? `n${n}-seed${seed}.json` : `d${scenes}-seed${seed}.json`);
          const cached = await readRecord(file, key);
          if (cached) {
            points.get(series.name)!.push(cached.point);
            onEvent?.({ stage: 'point', series: series.name, point: cached.point, cached: true, index: ++index, total });
          } else if (!options.select || options.select({ series: series.name, x: scenes ?? n, seed })) {
            jobs.push({ series, n, scenes, x: scenes ?? n, seed, key, file });
          }
        }
      }
    }
  }

  onEvent?.({ stage: 'plan', total, cached: total - jobs.length });
  let trainerInfo: { kind: string; reason: string } | null = null;
  if (jobs.length > 0) {
    const demos = await ensureSourceDemos(out, config, onEvent);
    const trainer = await createTrainer(config, options.dataOnly ? 1 : jobs.length);
    if (!options.dataOnly) trainerInfo = { kind: trainer.kind, reason: trainer.reason };
    try {
      for (const series of config.series) {
        for (const scenes of units) {
          const seriesJobs = jobs.filter((j) => j.series === series && j.scenes === scenes);
          if (seriesJobs.length === 0) continue;
          const t = performance.now();
          let lastGeneration: GenerationProgress | null = null;
          const onData = (event: DataProgress) => {
            if (event.stage === 'generate') lastGeneration = event.progress;
            onEvent?.(event);
          };
          let sceneEpisodes: number[] | undefined;
          let dataset: Dataset;
          if (scenes === null) {
            dataset = await ensureDataset(out, config, series, demos, maxN, onData);
          } else {
            const pool = await scenePool(out, config, series, demos, config.diversity![config.diversity!.length - 1], onEvent);
            sceneEpisodes = pool.episodes.slice(0, scenes);
            dataset = await ensureSceneDataset(out, config, series, demos, sceneEpisodes, maxN, onData);
          }
          const { obsNames, actionNames } = dataset.manifest;
          const shared = shareEpisodes(await loadTrainingEpisodes(dataset, maxN), obsNames.length, actionNames.length);
          dataStats[scenes === null ? series.name : `${series.name} D=${scenes}`] = {
            dataset: dataset.dir,
            generation: lastGeneration,
            ...(sceneEpisodes && { scenes: sceneEpisodes }),
          };
          timings.data += (performance.now() - t) / 1000;
          if (options.dataOnly) continue;

          // Evaluations are chained: one at a time (each uses every core), in job order.
          let evaluations: Promise<void> = Promise.resolve();
          const finished = seriesJobs.map((job) => {
            const samples = shared.offsets[job.n];
            const steps = trainingSteps(config, samples);
            const trained = trainer.train(
              shared,
              job.n,
              {
                obsSize: obsNames.length,
                actionSize: actionNames.length,
                obsNames,
                actionNames,
                history: config.policy.history,
                chunk: config.policy.chunk,
                hidden: config.policy.hidden,
                steps,
                batchSize: config.training.batchSize,
                lr: config.training.lr,
                weightDecay: config.training.weightDecay,
                lrSchedule: config.training.lrSchedule,
                seed: job.seed,
              },
              (p) => onEvent?.({ stage: 'train', series: series.name, n: job.x, seed: job.seed, step: p.step, steps: p.steps, loss: p.loss }),
            );
            return trained.then((result) => {
              timings.train += result.trainMs / 1000;
              evaluations = evaluations.then(async () => {
                const point = await evaluateJob(job, result, steps, samples);
                points.get(series.name)!.push(point);
                onEvent?.({ stage: 'point', series: series.name, point, cached: false, index: ++index, total });
              });
              return evaluations;
            });
          });
          await Promise.all(finished);
        }
      }
    } finally {
      await trainer.close();
    }
  }

  async function evaluateJob(job: Job, trained: TrainPolicyResult, steps: number, samples: number): Promise<CurvePoint> {
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
      onStep: (done, totalSteps) => onEvent?.({ stage: 'evaluate', series: job.series.name, n: job.x, seed: job.seed, done, total: totalSteps }),
    });
    timings.evaluate += evaluation.evalSeconds;
    adapter ??= evaluation.adapter;
    const tail = trained.lossHistory.subarray(Math.max(0, steps - FINAL_LOSS_WINDOW));
    const point = curvePoint({
      n: job.x,
      seed: job.seed,
      successes: evaluation.successes,
      trials: evaluation.trials,
      trainSeconds: trained.trainMs / 1000,
      evalSeconds: evaluation.evalSeconds,
      finalLoss: tail.length > 0 ? tail.reduce((a, b) => a + b, 0) / tail.length : Number.NaN,
    });
    await writeFileAtomic(job.file.replace(/\.json$/, '.policy.json'), encodePolicy(trained.policy));
    const record: PointRecord = { key: job.key, point, evaluation, trainingSteps: steps, samples };
    await writeFileAtomic(job.file, `${JSON.stringify(record, null, 1)}\n`);
    return point;
  }

  const byNSeed = (a: CurvePoint, b: CurvePoint) => a.n - b.n || a.seed - b.seed;
  // A partial run (one selected point, or the data alone) has no statistics to report.
  const partial = options.select !== undefined || options.dataOnly === true;
  const results: CurveSeriesResult[] = partial
    ? []
    : config.series.map((s) => analyzeCurveSeries({ name: s.name, points: points.get(s.name)!.sort(byNSeed) }, { bootstrapSeed: 0, variable }));
  timings.total = (performance.now() - started) / 1000;
  return {
    schemaVersion: CURVE_SCHEMA_VERSION,
    variable,
    title: options.title,
    createdAt: new Date().toISOString(),
    config: { ...config, trainerUsed: trainerInfo, data: dataStats },
    series: results,
    timings,
    adapter,
    machine: describeMachine(),
  };
}
