import { describe, it, expect } from 'vitest';
import { uniform01 } from '@gripgen/sim-core';
import { fitLogLinear, poolByN, quantile, saturation, wilsonInterval } from '../src/curve/stats.js';
import { analyzeCurveSeries, curvePoint } from '../src/curve/analysis.js';

const NS = [10, 30, 100, 300, 1000, 3000, 10000];

/** Noisy points around `a + b·log10 N`: a per-seed offset (±offset/2) plus per-point noise (±noise/2). */
function noisyPoints(a: number, b: number, seeds: readonly number[], noise: number, offset: number, salt = 1) {
  return seeds.flatMap((seed) =>
    NS.map((n) => ({
      n,
      seed,
      successRate:
        a + b * Math.log10(n) + (uniform01(salt, seed, 0, 0) - 0.5) * offset + (uniform01(salt, seed, n, 1) - 0.5) * noise,
    })),
  );
}

describe('wilsonInterval', () => {
  it('matches published values (Newcombe 1998, Stat. Med. 17:857, table II, method 3)', () => {
    const published: [number, number, number, number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [successes, trials, lo, hi] of published) {
      const w = wilsonInterval(successes, trials);
      expect(w.lo).toBeCloseTo(lo, 4);
      expect(w.hi).toBeCloseTo(hi, 4);
    }
  });

  it('agrees with the score formula written out independently at 0/10, 5/10 and 10/10', () => {
    const z = 1.959964;
    // Bounds are the roots p of (p̂ − p)² = z² p (1 − p) / t, a quadratic in p.
    const roots = (successes: number, trials: number) => {
      const phat = successes / trials;
      const qa = 1 + (z * z) / trials;
      const qb = -(2 * phat + (z * z) / trials);
      const qc = phat * phat;
      const disc = Math.sqrt(qb * qb - 4 * qa * qc);
      return { lo: (-qb - disc) / (2 * qa), hi: (-qb + disc) / (2 * qa) };
    };
    for (const successes of [0, 5, 10]) {
      const w = wilsonInterval(successes, 10);
      const r = roots(successes, 10);
      expect(w.lo).toBeCloseTo(r.lo, 12);
      expect(w.hi).toBeCloseTo(r.hi, 12);
    }
    expect(wilsonInterval(0, 10)).toEqual({ lo: 0, hi: expect.closeTo(0.2775, 4) });
    expect(wilsonInterval(5, 10).lo).toBeCloseTo(0.2366, 4);
    expect(wilsonInterval(5, 10).hi).toBeCloseTo(0.7634, 4);
    expect(wilsonInterval(10, 10)).toEqual({ lo: expect.closeTo(0.7225, 4), hi: 1 });
  });

  it('is [0, 1] without trials and rejects impossible counts', () => {
    expect(wilsonInterval(0, 0)).toEqual({ lo: 0, hi: 1 });
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 10)).toThrow(RangeError);
  });
});

describe('fitLogLinear', () => {
  it('recovers a and b exactly from noise-free points', () => {
    const points = NS.map((n) => ({ n, successRate: 0.12 + 0.17 * Math.log10(n) }));
    const fit = fitLogLinear(points);
    expect(fit.a).toBeCloseTo(0.12, 12);
    expect(fit.b).toBeCloseTo(0.17, 12);
    expect(fit.r2).toBeCloseTo(1, 12);
    expect(fit.n).toBe(NS.length);
  });

  it('matches a hand-computed example: y = 0.2, 0.5, 0.6 at N = 10, 100, 1000', () => {
    // x = 1, 2, 3: b = Sxy/Sxx = 0.4/2 = 0.2, a = 13/30 − 0.2·2 = 1/30,
    // SS_res = (1² + 2² + 1²)/900 = 1/150, SS_tot = (7² + 2² + 5²)/900 = 13/150, R² = 12/13.
    const fit = fitLogLinear([
      { n: 10, successRate: 0.2 },
      { n: 100, successRate: 0.5 },
      { n: 1000, successRate: 0.6 },
    ]);
    expect(fit.b).toBeCloseTo(0.2, 12);
    expect(fit.a).toBeCloseTo(1 / 30, 12);
    expect(fit.r2).toBeCloseTo(12 / 13, 12);
    expect(fit.n).toBe(3);
  });

  it('recovers a within 0.05 and b within 0.02 from noisy points (3 seeds, ±0.05 noise)', () => {
    const fit = fitLogLinear(noisyPoints(0.1, 0.15, [0, 1, 2], 0.1, 0));
    expect(Math.abs(fit.a - 0.1)).toBeLessThan(0.05);
    expect(Math.abs(fit.b - 0.15)).toBeLessThan(0.02);
    expect(fit.r2).toBeGreaterThan(0.9);
    expect(fit.r2).toBeLessThan(1);
    expect(fit.n).toBe(21);
  });

  it('gives R² = 1 for a flat line and throws for fewer than 2 distinct N', () => {
    expect(fitLogLinear([{ n: 10, successRate: 0.5 }, { n: 100, successRate: 0.5 }])).toEqual({ a: 0.5, b: 0, r2: 1, n: 2 });
    expect(() => fitLogLinear([])).toThrow(/2 or more distinct N/);
    expect(() => fitLogLinear([{ n: 10, successRate: 0.1 }, { n: 10, successRate: 0.3 }])).toThrow(/2 or more distinct N/);
    expect(() => fitLogLinear([{ n: 0, successRate: 0.1 }, { n: 10, successRate: 0.3 }])).toThrow(/positive/);
  });
});

