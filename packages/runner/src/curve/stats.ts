/**
 * Statistics of a scaling curve: binomial confidence intervals, the log-linear fit
 * `success = a + b·log10(N)`, a bootstrap interval of its slope, and where the curve saturates.
 */
import { uniform01 } from '@gripgen/sim-core';
import type { Interval, LogLinearFit, Saturation } from './curve-types.js';

/** The standard normal quantile of 0.975: `z` of a two-sided 95 % interval. */
export const Z_95 = 1.959964;

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

/** A success rate measured at N training trajectories with one training seed. */
export interface SeededRatePoint extends RatePoint {
  seed: number;
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

/** Options of `bootstrapSlope`. */
export interface BootstrapOptions {
  /** Number of bootstrap resamples (default 2000). */
  resamples?: number;
  /** Seed of the counter-based PRNG: the same seed gives the same interval. */
  seed: number;
  /** Confidence level of the two-sided interval (default 0.95). */
  level?: number;
}

/**
 * Percentile bootstrap interval of the slope `b` of {@link fitLogLinear}.
 *
 * With two or more training seeds the resampling unit is the seed: each resample draws as
 * many seeds as there are, with replacement, and takes every point of each drawn seed, so
 * the interval reflects the seed-to-seed spread of whole curves. With a single seed the
 * points themselves are resampled (case resampling: as many points as there are, drawn with
 * replacement from all of them). Resamples that span fewer than 2 distinct N have no slope
 * and are skipped. With few seeds the interval is coarse: 3 seeds allow only 10 distinct
 * resamples and, when every seed covers the same N, the 95 % interval is the range of the three
 * single-seed slopes (each all-one-seed resample has probability 1/27 > 2.5 %). Draws come
 * from sim-core's counter-based `uniform01(seed, resample, draw, 0)`, so the interval is a pure
 * function of the points and options.
 *
 * @throws RangeError when the points span fewer than 2 distinct N, or every resample is degenerate.
 */
export function bootstrapSlope(points: readonly SeededRatePoint[], options: BootstrapOptions): Interval {
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  fitLogLinear(points); // validates, and throws for < 2 distinct N

  const bySeed = new Map<number, SeededRatePoint[]>();
  for (const p of points) {
    const group = bySeed.get(p.seed);
    if (group) group.push(p);
    else bySeed.set(p.seed, [p]);
  }
  const units: (readonly SeededRatePoint[])[] =
    bySeed.size >= 2 ? [...bySeed.keys()].sort((x, y) => x - y).map((s) => bySeed.get(s)!) : points.map((p) => [p]);

  const slopes: number[] = [];
  const sample: SeededRatePoint[] = [];
  for (let r = 0; r < resamples; r++) {
    sample.length = 0;
    for (let draw = 0; draw < units.length; draw++) {
      const index = Math.min(units.length - 1, Math.floor(uniform01(options.seed, r, draw, 0) * units.length));
      for (const p of units[index]) sample.push(p);
    }
    if (!spansTwoN(sample)) continue;
    slopes.push(fitLogLinear(sample).b);
  }
  if (slopes.length === 0) throw new RangeError('bootstrapSlope: every resample spanned a single N');
  slopes.sort((x, y) => x - y);
  const tail = (1 - level) / 2;
  return { lo: quantile(slopes, tail), hi: quantile(slopes, 1 - tail) };
}

function spansTwoN(points: readonly RatePoint[]): boolean {
  for (const p of points) if (p.n !== points[0].n) return true;
  return false;
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
