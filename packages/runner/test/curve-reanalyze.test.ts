/**
 * Re-analysis of stored curves (`reanalyzeCurveReport`, `gripgen curve --reanalyze`): the
 * statistics come from the points alone, an old-schema curve.json gets the current schema, and
 * the curves committed under bench/curves are in it.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCurveSeries, curvePoint } from '../src/curve/analysis.js';
import { reanalyzeCurveReport } from '../src/curve/reanalyze.js';
import { gripgenProcess, repoRoot } from './cli-process.js';

/** A curve.json as an older version wrote it: `slopeInterval` / `slopeLevel`, no forms. */
function oldSchemaReport() {
  const counts: [number, number, number][] = [
    [10, 0, 120], [10, 1, 131], [100, 0, 305], [100, 1, 290], [1000, 0, 452], [1000, 1, 470],
  ];
  const points = counts.map(([n, seed, successes]) => ({
    ...curvePoint({ n, seed, successes, trials: 500, trainSeconds: 1, evalSeconds: 2, finalLoss: 0.1 }),
    wilson: { lo: 0, hi: 1 }, // stale: recomputed from the counts
  }));
  return {
    title: 'pick-place: success vs. trajectories (mixed worlds)',
    createdAt: '2026-11-21T18:55:43.987Z',
    config: { task: 'pick-place', seeds: 2 },
    series: [{ name: 'mixed', points: [...points].reverse(), fit: { a: 0, b: 0, r2: 0, n: 6 }, slopeInterval: { lo: 0.2, hi: 0.3 }, slopeLevel: 0.95, saturation: null }],
    timings: { total: 12 },
    adapter: null,
    machine: { cores: 2 },
  };
}

describe('reanalyzeCurveReport', () => {
  it('recomputes every statistic from the points alone and keeps the run description', () => {
    const stored = oldSchemaReport();
    const report = reanalyzeCurveReport(stored, {}, new Date('2026-12-07T00:00:00Z'));
    expect(report).toMatchObject({ schemaVersion: 2, variable: { kind: 'trajectories' }, title: stored.title, createdAt: stored.createdAt, reanalyzedAt: '2026-12-07T00:00:00.000Z', config: stored.config, timings: stored.timings, adapter: null, machine: stored.machine });
    const [series] = report.series;
    expect(series).not.toHaveProperty('slopeInterval');
    expect(series).not.toHaveProperty('slopeLevel');
    const points = stored.series[0].points
      .map((p) => curvePoint(p))
      .sort((a, b) => a.n - b.n || a.seed - b.seed);
    // Exactly what a sweep now writes for these points (bootstrap seed 0).
    expect(series).toEqual(analyzeCurveSeries({ name: 'mixed', points }, { bootstrapSeed: 0 }));
    expect(series.points[0].wilson.hi).toBeLessThan(1);
    expect(series.slope?.kind).toBe('seed-range');
  });

  it('names the first malformed field', () => {
    const stored = oldSchemaReport();
    expect(() => reanalyzeCurveReport({ ...stored, series: [] })).toThrow(/series: expected a non-empty array/);
    const bad = structuredClone(stored);
    (bad.series[0].points[2] as { successes: unknown }).successes = 'many';
    expect(() => reanalyzeCurveReport(bad)).toThrow(/series\[0\]\.points\[2\]\.successes: expected a non-negative integer, got "many"/);
    const tooMany = structuredClone(stored);
    tooMany.series[0].points[0].successes = 501;
    expect(() => reanalyzeCurveReport(tooMany)).toThrow(/series\[0\]\.points\[0\]: 501 successes out of 500 trials/);
    expect(() => reanalyzeCurveReport({ ...stored, variable: { kind: 'scenes' } })).toThrow(
      /variable: expected \{"kind":"trajectories"\} or \{"kind":"scenes","trajectories":<positive integer>\}, got \{"kind":"scenes"\}/,
    );
  });

  it('keeps a coverage law a coverage law: variable kept, formulas in D', () => {
    const stored = { ...oldSchemaReport(), variable: { kind: 'scenes', trajectories: 1000 } };
    const report = reanalyzeCurveReport(stored);
    expect(report.variable).toEqual({ kind: 'scenes', trajectories: 1000 });
    expect(report.series[0].forms!.fits[0].formula).toBe('s = a + b·log10 D');
  });
});

describe('gripgen curve --reanalyze', () => {
  const gripgen = (...args: string[]) => gripgenProcess(args, { timeoutMs: 60_000 });

  it('rewrites curve.json and the other artifacts from the stored points, training nothing', async () => {
    const out = await mkdtemp(join(tmpdir(), 'gripgen-reanalyze-'));
    try {
      await writeFile(join(out, 'curve.json'), JSON.stringify(oldSchemaReport()));
      const r = await gripgen('curve', '--reanalyze', '--out', out);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/b over 2 seeds .* \(< 5 seeds: no 95 % CI\)/);
      expect((await readdir(out)).sort()).toEqual(['curve.csv', 'curve.json', 'curve.png', 'curve.svg', 'report.html']);
      const report = JSON.parse(await readFile(join(out, 'curve.json'), 'utf8'));
      expect(report.series[0]).toHaveProperty('forms');
      expect(report.series[0]).not.toHaveProperty('slopeInterval');
      expect(await readFile(join(out, 'report.html'), 'utf8')).toContain('statistics recomputed from the points');

      const refused = await gripgen('curve', '--reanalyze', '--out', out, '--seeds', '5');
      expect(refused.status).toBe(2);
      expect(refused.stderr).toMatch(/--reanalyze runs nothing, so it takes only --out and --json; got --seeds/);
      const missing = await gripgen('curve', '--reanalyze', '--out', join(out, 'nothing-here'));
      expect(missing.status).toBe(2);
      expect(missing.stderr).toMatch(/--reanalyze: cannot read .*curve\.json/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

describe('bench/curves', () => {
  it('every committed curve.json is in the current schema (competing fits, seed-aware uncertainty, extrapolation)', async () => {
    const root = join(repoRoot, 'bench', 'curves');
    const dirs = await readdir(root);
    expect(dirs.length).toBeGreaterThan(0);
    for (const dir of dirs) {
      const report = JSON.parse(await readFile(join(root, dir, 'curve.json'), 'utf8'));
      expect(report.schemaVersion, dir).toBe(2);
      for (const series of report.series) {
        expect(series, `${dir} ${series.name}`).not.toHaveProperty('slopeInterval');
        expect(Object.keys(series), `${dir} ${series.name}`).toEqual(expect.arrayContaining(['slope', 'forms', 'formUncertainty', 'extrapolation']));
      }
    }
  });
});
