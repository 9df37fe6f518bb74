/**
 * Extrapolation on held-out scale: does a curve fitted on small N predict the success at a
 * tenfold larger N it has not seen?
 *
 * The code is split so the held-out points cannot leak in: {@link splitAtScale} reads only N;
 * {@link predictAtScale} receives the fitting points and the target N, nothing else, and does
 * everything that is fitted (the forms, the choice between them, the bootstrap of the
 * prediction) on them alone; {@link measureAtScale} reads the held-out points afterwards.
 */
import { statisticUncertainty, type UncertaintyOptions } from './bootstrap.js';
import { fitBinomialForm } from './binomial-fit.js';
import type { BinomialPoint } from './curve-forms.js';
import type { CurveFormName, Extrapolation, ScalePrediction } from './curve-types.js';
import { clamp01, compareForms, formLabel } from './form-comparison.js';
import { wilsonInterval } from './stats.js';

/** The fitting points lie at N ≤ N_max / this. */
export const EXTRAPOLATION_RATIO = 10;

/** The points to fit and the points to predict, split by N alone. */
export interface ScaleSplit<P> {
  /** Points with N ≤ targetN / ratio. */
  fitting: P[];
  /** Points at `targetN`. */
  heldOut: P[];
  /** Largest N of `fitting`. */
  fittedMaxN: number;
  /** The largest N of all points. */
  targetN: number;
}

/**
 * Splits the points into those at N ≤ N_max / `ratio` (to fit) and those at N_max (to predict),
 * reading nothing but each point's `n`. Points in between are in neither. `null` when the fitting
 * points span fewer than 2 distinct N.
 */
export function splitAtScale<P extends { readonly n: number }>(
  points: readonly P[],
  ratio: number = EXTRAPOLATION_RATIO,
): ScaleSplit<P> | null {
  if (!(ratio > 1)) throw new RangeError(`ratio must exceed 1, got ${ratio}`);
  if (points.length === 0) return null;
  const targetN = Math.max(...points.map((p) => p.n));
  // Relative slack so that 10,000 / 10 keeps N = 1,000 whatever the rounding.
  const limit = (targetN / ratio) * (1 + 1e-9);
  const fitting = points.filter((p) => p.n <= limit);
  if (new Set(fitting.map((p) => p.n)).size < 2) return null;
  return {
    fitting,
    heldOut: points.filter((p) => p.n === targetN),
    fittedMaxN: Math.max(...fitting.map((p) => p.n)),
    targetN,
  };
}

/** What {@link predictAtScale} knows: everything of an {@link Extrapolation} but the measurement. */
export interface HeldOutPrediction {
  fittedMaxN: number;
  targetN: number;
  fittedPoints: number;
  criterion: 'AICc' | 'QAICc';
  /** The form the criterion picks clearly on the fitting points; `null` when none. */
  selected: CurveFormName | null;
  predictions: Omit<ScalePrediction, 'error'>[];
  unfitted: { form: CurveFormName; reason: string }[];
}

/**
 * Fits every form to `fitting` and predicts the success rate at `targetN` (clamped to [0, 1]),
 * with the uncertainty of each prediction from {@link statisticUncertainty} over the same points
 * (each resample refitted, warm-started at the fit). Sees nothing but its arguments.
 */
export function predictAtScale(fitting: readonly BinomialPoint[], targetN: number, options: UncertaintyOptions): HeldOutPrediction {
  if (!(targetN > 0) || !Number.isFinite(targetN)) throw new RangeError(`targetN must be positive and finite, got ${targetN}`);
  const { comparison, fitted } = compareForms(fitting, { leaveOneNOut: false });
  const predict = (sample: readonly BinomialPoint[]) =>
    fitted.map(({ form, theta }) => {
      const fit = fitBinomialForm(form, sample, [theta]);
      return fit ? clamp01(form.probability(fit.theta, targetN)) : Number.NaN;
    });
  const uncertainty = statisticUncertainty(fitting, predict, fitted.length, options);
  return {
    fittedMaxN: Math.max(...fitting.map((p) => p.n)),
    targetN,
    fittedPoints: comparison.points,
    criterion: comparison.criterion,
    selected: comparison.best,
    predictions: fitted.map(({ form, theta }, i) => ({
      form: form.name,
      predicted: clamp01(form.probability(theta, targetN)),
      uncertainty: uncertainty[i],
      criterion: comparison.fits[i].criterion,
    })),
    unfitted: comparison.unfitted,
  };
}

/** The held-out measurement: all seeds pooled, with the Wilson 95 % interval of the pooled rate. */
export function measureAtScale(heldOut: readonly BinomialPoint[]): Extrapolation['measured'] {
  const successes = heldOut.reduce((s, p) => s + p.successes, 0);
  const trials = heldOut.reduce((s, p) => s + p.trials, 0);
  return {
    successes,
    trials,
    successRate: trials > 0 ? successes / trials : 0,
    wilson: wilsonInterval(successes, trials),
    seeds: new Set(heldOut.map((p) => p.seed)).size,
  };
}

/**
 * The extrapolation test of a series: split ({@link splitAtScale}), predict from the fitting
 * points ({@link predictAtScale}), then measure ({@link measureAtScale}). `null` when the split is.
 */
export function extrapolationTest(points: readonly BinomialPoint[], options: UncertaintyOptions): Extrapolation | null {
  const split = splitAtScale(points);
  if (!split) return null;
  const prediction = predictAtScale(split.fitting, split.targetN, options);
  const measured = measureAtScale(split.heldOut);
  return {
    ...prediction,
    predictions: prediction.predictions.map((p) => ({ ...p, error: measured.successRate - p.predicted })),
    measured,
  };
}

/**
 * One line on the extrapolation test, in percentage points: `fitted on N ≤ 1,000, predicting
 * N = 10,000: measured 97.5 %; log-linear 100.0 (error −2.5), power law 97.2 (+0.3), logistic 94.4
 * (+3.1, picked by QAICc)`. `symbol` names the x variable (`D` for a coverage law).
 */
export function describeExtrapolation(extrapolation: Extrapolation, symbol: string = 'N'): string {
  const e = extrapolation;
  const percent = (rate: number) => (100 * rate).toFixed(1);
  const signed = (rate: number) => `${rate > 0 ? '+' : rate < 0 ? '−' : ''}${percent(Math.abs(rate))}`;
  const predictions = e.predictions.map(
    (p) => `${formLabel(p.form)} ${percent(p.predicted)} (${signed(p.error)}${e.selected === p.form ? `, picked by ${e.criterion}` : ''})`,
  );
  return (
    `fitted on ${symbol} ≤ ${e.fittedMaxN.toLocaleString('en-US')}, predicting ${symbol} = ${e.targetN.toLocaleString('en-US')}: ` +
    `measured ${percent(e.measured.successRate)} %; ${predictions.join(', ')}${e.selected ? '' : `; ${e.criterion} picks no form clearly`}`
  );
}
