/**
 * Statistics of a scaling curve: binomial confidence intervals, the least-squares log-linear fit
 * `success = a + b·log10(N)`, where the curve saturates, and the quantiles the intervals use.
 * The competing binomial fits are in `form-comparison.ts`, the bootstrap in `bootstrap.ts`.
 */
import type { Interval, LogLinearFit, Saturation } from './curve-types.js';

/** The standard normal quantile of 0.975: `z` of a two-sided 95 % interval. */
export const Z_95 = 1.959964;

/**
 * Quantile of the standard normal distribution (Acklam's rational approximation, relative error
 * below 1.2e-9).
 *
 * @throws RangeError unless 0 < probability < 1.
 */
export function normalQuantile(probability: number): number {
  if (!(probability > 0 && probability < 1)) throw new RangeError(`probability must be in (0, 1), got ${probability}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tailed = (q: number) =>
    (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (probability < 0.02425) return tailed(Math.sqrt(-2 * Math.log(probability)));
  if (probability > 1 - 0.02425) return -tailed(Math.sqrt(-2 * Math.log(1 - probability)));
  const q = probability - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * Quantile of Student's t distribution with `df` degrees of freedom, by the Cornish–Fisher
 * expansion about the normal quantile (Abramowitz & Stegun 26.7.5, four terms). At the 0.975
 * quantile the error is below 1e-3 for df ≥ 4 and below 1e-6 for df ≥ 19.
 *
 * @throws RangeError unless 0 < probability < 1 and df ≥ 1.
 */
export function studentTQuantile(probability: number, df: number): number {
  if (!(df >= 1)) throw new RangeError(`df must be at least 1, got ${df}`);
  const z = normalQuantile(probability);
  const z2 = z * z;
  return (
    z +
    (z * (z2 + 1)) / (4 * df) +
    (z * ((5 * z2 + 16) * z2 + 3)) / (96 * df ** 2) +
    (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / (384 * df ** 3) +
    (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / (92160 * df ** 4)
  );
}

/**
 * Wilson score interval of a binomial proportion (Wilson 1927; "method 3" of Newcombe 1998):
 * `(p + z²/2t ± z·√(p(1−p)/t + z²/4t²)) / (1 + z²/t)` with `p = successes / trials`.
 * Unlike the normal approximation it stays inside [0, 1] and is not empty at 0 or `trials`
 * successes. With no trials it is the whole of [0, 1].
 */
export function wilsonInterval(successes: number, trials: number, z: number = Z_95): Interval {
  if (!Number.isInteger(trials) || trials < 0) throw new RangeError(`trials must be a non-negative integer, got ${trials}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > trials) {
    throw new RangeError(`successes must be an integer in [0, trials=${trials}], got ${successes}`);
  }
  if (!(z > 0)) throw new RangeError(`z must be positive, got ${z}`);
  if (trials === 0) return { lo: 0, hi: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // The bounds are exactly 0 and 1 at the extremes; rounding would otherwise leave ±1e-17.
  return {
    lo: successes === 0 ? 0 : Math.max(0, centre - halfWidth),
    hi: successes === trials ? 1 : Math.min(1, centre + halfWidth),
  };
}

/** A success rate measured at N training trajectories. */
export interface RatePoint {
  n: number;
  successRate: number;
}

/**
 * Ordinary least-squares fit of `successRate = a + b·log10(n)` over all points (every seed's
 * point counts once). `r2 = 1 − SS_res / SS_tot`; when all rates are equal (SS_tot = 0) the
 * horizontal line fits exactly and `r2` is 1.
 *
 * @throws RangeError when the points span fewer than 2 distinct N, or an N is not positive.
 */
export function fitLogLinear(points: readonly RatePoint[]): LogLinearFit {
  for (const p of points) {
    if (!(p.n > 0) || !Number.isFinite(p.n)) throw new RangeError(`fitLogLinear: N must be positive and finite, got ${p.n}`);
    if (!Number.isFinite(p.successRate)) throw new RangeError(`fitLogLinear: success rate at N=${p.n} is ${p.successRate}`);
  }
  const distinct = new Set(points.map((p) => p.n)).size;
  if (distinct < 2) {
    throw new RangeError(`fitLogLinear needs points at 2 or more distinct N, got ${distinct} (${points.length} points)`);
  }
  const count = points.length;
  let meanX = 0;
  let meanY = 0;
  for (const p of points) {
    meanX += Math.log10(p.n);
    meanY += p.successRate;
  }
  meanX /= count;
  meanY /= count;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    const dx = Math.log10(p.n) - meanX;
    const dy = p.successRate - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const b = sxy / sxx;
  const a = meanY - b * meanX;
  let ssRes = 0;
  for (const p of points) {
    const residual = p.successRate - (a + b * Math.log10(p.n));
    ssRes += residual * residual;
  }
  const r2 = syy === 0 ? 1 : 1 - ssRes / syy;
  return { a, b, r2, n: count };
}

/** Quantile of sorted values by linear interpolation between order statistics (R's type 7). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no values');
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}

/** The points at one N, pooled over training seeds. */
export interface PooledRate {
  n: number;
  /** Mean of the per-seed success rates. */
  meanSuccessRate: number;
  /** Successes summed over seeds. */
  successes: number;
  /** Trials summed over seeds. */
  trials: number;
  /** `successes / trials` (equals `meanSuccessRate` when every seed has the same trials). */
  pooledSuccessRate: number;
  /** Wilson 95 % interval of the pooled rate. */
  wilson: Interval;
  /** Number of points (seeds) at this N. */
  count: number;
}

/**
 * Pools the points per N, in increasing N: mean of the per-seed rates, summed successes and
 * trials, and the Wilson 95 % interval of the pooled rate.
 */
export function poolByN(points: readonly (RatePoint & { successes: number; trials: number })[]): PooledRate[] {
  const groups = new Map<number, { sumRate: number; successes: number; trials: number; count: number }>();
  for (const p of points) {
    const g = groups.get(p.n) ?? { sumRate: 0, successes: 0, trials: 0, count: 0 };
    g.sumRate += p.successRate;
    g.successes += p.successes;
    g.trials += p.trials;
    g.count += 1;
    groups.set(p.n, g);
  }
  return [...groups.entries()]
    .sort(([x], [y]) => x - y)
    .map(([n, g]) => ({
      n,
      meanSuccessRate: g.sumRate / g.count,
      successes: g.successes,
      trials: g.trials,
      pooledSuccessRate: g.trials > 0 ? g.successes / g.trials : 0,
      wilson: wilsonInterval(g.successes, g.trials),
      count: g.count,
    }));
}

/** Default of `saturation`'s `minGainPerDecade`: 2 percentage points per tenfold N. */
export const DEFAULT_MIN_GAIN_PER_DECADE = 0.02;

/**
 * Where the curve saturates. Rule: the curve is saturated from the smallest N (other than
 * the largest) such that the least-squares slope `b` of {@link fitLogLinear} over the points
 * with N' ≥ N (all seeds) is below `minGainPerDecade` (default 0.02: 2 percentage points of
 * success per tenfold N). Fitting the whole tail rather than comparing neighbouring means keeps
 * seed noise between closely spaced N from hiding a plateau. The largest N alone is never
 * called saturated (no later N to compare with), so `saturatedFrom` is `null` for a curve that
 * still rises at its end; a curve flat from its first N (e.g. 0 % everywhere) is saturated from
 * that N.
 *
 * Also fits the non-saturated part: the points with N ≤ `saturatedFrom` (all points when
 * not saturated); that fit is `null` when the part holds a single N.
 */
export function saturation(points: readonly RatePoint[], minGainPerDecade: number = DEFAULT_MIN_GAIN_PER_DECADE): Saturation {
  if (points.length === 0) throw new RangeError('saturation of no points');
  for (const p of points) {
    if (!(p.n > 0) || !Number.isFinite(p.n)) throw new RangeError(`saturation: N must be positive and finite, got ${p.n}`);
  }
  const ns = [...new Set(points.map((p) => p.n))].sort((x, y) => x - y);
  let saturatedFrom: number | null = null;
  for (let i = 0; i < ns.length - 1 && saturatedFrom === null; i++) {
    const tail = points.filter((p) => p.n >= ns[i]);
    if (fitLogLinear(tail).b < minGainPerDecade) saturatedFrom = ns[i];
  }
  const minN = ns[0];
  const maxN = saturatedFrom ?? ns[ns.length - 1];
  return {
    saturatedFrom,
    fitRange: [minN, maxN],
    fit: minN < maxN ? fitLogLinear(points.filter((p) => p.n <= maxN)) : null,
    minGainPerDecade,
  };
}
