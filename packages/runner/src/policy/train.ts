/**
 * Behaviour-cloning trainer (plain-TS reference): Adam on the mean-squared error between the
 * network's normalized action chunk and the dataset's, mini-batches sampled deterministically
 * from the seed.
 */
import { uniform01 } from '@gripgen/sim-core';
import { Adam } from './adam.js';
import { LR_SCHEDULES, lrScale, type LrSchedule } from './lr-schedule.js';
import {
  createMlpWorkspace,
  initMlpParams,
  mlpHistory,
  mlpInputSize,
  mlpBackwardMse,
  mlpForward,
  mlpOutputSize,
  mlpParameterCount,
  mlpSpec,
  type MlpSpec,
} from './mlp.js';
import { detectBinaryActions, type BinaryAction } from './binary-actions.js';
import { computeDimensionStats, normalizeInto, type PolicyNormalization } from './normalization.js';
import { BcPolicy } from './policy.js';
import { historyEpisode } from './observation-history.js';

/** One demonstration: `length` steps of observations and the actions taken. */
export interface TrainingEpisode {
  /** `length × obsSize` values, row-major. */
  readonly obs: Float32Array;
  /** `length × actionSize` values, row-major. */
  readonly actions: Float32Array;
  readonly length: number;
}

/** Progress report, once per optimizer step. */
export interface TrainProgress {
  /** Steps done so far (1-based). */
  readonly step: number;
  readonly steps: number;
  /** Mini-batch loss of this step (normalized units). */
  readonly loss: number;
}

/** Options of {@link trainPolicy}. */
export interface TrainPolicyOptions {
  readonly episodes: readonly TrainingEpisode[];
  readonly obsSize: number;
  /** Observation history the policy reads (default 1: the current observation only; `observation-history.ts`). */
  readonly history?: number;
  /** Length of one action (default 7). */
  readonly actionSize?: number;
  /** Actions predicted per observation (default 1). */
  readonly chunk?: number;
  /** Hidden widths (default [256, 256]). */
  readonly hidden?: readonly number[];
  /** Optimizer steps; give this or `epochs`. */
  readonly steps?: number;
  /** Passes over the data, `epochs × ceil(samples / batchSize)` steps; used when `steps` is absent. */
  readonly epochs?: number;
  /** Rows per mini-batch (default 256). */
  readonly batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  readonly lr?: number;
  /** Decoupled weight decay (default 0). */
  readonly weightDecay?: number;
  /** Learning-rate schedule over the run's steps (default `constant`; see lr-schedule.ts). */
  readonly lrSchedule?: LrSchedule;
  /** Seeds the initialization and the mini-batch sampling. */
  readonly seed: number;
  readonly obsNames?: readonly string[];
  readonly actionNames?: readonly string[];
  readonly onProgress?: (progress: TrainProgress) => void;
}

/** What {@link trainPolicy} returns. */
export interface TrainPolicyResult {
  readonly policy: BcPolicy;
  /** Mini-batch loss of every step, in order. */
  readonly lossHistory: Float32Array;
  /** Number of (observation, action-chunk) samples in the dataset. */
  readonly samples: number;
  /** Wall time of the optimization loop in milliseconds. */
  readonly trainMs: number;
}

/** `episode` key of the counter-based PRNG reserved for mini-batch sampling. */
export const SAMPLING_STREAM = 0x62617463; // 'batc'

/**
 * Dataset sample drawn for row `row` of the mini-batch of step `step`:
 * `floor(uniform01(seed, SAMPLING_STREAM, step, row) × samples)` (exact for `samples` < 2²⁹).
 */
export function batchSampleIndex(seed: number, step: number, row: number, samples: number): number {
  return Math.floor(uniform01(seed, SAMPLING_STREAM, step, row) * samples);
}

/**
 * The dataset flattened for sampling: normalized network inputs (observations, or their history
 * rows) and actions of every step, and for every step the index of its episode's last step
 * (chunks are padded with that action).
 */
export interface FlatDataset {
  readonly samples: number;
  readonly obs: Float32Array;
  readonly actions: Float32Array;
  readonly lastIndex: Int32Array;
}

/** Normalizes and concatenates the episodes into a {@link FlatDataset} (`obsSize`: the width of an episode's observation rows). */
export function flattenDataset(
  episodes: readonly TrainingEpisode[],
  obsSize: number,
  actionSize: number,
  normalization: PolicyNormalization,
): FlatDataset {
  let samples = 0;
  for (const e of episodes) samples += e.length;
  const obs = new Float32Array(samples * obsSize);
  const actions = new Float32Array(samples * actionSize);
  const lastIndex = new Int32Array(samples);
  let row = 0;
  for (const e of episodes) {
    normalizeInto(e.obs, normalization.obs, obs.subarray(row * obsSize), e.length * obsSize);
    normalizeInto(e.actions, normalization.action, actions.subarray(row * actionSize), e.length * actionSize);
    lastIndex.fill(row + e.length - 1, row, row + e.length);
    row += e.length;
  }
  return { samples, obs, actions, lastIndex };
}

/**
 * Writes the action chunk of step `row` (actions `row … row + chunk − 1`, each `actionSize` values
 * of the row-major `actions`) to `dst` at `dstOffset`, repeating the action of `lastRow` (the
 * episode's last step) for slots past the episode's end.
 */
export function fillActionChunk(
  actions: Float32Array,
  row: number,
  lastRow: number,
  chunk: number,
  actionSize: number,
  dst: Float32Array,
  dstOffset = 0,
): Float32Array {
  for (let c = 0; c < chunk; c++) {
    const t = Math.min(row + c, lastRow);
    dst.set(actions.subarray(t * actionSize, (t + 1) * actionSize), dstOffset + c * actionSize);
  }
  return dst;
}

