/**
 * Plain data of a scaling curve (`gripgen curve`, `gripgen coverage`): success of a
 * behaviour-cloning policy as a function of the number of training trajectories N — or, for a
 * coverage law, of the number of distinct scenes D at a fixed N — several training seeds per
 * point.
 *
 * Success rates are fractions in [0, 1] everywhere in the data; charts and reports show them
 * as percentages. `curve.json` is a {@link CurveReport}; its JSON Schema, every field described,
 * is `packages/runner/schema/curve-report.schema.json` (written from `curve-schema.ts`).
 */
import type { GpuAdapterDescription } from '@gripgen/sim-core';
import type { MachineDescription } from '../cli/machine.js';

/** A two-sided interval `[lo, hi]`. */
export interface Interval {
  lo: number;
  hi: number;
}

/** Version of the `curve.json` layout; a file without `schemaVersion` predates it (version 1). */
export const CURVE_SCHEMA_VERSION = 2;

/**
 * What a curve's points vary (their `n`): the number of training trajectories N, or, for a
 * coverage law, the number of distinct scenes D the training trajectories were generated in,
 * every policy trained on the same number of trajectories.
 */
export type CurveVariable = { kind: 'trajectories' } | { kind: 'scenes'; /** Training trajectories of every point. */ trajectories: number };

/** One trained-and-evaluated policy: N trajectories (or D scenes), one training seed. */
export interface CurvePoint {
  /** The swept quantity (see {@link CurveVariable}): training trajectories N, or distinct scenes D. */
  n: number;
  /** Training seed. */
  seed: number;
  /** Successful evaluation episodes. */
  successes: number;
  /** Evaluation episodes on held-out worlds. */
  trials: number;
  /** `successes / trials`. */
  successRate: number;
  /** Wilson 95 % score interval of the success rate. */
  wilson: Interval;
  /** Wall-clock training time (s). */
  trainSeconds: number;
  /** Wall-clock evaluation time (s). */
  evalSeconds: number;
  /** Training loss at the end of training. */
  finalLoss: number;
}

/** A named set of points, e.g. one randomization coverage (`narrow`, `wide`). */
export interface CurveSeries {
  name: string;
  points: CurvePoint[];
}

/** Ordinary least-squares fit `successRate = a + b·log10(N)`. */
export interface LogLinearFit {
  /** Intercept: predicted success rate at N = 1. */
  a: number;
  /** Slope: success-rate gain per tenfold increase of N. */
  b: number;
  /** Coefficient of determination over the fitted points. */
  r2: number;
  /** Number of points fitted. */
  n: number;
}

/** Where a curve stops improving; see `saturation` in `stats.ts` for the rule. */
export interface Saturation {
  /** Smallest N from which the curve is flat, or `null` when it still improves. */
  saturatedFrom: number | null;
  /** N range of the non-saturated part: `[minN, saturatedFrom ?? maxN]`. */
  fitRange: [number, number];
  /** Fit over the points with N in `fitRange`; `null` when that range holds a single N. */
  fit: LogLinearFit | null;
  /** The gain threshold the rule used (success-rate gain per decade of N). */
  minGainPerDecade: number;
}

/**
 * The uncertainty of one statistic (a slope, a parameter, a prediction), by the number of
 * training seeds behind it (`bootstrap.ts`):
 * - `bootstrap` (5 or more seeds): percentile interval at `level` of a bootstrap that resamples
 *   seeds and, within each drawn (N, seed) point, its evaluation episodes.
 * - `seed-range` (2 to 4 seeds): the smallest and largest value over single-seed fits. A
 *   description of the spread, NOT a confidence interval: too few seeds for one.
 * - `none` (1 seed, or the statistic could not be computed often enough): `reason` says why.
 */
