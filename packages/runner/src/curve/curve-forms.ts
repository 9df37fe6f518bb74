/**
 * The competing functional forms of success probability against N, in the shape a binomial
 * maximum-likelihood fit needs: probability, its gradient in the (internal) parameters, bounds,
 * starting values, and the parameters as reported.
 *
 * Every form's success is read as clamped to [0, 1]: a log-linear line below 0 at small N, or a
 * power law whose failure rate `c·N^(−α)` exceeds 1, means success 0 there (the likelihood of
 * zero successes is then 1, and of any success vanishing).
 */
import type { CurveFormName } from './curve-types.js';
import { fitLogLinear } from './stats.js';

/** One (N, training seed) measurement as successes out of evaluation trials. */
export interface BinomialPoint {
  n: number;
  seed: number;
  successes: number;
  trials: number;
}

/** A functional form `p(N; θ)` of the success probability. */
export interface CurveForm {
  /** Name, as in curve.json. */
  readonly name: CurveFormName;
  /** The formula in reported parameters, for reports. */
  readonly formula: string;
  /** Names of the reported parameters, in order. */
  readonly parameterNames: readonly string[];
  /** Lower bounds of the internal parameters θ (−Infinity when unbounded). */
  readonly lower: readonly number[];
  /** Upper bounds of the internal parameters θ (Infinity when unbounded). */
  readonly upper: readonly number[];
  /** Success probability at N, before clamping to [0, 1]. */
  probability(theta: readonly number[], n: number): number;
  /** Writes ∂probability/∂θ at N into `out`. */
  gradient(theta: readonly number[], n: number, out: Float64Array): void;
  /** The reported parameters (named by `parameterNames`) from internal θ. */
  reported(theta: readonly number[]): number[];
  /** Starting values of θ from the data; the fit keeps the best result over all of them. */
  starts(points: readonly BinomialPoint[]): number[][];
}

/**
 * `s = a + b·log10 N` (θ = reported = [a, b]). Started from ordinary least squares on the
 * continuity-corrected rates pooled per N.
 */
export const LOG_LINEAR: CurveForm = {
  name: 'log-linear',
  formula: 's = a + b·log10 N',
  parameterNames: ['a', 'b'],
  lower: [-Infinity, -Infinity],
  upper: [Infinity, Infinity],
  probability: (theta, n) => theta[0] + theta[1] * Math.log10(n),
  gradient(_theta, n, out) {
    out[0] = 1;
    out[1] = Math.log10(n);
  },
  reported: (theta) => [theta[0], theta[1]],
  starts(points) {
    const fit = fitLogLinear(correctedRates(points));
    return [[fit.a, fit.b]];
  },
};

/**
 * Power law in the failure rate, `1 − s = c·N^(−α)` (Lin et al.; the form of LLM scaling laws).
 * θ = [ln c, α] for conditioning; reported [c, α]. Started from least squares of `ln(1 − s)`
 * against `ln N`.
 */
export const POWER_LAW: CurveForm = {
  name: 'power-law',
  formula: '1 − s = c·N^(−α)',
  parameterNames: ['c', 'alpha'],
  lower: [-Infinity, -Infinity],
  upper: [Infinity, Infinity],
  probability: (theta, n) => 1 - Math.exp(theta[0] - theta[1] * Math.log(n)),
  gradient(theta, n, out) {
    const failure = Math.exp(theta[0] - theta[1] * Math.log(n));
    out[0] = -failure;
    out[1] = failure * Math.log(n);
  },
  reported: (theta) => [Math.exp(theta[0]), theta[1]],
  starts(points) {
    const fit = fitLogLinear(correctedRates(points).map((p) => ({ n: p.n, successRate: Math.log(1 - p.successRate) })));
    return [[fit.a, -fit.b / Math.LN10]];
  },
};

/** Smallest upper asymptote the logistic fit may take. */
const MIN_ASYMPTOTE = 1e-6;

/**
 * Saturating logistic in log10 N with a free upper asymptote L ≤ 1:
 * `s = L / (1 + exp(−k·(log10 N − x0)))`. Free L is what lets the form say "the curve flattens
 * at 97 %"; where the data show no plateau L is weakly identified and the fit puts it at or near
 * its bound 1, which AIC charges as a third parameter. θ = [L, β0, β1] with the linear predictor
 * `β0 + β1·log10 N` (better conditioned than k and x0); reported [L, k = β1, x0 = −β0/β1].
 * Started from least squares of `logit(s / L)` for several L between the largest rate and 1.
 */
export const LOGISTIC: CurveForm = {
  name: 'logistic',
  formula: 's = L / (1 + exp(−k·(log10 N − x0)))',
  parameterNames: ['L', 'k', 'x0'],
  lower: [MIN_ASYMPTOTE, -Infinity, -Infinity],
  upper: [1, Infinity, Infinity],
  probability: (theta, n) => theta[0] * sigmoid(theta[1] + theta[2] * Math.log10(n)),
  gradient(theta, n, out) {
    const x = Math.log10(n);
    const s = sigmoid(theta[1] + theta[2] * x);
    const slope = theta[0] * s * (1 - s);
    out[0] = s;
    out[1] = slope;
    out[2] = slope * x;
  },
  reported: (theta) => [theta[0], theta[2], -theta[1] / theta[2]],
  starts(points) {
    const rates = correctedRates(points);
    const top = Math.max(...rates.map((p) => p.successRate));
    return [1, top + (1 - top) / 2, top + (1 - top) / 10].map((asymptote) => {
      const fit = fitLogLinear(
        rates.map((p) => {
          const share = Math.min(0.995, Math.max(0.005, p.successRate / asymptote));
          return { n: p.n, successRate: Math.log(share / (1 - share)) };
        }),
      );
      return [asymptote, fit.a, fit.b];
    });
  },
};

/** The competing forms, in the order reports list them. */
export const CURVE_FORMS: readonly CurveForm[] = [LOG_LINEAR, POWER_LAW, LOGISTIC];

/** The logistic function `1 / (1 + e^(−x))`, without overflow for large |x|. */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Rates pooled per N with a continuity correction `(successes + ½) / (trials + 1)`, so none is 0 or 1. */
function correctedRates(points: readonly BinomialPoint[]): { n: number; successRate: number }[] {
  const byN = new Map<number, { successes: number; trials: number }>();
  for (const p of points) {
    const pooled = byN.get(p.n) ?? { successes: 0, trials: 0 };
    pooled.successes += p.successes;
    pooled.trials += p.trials;
    byN.set(p.n, pooled);
  }
  return [...byN].map(([n, pooled]) => ({ n, successRate: (pooled.successes + 0.5) / (pooled.trials + 1) }));
}

/**
 * The success rate a fitted form predicts at N, from its reported parameters (as stored in
 * curve.json), clamped to [0, 1]; `NaN` when a parameter is missing or not finite.
 */
export function fittedRate(fit: { form: CurveFormName; parameters: Readonly<Record<string, number>> }, n: number): number {
  const p = fit.parameters;
  const x = Math.log10(n);
  let rate: number;
  switch (fit.form) {
    case 'log-linear':
      rate = p.a + p.b * x;
      break;
    case 'power-law':
      rate = 1 - p.c * Math.exp(-p.alpha * Math.log(n));
      break;
    case 'logistic':
      rate = p.L * sigmoid(p.k * (x - p.x0));
      break;
  }
  return Number.isFinite(rate) ? Math.min(1, Math.max(0, rate)) : Number.NaN;
}
