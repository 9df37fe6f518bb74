/**
 * Binomial maximum-likelihood fit of a {@link CurveForm}: successes at each (N, seed) point are
 * Binomial(trials, p(N; θ)). Levenberg–Marquardt on the log-likelihood with the Gauss–Newton
 * (Fisher-type) curvature, box bounds by an active set.
 *
 * Points with 0 or all successes need no special case: `0·ln 0` terms are simply absent. A
 * model probability outside (ε, 1 − ε) (a line below 0 at small N) is read as clamped on the
 * side where it does no harm, and continued by a concave quadratic on the side where it would
 * otherwise give ln 0, so the log-likelihood stays finite and its slope points back.
 */
import { lnBinomialCoefficient } from './binomial.js';
import type { BinomialPoint, CurveForm } from './curve-forms.js';

/** Where `ln` is continued by its second-order Taylor polynomial. */
const EPSILON = 1e-6;
const LN_EPSILON = Math.log(EPSILON);
/**
 * Iteration cap. A well-posed fit converges in a few dozen; where the maximum lies at infinity
 * (a logistic sharpening into a step to fit a curve that rises and collapses) the cap ends it.
 */
const MAX_ITERATIONS = 200;
/** Stop when the undamped step's predicted gain is below this, in nats relative to 1 + |ln L|. */
const TOLERANCE = 1e-11;
const MAX_DAMPING = 1e12;

/** A maximum-likelihood fit of one form. */
export interface BinomialFit {
  /** Internal parameters at the maximum (see the form for their meaning). */
  theta: number[];
  /** Maximised log-likelihood, binomial coefficients included. */
  logLikelihood: number;
}

/** `ln u` for u ≥ ε (0 from 1 up), its Taylor continuation below ε. */
function safeLn(u: number): number {
  if (u >= 1) return 0;
  if (u >= EPSILON) return Math.log(u);
  const d = (u - EPSILON) / EPSILON;
  return LN_EPSILON + d - 0.5 * d * d;
}

function safeLnSlope(u: number): number {
  if (u >= 1) return 0;
  if (u >= EPSILON) return 1 / u;
  return (1 - (u - EPSILON) / EPSILON) / EPSILON;
}

/** `−d² safeLn / du²` (≥ 0: safeLn is concave). */
function safeLnCurvature(u: number): number {
  if (u >= 1) return 0;
  if (u >= EPSILON) return 1 / (u * u);
  return 1 / (EPSILON * EPSILON);
}

/** Log-likelihood of the points under `form` at θ, without the binomial coefficients. */
function kernel(form: CurveForm, theta: readonly number[], points: readonly BinomialPoint[]): number {
  let sum = 0;
  for (const p of points) {
    const probability = form.probability(theta, p.n);
    const failures = p.trials - p.successes;
    if (p.successes > 0) sum += p.successes * safeLn(probability);
    if (failures > 0) sum += failures * safeLn(1 - probability);
  }
  return sum;
}

/** `Σ ln C(trials, successes)`: the part of the log-likelihood that no parameter changes. */
function lnCoefficients(points: readonly BinomialPoint[]): number {
  let sum = 0;
  for (const p of points) sum += lnBinomialCoefficient(p.trials, p.successes);
  return sum;
}

/** Binomial log-likelihood of the points under `form` at internal parameters θ (coefficients included). */
export function formLogLikelihood(form: CurveForm, theta: readonly number[], points: readonly BinomialPoint[]): number {
  return kernel(form, theta, points) + lnCoefficients(points);
}

/**
 * Maximum-likelihood fit of `form` to the points, from each of `starts` (default: the form's
 * own starting values), keeping the best. Returns `null` when no start reaches a finite
 * log-likelihood. The caller ensures the points span at least as many distinct N as the form
 * has parameters.
 *
 * @throws RangeError for a point with non-finite or non-positive N, or impossible counts.
 */
export function fitBinomialForm(
  form: CurveForm,
  points: readonly BinomialPoint[],
  starts: readonly (readonly number[])[] = form.starts(points),
): BinomialFit | null {
  for (const p of points) {
    if (!(p.n > 0) || !Number.isFinite(p.n)) throw new RangeError(`fitBinomialForm: N must be positive and finite, got ${p.n}`);
    if (!Number.isInteger(p.trials) || p.trials < 0 || !Number.isInteger(p.successes) || p.successes < 0 || p.successes > p.trials) {
      throw new RangeError(`fitBinomialForm: impossible counts ${p.successes} / ${p.trials} at N=${p.n}`);
    }
  }
  let best: { theta: number[]; value: number } | null = null;
  for (const start of starts) {
    const result = maximize(form, points, start);
    if (result && (best === null || result.value > best.value)) best = result;
  }
  return best && { theta: best.theta, logLikelihood: best.value + lnCoefficients(points) };
}