function validateEpisodes(episodes: readonly TrainingEpisode[], obsSize: number, actionSize: number, caller: string): void {
  if (episodes.length === 0) throw new Error(`${caller}: episodes is empty`);
  episodes.forEach((e, i) => {
    if (!Number.isInteger(e.length) || e.length < 1) {
      throw new Error(`${caller}: episodes[${i}].length must be a positive integer, got ${e.length}`);
    }
    if (e.obs.length !== e.length * obsSize) {
      throw new Error(`${caller}: episodes[${i}].obs has ${e.obs.length} values, expected ${e.length} × ${obsSize}`);
    }
    if (e.actions.length !== e.length * actionSize) {
      throw new Error(
        `${caller}: episodes[${i}].actions has ${e.actions.length} values, expected ${e.length} × ${actionSize}`,
      );
    }
  });
}

/** What a trainer derives from {@link TrainPolicyOptions} before its first step. */
export interface TrainingSetup {
  readonly spec: MlpSpec;
  readonly batchSize: number;
  /** Statistics of the network input (`obsSize × history`) and of the actions. */
  readonly normalization: PolicyNormalization;
  /** Action dimensions the episodes hold at exactly two levels. */
  readonly binaryActions: BinaryAction[];
  readonly data: FlatDataset;
  /** Optimizer steps (from `steps`, or `epochs × ceil(samples / batchSize)`). */
  readonly steps: number;
  readonly lrSchedule: LrSchedule;
}

/**
 * Validates `options` and prepares what every trainer (plain TS or WGSL) needs: the network
 * spec, dataset statistics and the normalized, flattened dataset. Errors start with `caller`.
 */
export function prepareTraining(options: TrainPolicyOptions, caller = 'trainPolicy'): TrainingSetup {
  const actionSize = options.actionSize ?? 7;
  const spec: MlpSpec = mlpSpec({
    obsSize: options.obsSize,
    history: options.history,
    actionSize,
    chunk: options.chunk,
    hidden: options.hidden,
  });
  validateEpisodes(options.episodes, spec.obsSize, actionSize, caller);
  const inputs = options.episodes.map((e) => historyEpisode(e, spec.obsSize, mlpHistory(spec)));
  const inputSize = mlpInputSize(spec);
  const batchSize = options.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`${caller}: batchSize must be a positive integer, got ${batchSize}`);
  }

  const normalization: PolicyNormalization = {
    obs: computeDimensionStats(inputs.map((e) => e.obs), inputSize),
    action: computeDimensionStats(options.episodes.map((e) => e.actions), actionSize),
  };
  const binaryActions = detectBinaryActions(options.episodes.map((e) => e.actions), actionSize);
  const data = flattenDataset(inputs, inputSize, actionSize, normalization);

  let steps: number;
  if (options.steps !== undefined) steps = options.steps;
  else if (options.epochs !== undefined) steps = options.epochs * Math.ceil(data.samples / batchSize);
  else throw new Error(`${caller}: give steps or epochs`);
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`${caller}: steps must be a non-negative integer, got ${steps}`);
  const lrSchedule = options.lrSchedule ?? 'constant';
  if (!LR_SCHEDULES.includes(lrSchedule)) {
    throw new Error(`${caller}: lrSchedule must be one of ${LR_SCHEDULES.join(', ')}, got ${String(lrSchedule)}`);
  }
  return { spec, batchSize, normalization, binaryActions, data, steps, lrSchedule };
}

/**
 * Trains a BC policy. Deterministic: the result depends only on the options (not on timing or
 * machine), since row `r` of step `s` is sample {@link batchSampleIndex}`(seed, s, r, samples)`
 * (with replacement) and the initialization is {@link initMlpParams} with the same seed.
 * The target for sample `t` is the chunk of actions `t … t + chunk − 1` of its episode, with
 * the episode's last action repeated past its end.
 */
export function trainPolicy(options: TrainPolicyOptions): TrainPolicyResult {
  const { spec, batchSize, normalization, binaryActions, data, steps, lrSchedule } = prepareTraining(options);
  const actionSize = spec.actionSize;
  const params = initMlpParams(spec, options.seed);
  const grads = new Float32Array(mlpParameterCount(spec));
  const adam = new Adam(params.length, { lr: options.lr, weightDecay: options.weightDecay });
  const workspace = createMlpWorkspace(spec, batchSize);
  const outSize = mlpOutputSize(spec);
  const inputSize = mlpInputSize(spec);
  const batchObs = new Float32Array(batchSize * inputSize);
  const batchTarget = new Float32Array(batchSize * outSize);
  const lossHistory = new Float32Array(steps);

  const start = performance.now();
  for (let step = 0; step < steps; step++) {
    for (let r = 0; r < batchSize; r++) {
      const sample = batchSampleIndex(options.seed, step, r, data.samples);
      batchObs.set(data.obs.subarray(sample * inputSize, (sample + 1) * inputSize), r * inputSize);
      fillActionChunk(data.actions, sample, data.lastIndex[sample], spec.chunk, actionSize, batchTarget, r * outSize);
    }
    mlpForward(spec, params, batchObs, batchSize, workspace);
    const loss = mlpBackwardMse(spec, params, batchTarget, batchSize, workspace, grads);
    adam.step(params, grads, lrScale(lrSchedule, step, steps));
    lossHistory[step] = loss;
    options.onProgress?.({ step: step + 1, steps, loss });
  }
  const trainMs = performance.now() - start;

  const policy = new BcPolicy({
    spec,
    params,
    normalization,
    obsNames: options.obsNames,
    actionNames: options.actionNames,
    binaryActions,
  });
  return { policy, lossHistory, samples: data.samples, trainMs };
}
