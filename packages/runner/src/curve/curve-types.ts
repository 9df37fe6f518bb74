/**
 * Plain data of a scaling curve (`gripgen curve`): success of a behaviour-cloning policy as a
 * function of the number of training trajectories N, several training seeds per N.
 *
 * Success rates are fractions in [0, 1] everywhere in the data; charts and reports show them
 * as percentages.
 */
import type { GpuAdapterDescription } from '@gripgen/sim-core';
import type { MachineDescription } from '../cli/machine.js';

/** A two-sided interval `[lo, hi]`. */
export interface Interval {
  lo: number;
  hi: number;
}

/** One trained-and-evaluated policy: N trajectories, one training seed. */
export interface CurvePoint {
  /** Number of training trajectories. */
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

/** A series with its statistics, as `analyzeCurveSeries` computes them. */
export interface CurveSeriesResult extends CurveSeries {
  /** Fit over all points; `null` when the series has fewer than 2 distinct N. */
  fit: LogLinearFit | null;
  /** Bootstrap percentile interval of the slope `b`; `null` without a fit. */
  slopeInterval: Interval | null;
  /** Confidence level of `slopeInterval`, e.g. 0.95. */
  slopeLevel: number;
  /** Saturation of the curve; `null` when the series has no points. */
  saturation: Saturation | null;
}

/** What `renderCurveSvg` draws. */
export interface CurveChartData {
  /** Chart title. */
  title: string;
  /** One or more series, each drawn in its own colour with its own fit. */
  series: CurveSeriesResult[];
}

/** Everything a `gripgen curve` run records (its JSON file) and its HTML report shows. */
export interface CurveReport {
  /** Report title, e.g. `pick-cube: success vs. demonstrations`. */
  title: string;
  /** When the run finished, ISO 8601. */
  createdAt: string;
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