export type Uncertainty =
  | {
      kind: 'bootstrap';
      /** Confidence level, e.g. 0.95. */
      level: number;
      interval: Interval;
      /** Training seeds in the data. */
      seeds: number;
      /** Resamples drawn. */
      resamples: number;
      /** Resamples on which the statistic could be computed (the interval is over these). */
      usableResamples: number;
    }
  | {
      kind: 'seed-range';
      /** `[min, max]` over the single-seed values. */
      range: Interval;
      /** Training seeds in the data. */
      seeds: number;
      /** Seeds whose value could be computed. */
      usableSeeds: number;
    }
  | { kind: 'none'; reason: string; seeds: number };

/** Names of the competing forms of success against N (`curve-forms.ts`). */
export type CurveFormName = 'log-linear' | 'power-law' | 'logistic';

/** Leave-one-N-out prediction error of a form: each N predicted by a fit to the other N. */
export interface LeaveOneNOut {
  /** Root-mean-square of `measured − predicted` over the N (success-rate units). */
  rmse: number;
  /** One entry per N, in increasing N. */
  folds: { n: number; predicted: number; measured: number }[];
}

/**
 * Binomial maximum-likelihood fit of one form to all (N, seed) points of a series; see
 * `form-comparison.ts`. Success predicted by any form is clamped to [0, 1].
 */
export interface FormFit {
  form: CurveFormName;
  /** The formula in the parameters' names, e.g. `1 − s = c·N^(−α)`. */
  formula: string;
  /** Parameter values by name: log-linear `a`, `b`; power-law `c`, `alpha`; logistic `L`, `k`, `x0`. */
  parameters: Record<string, number>;
  /** Number of fitted parameters. */
  parameterCount: number;
  /** Maximised binomial log-likelihood, binomial coefficients included. */
  logLikelihood: number;
  /** `−2·logLikelihood + 2k`. */
  aic: number;
  /** AIC with the small-sample term `2k(k+1)/(n−k−1)`, n = number of points; `null` when n ≤ k + 1. */
  aicc: number | null;
  /** The comparison's criterion (AICc, or QAICc under seed overdispersion); `null` when undefined. */
  criterion: number | null;
  /** `criterion − min criterion` over the forms compared; `null` when undefined. */
  deltaCriterion: number | null;
  /** `successRate − fitted` per point, in the order of the series' points. */
  residuals: number[];
  /** Pearson residuals `(successes − trials·p) / √(trials·p·(1−p))` per point, same order. */
  pearsonResiduals: number[];
  /** Leave-one-N-out error; `null` when a fold has too few distinct N or was not computed. */
  leaveOneNOut: LeaveOneNOut | null;
}

/** Which competing form fits a series best, and how clearly. */
export interface FormComparison {
  /**
   * `AICc` from the binomial likelihood, or `QAICc` (log-likelihood divided by `dispersion`,
   * one more parameter) when the seeds scatter more than binomially (`dispersion > 1`).
   */
  criterion: 'AICc' | 'QAICc';
  /**
   * Overdispersion ĉ = Pearson χ² of the seeds around their pooled rate at each N, over its
   * degrees of freedom (Σ (seeds at N − 1)); model-free. `null` with one seed per N.
   */
  dispersion: { chat: number; df: number } | null;
  /** Number of (N, seed) points fitted: the n of AICc. */
  points: number;
  /** The fitted forms, in the order log-linear, power-law, logistic. */
  fits: FormFit[];
  /** Forms that could not be fitted, and why (e.g. fewer distinct N than parameters). */
  unfitted: { form: CurveFormName; reason: string }[];
  /** The form whose criterion is lower than every other compared form's by 2 or more; `null` when none is. */
  best: CurveFormName | null;
  /** Forms within 2 of the lowest criterion (the lowest first); one entry when `best` is set. */
  close: CurveFormName[];
  /** Form with the lowest leave-one-N-out RMSE; `null` when no form has one. */
  bestByLeaveOneNOut: CurveFormName | null;
}

/** Uncertainty of each parameter of one fitted form, by parameter name. */
export interface FormUncertainty {
  form: CurveFormName;
  parameters: Record<string, Uncertainty>;
}

