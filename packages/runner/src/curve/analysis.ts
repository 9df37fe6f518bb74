/** Builds curve points from raw counts and attaches the statistics to a series. */
import type { CurvePoint, CurveSeries, CurveSeriesResult } from './curve-types.js';
import { bootstrapSlope, fitLogLinear, saturation, wilsonInterval, DEFAULT_MIN_GAIN_PER_DECADE } from './stats.js';

/** What a sweep measures for one (N, seed): the rest of a {@link CurvePoint} is derived. */
export interface CurvePointInput {
  n: number;
  seed: number;
  successes: number;
  trials: number;
  trainSeconds: number;
  evalSeconds: number;
  finalLoss: number;
}

/** A {@link CurvePoint} with `successRate` and its Wilson 95 % interval computed from the counts. */
export function curvePoint(input: CurvePointInput): CurvePoint {
  const wilson = wilsonInterval(input.successes, input.trials);
  return {
    n: input.n,
    seed: input.seed,
    successes: input.successes,
    trials: input.trials,
    successRate: input.trials > 0 ? input.successes / input.trials : 0,
    wilson,
    trainSeconds: input.trainSeconds,
    evalSeconds: input.evalSeconds,
    finalLoss: input.finalLoss,
  };
}

/** Options of {@link analyzeCurveSeries}. */
export interface AnalyzeOptions {
  /** Seed of the slope bootstrap (default 0). */
  bootstrapSeed?: number;
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
  /** Confidence level of the slope interval (default 0.95). */
  level?: number;
  /** Saturation threshold, success-rate gain per decade of N (default 0.02). */
  minGainPerDecade?: number;
}

/**
 * The fit over all points, the bootstrap interval of its slope and the saturation of a series.
 * A series with fewer than 2 distinct N gets `fit` and `slopeInterval` `null` instead of an error.
 */
export function analyzeCurveSeries(series: CurveSeries, options: AnalyzeOptions = {}): CurveSeriesResult {
  const level = options.level ?? 0.95;
  const spansTwoN = new Set(series.points.map((p) => p.n)).size >= 2;
  const fit = spansTwoN ? fitLogLinear(series.points) : null;
  const slopeInterval = spansTwoN
    ? bootstrapSlope(series.points, { seed: options.bootstrapSeed ?? 0, resamples: options.resamples ?? 2000, level })
    : null;
  return {
    name: series.name,
    points: series.points,
    fit,
    slopeInterval,
    slopeLevel: level,
    saturation:
      series.points.length > 0 ? saturation(series.points, options.minGainPerDecade ?? DEFAULT_MIN_GAIN_PER_DECADE) : null,
  };
}