/** Levenberg–Marquardt ascent of {@link kernel} from `start` (clipped into the bounds). */
function maximize(form: CurveForm, points: readonly BinomialPoint[], start: readonly number[]): { theta: number[]; value: number } | null {
  const size = form.lower.length;
  let theta = start.map((v, j) => Math.min(form.upper[j], Math.max(form.lower[j], v)));
  let value = kernel(form, theta, points);
  if (!Number.isFinite(value) || theta.some((v) => !Number.isFinite(v))) return null;
  const jacobian = new Float64Array(size);
  const gradient = new Float64Array(size);
  const curvature = new Float64Array(size * size);
  let damping = 1e-3;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    gradient.fill(0);
    curvature.fill(0);
    for (const p of points) {
      const probability = form.probability(theta, p.n);
      const failures = p.trials - p.successes;
      const slope = p.successes * safeLnSlope(probability) - failures * safeLnSlope(1 - probability);
      const weight = p.successes * safeLnCurvature(probability) + failures * safeLnCurvature(1 - probability);
      form.gradient(theta, p.n, jacobian);
      for (let i = 0; i < size; i++) {
        gradient[i] += slope * jacobian[i];
        for (let j = 0; j <= i; j++) curvature[i * size + j] += weight * jacobian[i] * jacobian[j];
      }
    }
    // A parameter on a bound whose gradient points outwards stays there this step.
    const free: number[] = [];
    for (let j = 0; j < size; j++) {
      const blockedBelow = theta[j] <= form.lower[j] && gradient[j] < 0;
      const blockedAbove = theta[j] >= form.upper[j] && gradient[j] > 0;
      if (!blockedBelow && !blockedAbove) free.push(j);
    }
    if (free.length === 0) break;
    // Converged when even the undamped step would gain (to second order) next to nothing.
    const newton = dampedStep(curvature, gradient, free, size, 0);
    let predictedGain = 0;
    for (let f = 0; f < free.length; f++) predictedGain += 0.5 * newton[f] * gradient[free[f]];
    if (!(predictedGain > TOLERANCE * (1 + Math.abs(value)))) break;
    let accepted = false;
    while (damping <= MAX_DAMPING) {
      const step = dampedStep(curvature, gradient, free, size, damping);
      const candidate = theta.slice();
      for (let f = 0; f < free.length; f++) {
        const j = free[f];
        candidate[j] = Math.min(form.upper[j], Math.max(form.lower[j], theta[j] + step[f]));
      }
      const candidateValue = kernel(form, candidate, points);
      if (Number.isFinite(candidateValue) && candidateValue > value) {
        theta = candidate;
        value = candidateValue;
        damping = Math.max(damping / 3, 1e-12);
        accepted = true;
        break;
      }
      damping *= 4;
    }
    if (!accepted) break;
  }
  return { theta, value };
}

/** Solves `(H + λ·diag H) δ = g` on the free parameters (H is stored in its lower triangle). */
function dampedStep(curvature: Float64Array, gradient: Float64Array, free: readonly number[], size: number, damping: number): number[] {
  const m = free.length;
  const a = new Float64Array(m * m);
  const b = new Float64Array(m);
  let largest = 0;
  for (const j of free) largest = Math.max(largest, curvature[j * size + j]);
  const floor = Math.max(largest, 1) * 1e-12;
  for (let r = 0; r < m; r++) {
    b[r] = gradient[free[r]];
    for (let c = 0; c < m; c++) {
      const i = Math.max(free[r], free[c]);
      const j = Math.min(free[r], free[c]);
      a[r * m + c] = curvature[i * size + j];
    }
    a[r * m + r] += damping * Math.max(a[r * m + r], floor) + floor;
  }
  return solveSymmetricPositive(a, b, m);
}

/** Cholesky solve of a small symmetric positive-definite system (a is overwritten). */
function solveSymmetricPositive(a: Float64Array, b: Float64Array, m: number): number[] {
  for (let j = 0; j < m; j++) {
    let diagonal = a[j * m + j];
    for (let k = 0; k < j; k++) diagonal -= a[j * m + k] * a[j * m + k];
    const root = Math.sqrt(Math.max(diagonal, Number.MIN_VALUE));
    a[j * m + j] = root;
    for (let i = j + 1; i < m; i++) {
      let sum = a[i * m + j];
      for (let k = 0; k < j; k++) sum -= a[i * m + k] * a[j * m + k];
      a[i * m + j] = sum / root;
    }
  }
  const y = new Array<number>(m);
  for (let i = 0; i < m; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= a[i * m + k] * y[k];
    y[i] = sum / a[i * m + i];
  }
  const x = new Array<number>(m);
  for (let i = m - 1; i >= 0; i--) {
    let sum = y[i];
    for (let k = i + 1; k < m; k++) sum -= a[k * m + i] * x[k];
    x[i] = sum / a[i * m + i];
  }
  return x;
}
