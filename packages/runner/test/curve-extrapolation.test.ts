import { describe, it, expect } from 'vitest';
import { analyzeCurveSeries, curvePoint } from '../src/curve/analysis.js';
import { POWER_LAW, type BinomialPoint } from '../src/curve/curve-forms.js';
import type { CurvePoint } from '../src/curve/curve-types.js';
import { describeExtrapolation, extrapolationTest, measureAtScale, predictAtScale, splitAtScale } from '../src/curve/extrapolation.js';
import { wilsonInterval } from '../src/curve/stats.js';
import { binomialCurve, normal } from './curve-synthetic.js';

const OPTIONS = { seed: 5, resamples: 1000 };
/** 1 − s = 2·N^(−0.35) with seed-to-seed spread of α (sd 0.02): 92.0 % at N = 10,000. */
const TRUE_AT_10000 = POWER_LAW.probability([Math.log(2), 0.35], 10000);

function powerLawCurve(seeds: number, salt = 1): CurvePoint[] {
  return binomialCurve((n, seed) => POWER_LAW.probability([Math.log(2), 0.35 + 0.02 * normal(salt, seed, 1)], n), {
    seeds,
    trials: 1000,
    salt,
  });
}

/**
 * A copy of the point whose every field but `n` throws when read: the extrapolation must not
 * read it at all.
 */
function poisoned(point: CurvePoint): CurvePoint {
  const trap = (field: string) => () => {
    throw new Error(`held-out point at N=${point.n} read: ${field}`);
  };
  const copy = { n: point.n } as CurvePoint;
  for (const field of ['seed', 'successes', 'trials', 'successRate', 'wilson', 'trainSeconds', 'evalSeconds', 'finalLoss']) {
    Object.defineProperty(copy, field, { get: trap(field), enumerable: true });
  }
  return copy;
}

describe('splitAtScale', () => {
  it('fits N ≤ N_max / 10, holds out N_max, and leaves the rest out, reading only N', () => {
    const points = powerLawCurve(3).map(poisoned);
    const split = splitAtScale(points)!;
    expect(split.targetN).toBe(10000);
    expect(split.fittedMaxN).toBe(1000);
    expect([...new Set(split.fitting.map((p) => p.n))]).toEqual([10, 30, 100, 300, 1000]);
    expect(split.heldOut.map((p) => p.n)).toEqual([10000, 10000, 10000]);
    expect(split.fitting.every((p) => points.includes(p))).toBe(true);
  });

  it('is null when fewer than 2 distinct N lie at or below a tenth of the largest', () => {
    expect(splitAtScale([4, 8, 16].map((n) => ({ n })))).toBeNull();
    expect(splitAtScale([10, 50, 100].map((n) => ({ n })))).toBeNull();
    expect(splitAtScale([10, 20, 200].map((n) => ({ n })))).not.toBeNull();
    expect(splitAtScale([])).toBeNull();
  });
});

describe('the extrapolation never sees the held-out points', () => {
  const clean = powerLawCurve(5);
  const clearPrediction = predictAtScale(splitAtScale(clean)!.fitting, 10000, OPTIONS);

  it('predicts identically when every point above N_max / 10 throws on any read', () => {
    const points = clean.map((p) => (p.n > 1000 ? poisoned(p) : p));
    const split = splitAtScale(points)!;
    expect(() => measureAtScale(split.heldOut)).toThrow(/held-out point at N=10000 read/); // the trap works
    expect(predictAtScale(split.fitting, split.targetN, OPTIONS)).toEqual(clearPrediction);
  });

  it('predicts identically when the held-out counts are NaN', () => {
    const points = clean.map((p) => (p.n > 1000 ? { ...p, successes: Number.NaN, trials: Number.NaN, successRate: Number.NaN } : p));
    const split = splitAtScale(points)!;
    expect(predictAtScale(split.fitting, split.targetN, OPTIONS)).toEqual(clearPrediction);
  });

  it('in the whole analysis, absurd held-out counts change the measurement and the error, never the prediction', () => {
    // 0 successes of a million trials at N = 3,000 and 10,000. (200 resamples: fitting every form
    // to this collapsing curve, as the analysis does for all points, is slow.)
    const absurd = clean.map((p) =>
      p.n > 1000 ? curvePoint({ n: p.n, seed: p.seed, successes: 0, trials: 1_000_000, trainSeconds: 0, evalSeconds: 0, finalLoss: 0 }) : p,
    );
    const before = analyzeCurveSeries({ name: 'clean', points: clean }, { bootstrapSeed: 5, resamples: 200 }).extrapolation!;
    const after = analyzeCurveSeries({ name: 'absurd', points: absurd }, { bootstrapSeed: 5, resamples: 200 }).extrapolation!;
    const withoutMeasurement = ({ measured: _m, predictions, ...rest }: typeof before) => ({
      ...rest,
      predictions: predictions.map(({ error: _e, ...p }) => p),
    });
    expect(withoutMeasurement(after)).toEqual(withoutMeasurement(before));
    expect(after.measured).toEqual({ successes: 0, trials: 5_000_000, successRate: 0, wilson: wilsonInterval(0, 5_000_000), seeds: 5 });
    for (const p of after.predictions) expect(p.error).toBeCloseTo(-p.predicted, 12);
  });
});

describe('extrapolationTest', () => {
  it('predicts a power law’s success at 10× the largest fitted N from its own form, within the interval', () => {
    const e = extrapolationTest(powerLawCurve(5), OPTIONS)!;
    expect(e).toMatchObject({ fittedMaxN: 1000, targetN: 10000, fittedPoints: 25, unfitted: [] });
    expect(e.selected).toBe('power-law');
    const power = e.predictions.find((p) => p.form === 'power-law')!;
    expect(Math.abs(power.predicted - TRUE_AT_10000)).toBeLessThan(0.02);
    expect(power.uncertainty.kind).toBe('bootstrap');
    if (power.uncertainty.kind !== 'bootstrap') return;
    expect(power.uncertainty.interval.lo).toBeLessThan(TRUE_AT_10000);
    expect(power.uncertainty.interval.hi).toBeGreaterThan(TRUE_AT_10000);
    expect(power.error).toBeCloseTo(e.measured.successRate - power.predicted, 12);
    expect(describeExtrapolation(e)).toMatch(
      /^fitted on N ≤ 1,000, predicting N = 10,000: measured \d+\.\d %; log-linear .*power law .*picked by Q?AICc/,
    );
  });

  it('follows the seed rule: ranges over single seeds with 3 seeds, nothing with 1', () => {
    const three = extrapolationTest(powerLawCurve(3), OPTIONS)!;
    for (const p of three.predictions) expect(p.uncertainty).toMatchObject({ kind: 'seed-range', seeds: 3 });
    const one = extrapolationTest(powerLawCurve(1), OPTIONS)!;
    for (const p of one.predictions) expect(p.uncertainty).toMatchObject({ kind: 'none', seeds: 1 });
  });

  it('lists the forms the fitting points cannot carry', () => {
    const points: BinomialPoint[] = [10, 100, 1000].map((n, i) => ({ n, seed: 0, successes: 20 + 30 * i, trials: 100 }));
    const e = extrapolationTest(points, OPTIONS)!;
    expect(e.predictions.map((p) => p.form)).toEqual(['log-linear', 'power-law']);
    expect(e.unfitted).toEqual([{ form: 'logistic', reason: '3 parameters need 3 distinct N, the points have 2' }]);
    expect(e.selected).toBeNull();
  });
});