describe('quantile', () => {
  it('interpolates between order statistics', () => {
    expect(quantile([1, 2, 3, 4], 0)).toBe(1);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });
});

describe('saturation', () => {
  const atMeans = (means: readonly number[]) => NS.map((n, i) => ({ n, successRate: means[i] }));

  it('is null for a curve that still rises, with a fit over all points', () => {
    const points = atMeans([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    const s = saturation(points);
    expect(s.saturatedFrom).toBeNull();
    expect(s.fitRange).toEqual([10, 10000]);
    expect(s.fit).toEqual(fitLogLinear(points));
    expect(s.minGainPerDecade).toBe(0.02);
  });

  it('finds the start of a plateau and fits the part up to it', () => {
    const points = atMeans([0.1, 0.3, 0.5, 0.7, 0.8, 0.8, 0.8]);
    const s = saturation(points);
    expect(s.saturatedFrom).toBe(1000);
    expect(s.fitRange).toEqual([10, 1000]);
    expect(s.fit).toEqual(fitLogLinear(points.filter((p) => p.n <= 1000)));
  });

  it('sees a plateau through seed noise between closely spaced N', () => {
    const s = saturation(atMeans([0.2, 0.45, 0.7, 0.8, 0.78, 0.83, 0.79]));
    expect(s.saturatedFrom).toBe(300);
  });

  it('calls a curve flat from its first N saturated there, with no fit', () => {
    const s = saturation(atMeans([0, 0, 0, 0, 0, 0, 0]));
    expect(s.saturatedFrom).toBe(10);
    expect(s.fitRange).toEqual([10, 10]);
    expect(s.fit).toBeNull();
  });

  it('follows the threshold', () => {
    const points = atMeans([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]); // 0.2 per decade
    expect(saturation(points, 0.25).saturatedFrom).toBe(10);
    expect(saturation(points, 0.15).saturatedFrom).toBeNull();
  });
});

describe('poolByN and analyzeCurveSeries', () => {
  const points = [0, 1].flatMap((seed) =>
    [10, 100].map((n) =>
      curvePoint({ n, seed, successes: n === 10 ? 2 + seed : 8, trials: 10, trainSeconds: 1, evalSeconds: 2, finalLoss: 0.5 }),
    ),
  );

  it('pools successes and trials per N', () => {
    const pooled = poolByN(points);
    expect(pooled.map((p) => p.n)).toEqual([10, 100]);
    expect(pooled[0]).toMatchObject({ successes: 5, trials: 20, count: 2, pooledSuccessRate: 0.25, meanSuccessRate: 0.25 });
    expect(pooled[0].wilson).toEqual(wilsonInterval(5, 20));
  });

  it('derives rate and Wilson interval of a point, and attaches the statistics to a series', () => {
    expect(points[0]).toMatchObject({ successRate: 0.2, wilson: wilsonInterval(2, 10) });
    const result = analyzeCurveSeries({ name: 'narrow', points }, { bootstrapSeed: 3, resamples: 200 });
    expect(result.fit).toEqual(fitLogLinear(points));
    // Two seeds: the range of the single-seed slopes (0.8 − 0.2 and 0.8 − 0.3 per decade), not an interval.
    expect(result.slope).toEqual({ kind: 'seed-range', range: { lo: expect.closeTo(0.5, 12), hi: expect.closeTo(0.6, 12) }, seeds: 2, usableSeeds: 2 });
    expect(result.saturation).toEqual(saturation(points));
    expect(result.forms?.fits.map((f) => f.form)).toEqual(['log-linear', 'power-law']);
    expect(result.formUncertainty.map((u) => Object.keys(u.parameters))).toEqual([['a', 'b'], ['c', 'alpha']]);
    expect(result.extrapolation).toBeNull(); // only N = 10 lies at or below 100 / 10
    const single = analyzeCurveSeries({ name: 'one N', points: points.filter((p) => p.n === 10) });
    expect(single.fit).toBeNull();
    expect(single.slope).toBeNull();
    expect(single.forms).toBeNull();
    expect(single.formUncertainty).toEqual([]);
  });
});
