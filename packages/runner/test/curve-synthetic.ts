/** Synthetic scaling curves for the curve-statistics tests: binomial counts from a known form. */
import { uniform01 } from '@gripgen/sim-core';
import { BinomialSampler } from '../src/curve/binomial.js';
import { curvePoint } from '../src/curve/analysis.js';
import type { CurvePoint } from '../src/curve/curve-types.js';

/** The full curve preset's N. */
export const CURVE_NS = [10, 30, 100, 300, 1000, 3000, 10000] as const;

/** A standard normal number from two counter-based uniforms (Box–Muller). */
export function normal(salt: number, a: number, b: number): number {
  const u1 = Math.max(1e-12, uniform01(salt, a, b, 0x7001));
  const u2 = uniform01(salt, a, b, 0x7002);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Options of {@link binomialCurve}. */
export interface SyntheticCurveOptions {
  seeds: number;
  trials: number;
  /** PRNG salt: each salt is an independent data set. */
  salt: number;
  ns?: readonly number[];
}

/**
 * One point per (N, seed) with successes ~ Binomial(trials, probability(N, seed)), the
 * probability clamped to [0, 1]. Points are ordered by N, then seed.
 */
export function binomialCurve(probability: (n: number, seed: number) => number, options: SyntheticCurveOptions): CurvePoint[] {
  const points: CurvePoint[] = [];
  for (const n of options.ns ?? CURVE_NS) {
    for (let seed = 0; seed < options.seeds; seed++) {
      const p = Math.min(1, Math.max(0, probability(n, seed)));
      const successes = new BinomialSampler(options.trials, p).draw(uniform01(options.salt, seed, n, 1));
      points.push(curvePoint({ n, seed, successes, trials: options.trials, trainSeconds: 0, evalSeconds: 0, finalLoss: 0 }));
    }
  }
  return points;
}