/** A form's prediction at the held-out N from the points at N ≤ N_max / 10 alone. */
export interface ScalePrediction {
  form: CurveFormName;
  /** Predicted success rate at `targetN`, clamped to [0, 1]. */
  predicted: number;
  /** Uncertainty of the prediction (bootstrap of the fitted parameters over the fitting points). */
  uncertainty: Uncertainty;
  /** `measured − predicted`, success-rate units. */
  error: number;
  /** The form's criterion on the fitting points; `null` when undefined. */
  criterion: number | null;
}

/**
 * The extrapolation test on held-out scale: every form fitted on the points with
 * N ≤ N_max / 10 only, then its prediction at N_max compared with the measurement there.
 */
export interface Extrapolation {
  /** Largest N of the fitting points. */
  fittedMaxN: number;
  /** The held-out N: the largest of the series. */
  targetN: number;
  /** Number of (N, seed) points fitted. */
  fittedPoints: number;
  /** Criterion used on the fitting points (`AICc` or `QAICc`). */
  criterion: 'AICc' | 'QAICc';
  /** The form the criterion picks on the fitting points alone (clearly, by 2 or more); `null` when none is clear. */
  selected: CurveFormName | null;
  /** One per form that could be fitted. */
  predictions: ScalePrediction[];
  /** Forms that could not be fitted on the fitting points, and why. */
  unfitted: { form: CurveFormName; reason: string }[];
  /** The measurement at `targetN`, all seeds pooled. */
  measured: {
    successes: number;
    trials: number;
    successRate: number;
    /** Wilson 95 % interval of the pooled rate (binomial only: it does not see seed-to-seed spread). */
    wilson: Interval;
    seeds: number;
  };
}

/** A series with its statistics, as `analyzeCurveSeries` computes them. */
export interface CurveSeriesResult extends CurveSeries {
  /** Least-squares fit over all points; `null` when the series has fewer than 2 distinct N. */
  fit: LogLinearFit | null;
  /** Uncertainty of the least-squares slope `b`; `null` without a fit. */
  slope: Uncertainty | null;
  /** Saturation of the curve; `null` when the series has no points. */
  saturation: Saturation | null;
  /** Competing binomial fits (log-linear, power law, logistic) and their comparison; `null` with fewer than 2 distinct N. */
  forms: FormComparison | null;
  /** Uncertainty of each fitted form's parameters, in the order of `forms.fits`. */
  formUncertainty: FormUncertainty[];
  /** Extrapolation test on held-out scale; `null` when no N is at most a tenth of the largest, or fewer than 2 such N. */
  extrapolation: Extrapolation | null;
}

/** What `renderCurveSvg` draws. */
export interface CurveChartData {
  /** Chart title. */
  title: string;
  /** One or more series, each drawn in its own colour with its own fitted forms. */
  series: CurveSeriesResult[];
  /** What the x axis counts (default: training trajectories N). */
  variable?: CurveVariable;
}

/** Everything a `gripgen curve` run records (its JSON file) and its HTML report shows. */
export interface CurveReport {
  /** Layout version, {@link CURVE_SCHEMA_VERSION}. */
  schemaVersion: typeof CURVE_SCHEMA_VERSION;
  /** What the points vary: trajectories N (`gripgen curve`), or scenes D at a fixed N (`gripgen coverage --diversity`). */
  variable: CurveVariable;
  /** Report title, e.g. `pick-cube: success vs. demonstrations`. */
  title: string;
  /** When the run finished, ISO 8601. */
  createdAt: string;
  /**
   * When the statistics were last recomputed from the stored points (`gripgen curve --reanalyze`,
   * `reanalyzeCurveReport`), ISO 8601; absent when they are the run's own.
   */
  reanalyzedAt?: string;
  /** The sweep's configuration (any JSON-serializable value). */
  config: unknown;
  /** The curves with their statistics. */
  series: CurveSeriesResult[];
  /** Named wall-clock durations in seconds, e.g. `{ generate: 12.5, train: 431.2, evaluate: 80.1 }`. */
  timings: Record<string, number>;
  /** The WebGPU adapter used, or `null` when nothing ran on a GPU. */
  adapter: GpuAdapterDescription | null;
  /** The machine the run ran on. */
  machine: MachineDescription;
}
