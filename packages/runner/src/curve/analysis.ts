/** Builds curve points from raw counts and attaches the statistics to a series. */
import { fitBinomialForm } from './binomial-fit.js';
import { DEFAULT_RESAMPLES, statisticUncertainty } from './bootstrap.js';
import type { BinomialPoint } from './curve-forms.js';
import type { CurvePoint, CurveSeries, CurveSeriesResult, CurveVariable, FormComparison, FormUncertainty, Uncertainty } from './curve-types.js';
import { formulaIn } from './curve-variable.js';
import { extrapolationTest } from './extrapolation.js';
import { compareForms } from './form-comparison.js';
import { fitLogLinear, saturation, wilsonInterval, DEFAULT_MIN_GAIN_PER_DECADE } from './stats.js';

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
  /** Seed of the bootstrap's counter-based PRNG (default 0): the same seed gives the same intervals. */
  bootstrapSeed?: number;
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
  /** Confidence level of the intervals (default 0.95). */
  level?: number;
  /** Saturation threshold, success-rate gain per decade of N (default 0.02). */
  minGainPerDecade?: number;
  /** What the points' `n` counts (default trajectories N): the fitted formulas are written in its symbol (`log10 D`). */
  variable?: CurveVariable;
}

/**
 * The statistics of a series: the least-squares fit over all points and the uncertainty of its
 * slope; the saturation; the competing binomial fits (log-linear, power law, logistic) with their
 * comparison and the uncertainty of every parameter; and the extrapolation test on held-out
 * scale. Uncertainties follow the seed rule of `bootstrap.ts` (bootstrap interval with 5 or more
 * seeds, range over seeds with 2 to 4, none with 1), one bootstrap for the slope and the
 * parameters, another over the extrapolation's fitting points. A series with fewer than 2
 * distinct N gets `fit`, `slope` and `forms` `null` instead of an error.
 */
export function analyzeCurveSeries(series: CurveSeries, options: AnalyzeOptions = {}): CurveSeriesResult {
  const uncertaintyOptions = {
    seed: options.bootstrapSeed ?? 0,
    resamples: options.resamples ?? DEFAULT_RESAMPLES,
    level: options.level ?? 0.95,
  };
  const points = series.points;
  const spansTwoN = new Set(points.map((p) => p.n)).size >= 2;
  let slope: Uncertainty | null = null;
  let forms: FormComparison | null = null;
  const formUncertainty: FormUncertainty[] = [];
  if (spansTwoN) {
    const compared = compareForms(points);
    forms = compared.comparison;
    for (const fit of forms.fits) fit.formula = formulaIn(fit.formula, options.variable);
    const statistic = (sample: readonly BinomialPoint[]) => [
      leastSquaresSlope(sample),
      ...compared.fitted.flatMap(({ form, theta }) => {
        const fit = fitBinomialForm(form, sample, [theta]);
        return fit ? form.reported(fit.theta) : form.parameterNames.map(() => Number.NaN);
      }),
    ];
    const size = 1 + compared.fitted.reduce((s, f) => s + f.form.parameterNames.length, 0);
    const uncertainty = statisticUncertainty(points, statistic, size, uncertaintyOptions);
    slope = uncertainty[0];
    let offset = 1;
    for (const { form } of compared.fitted) {
      const names = form.parameterNames;
      formUncertainty.push({ form: form.name, parameters: Object.fromEntries(names.map((name, i) => [name, uncertainty[offset + i]])) });
      offset += names.length;
    }
  }
  return {
    name: series.name,
    points,
    fit: spansTwoN ? fitLogLinear(points) : null,
    slope,
    saturation: points.length > 0 ? saturation(points, options.minGainPerDecade ?? DEFAULT_MIN_GAIN_PER_DECADE) : null,
    forms,
    formUncertainty,
    extrapolation: extrapolationTest(points, uncertaintyOptions),
  };
}

/** Slope `b` of {@link fitLogLinear} over the points' rates; `NaN` when they span a single N. */
function leastSquaresSlope(points: readonly BinomialPoint[]): number {
  if (new Set(points.map((p) => p.n)).size < 2) return Number.NaN;
  return fitLogLinear(points.map((p) => ({ n: p.n, successRate: p.trials > 0 ? p.successes / p.trials : 0 }))).b;
}
