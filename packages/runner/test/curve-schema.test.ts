/**
 * The documented schema of curve.json (`src/curve/curve-schema.ts`, written out as
 * `schema/curve-report.schema.json`): the file is up to date, every committed bench/curves
 * curve.json is valid, what the analysis writes is valid in every variant (1, 3 and 5 seeds, a
 * single N, a coverage law, a re-analysed old file), and the schema is strict.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uniform01 } from '@gripgen/sim-core';
import { describe, expect, it } from 'vitest';
import { analyzeCurveSeries, curvePoint } from '../src/curve/analysis.js';
import { checkCurveReport, curveReportJsonSchemaText, curveReportSchema } from '../src/curve/curve-schema.js';
import { CURVE_SCHEMA_VERSION, type CurvePoint, type CurveReport, type CurveVariable } from '../src/curve/curve-types.js';
import { reanalyzeCurveReport } from '../src/curve/reanalyze.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function points(ns: readonly number[], seeds: number, salt: number): CurvePoint[] {
  const out: CurvePoint[] = [];
  for (const n of ns) {
    for (let seed = 0; seed < seeds; seed++) {
      const rate = Math.min(0.97, 0.1 + 0.25 * Math.log10(n) + 0.05 * (uniform01(salt, n, seed, 0) - 0.5));
      let successes = 0;
      for (let t = 0; t < 60; t++) if (uniform01(salt, n, seed, 1 + t) < rate) successes++;
      out.push(curvePoint({ n, seed, successes, trials: 60, trainSeconds: 1.5, evalSeconds: 0.5, finalLoss: seed === 0 ? Number.NaN : 0.1 }));
    }
  }
  return out;
}

function report(variable: CurveVariable, series: CurveReport['series']): CurveReport {
  return {
    schemaVersion: CURVE_SCHEMA_VERSION,
    variable,
    title: 't',
    createdAt: '2026-12-07T00:00:00.000Z',
    config: { task: 'pick-place' },
    series,
    timings: { total: 1, data: 0.5, train: 0.25, evaluate: 0.25 },
    adapter: null,
    machine: { cpuModel: 'cpu', cores: 2, memoryGiB: 8, node: 'v20', platform: 'linux', arch: 'x64' },
  };
}

/** A report as it reaches disk: through JSON (NaN becomes null). */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('curve.json schema', () => {
  it('schema/curve-report.schema.json is what curve-schema.ts writes (npm run schema:curve)', async () => {
    const committed = await readFile(join(repoRoot, 'packages/runner/schema/curve-report.schema.json'), 'utf8');
    expect(committed, 'stale: run npm run schema:curve').toBe(curveReportJsonSchemaText());
    const schema = JSON.parse(committed);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(expect.arrayContaining(['schemaVersion', 'variable', 'series', 'machine']));
    // Every field is described.
    const undescribed: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      if (record.properties) {
        for (const [key, child] of Object.entries(record.properties as Record<string, Record<string, unknown>>)) {
          const described = typeof child.description === 'string' || (child.anyOf ?? child.oneOf) !== undefined;
          if (!described && !['lo', 'hi', 'successes', 'trials', 'seeds', 'n', 'vendor', 'architecture', 'device', 'description', 'form', 'predicted', 'measured'].includes(key)) {
            undescribed.push(`${path}.${key}`);
          }
          walk(child, `${path}.${key}`);
        }
      }
      for (const key of ['items', 'additionalProperties', 'anyOf', 'oneOf', 'prefixItems']) {
        const child = record[key];
        if (Array.isArray(child)) child.forEach((c, i) => walk(c, `${path}.${key}[${i}]`));
        else walk(child, `${path}.${key}`);
      }
    };
    walk(schema, '');
    expect(undescribed).toEqual([]);
  });

  it('every committed bench/curves/*/curve.json is valid', async () => {
    const root = join(repoRoot, 'bench', 'curves');
    const dirs = await readdir(root);
    expect(dirs.length).toBeGreaterThan(0);
    for (const dir of dirs) {
      const stored = JSON.parse(await readFile(join(root, dir, 'curve.json'), 'utf8'));
      expect(() => checkCurveReport(stored), dir).not.toThrow();
      expect(stored.schemaVersion, dir).toBe(CURVE_SCHEMA_VERSION);
    }
  });

  it('holds what the analysis writes: 1, 3 and 5 seeds, a single N, a coverage law, unrecorded times', () => {
    const ns = [10, 30, 100, 300, 1000, 3000];
    const trajectories = report({ kind: 'trajectories' }, [
      analyzeCurveSeries({ name: 'one', points: points(ns, 1, 1) }, { resamples: 100 }),
      analyzeCurveSeries({ name: 'three', points: points(ns, 3, 2) }, { resamples: 100 }),
      analyzeCurveSeries({ name: 'five', points: points(ns, 5, 3) }, { resamples: 100 }),
      analyzeCurveSeries({ name: 'single', points: points([100], 2, 4) }, { resamples: 100 }),
    ]);
    const kinds = trajectories.series.map((s) => s.slope?.kind ?? null);
    expect(kinds).toEqual(['none', 'seed-range', 'bootstrap', null]);
    expect(() => checkCurveReport(asJson(trajectories))).not.toThrow();
    const law: CurveVariable = { kind: 'scenes', trajectories: 1000 };
    const scenes = report(law, [analyzeCurveSeries({ name: 'wide', points: points([1, 4, 16, 64, 256], 2, 5) }, { resamples: 100, variable: law })]);
    expect(() => checkCurveReport(asJson({ ...scenes, reanalyzedAt: '2026-12-08T00:00:00.000Z' }))).not.toThrow();
  });

  it('holds a re-analysed file of the old layout', () => {
    const old = {
      title: 'old',
      createdAt: '2026-11-21T18:55:43.987Z',
      config: {},
      series: [{ name: 'mixed', points: points([10, 100, 1000], 2, 6).map(({ n, seed, successes, trials }) => ({ n, seed, successes, trials })), slopeInterval: { lo: 0, hi: 1 } }],
      timings: { total: 12 },
      adapter: null,
      machine: { cores: 2 },
    };
    const upgraded = reanalyzeCurveReport(old, { resamples: 100 });
    expect(upgraded.schemaVersion).toBe(CURVE_SCHEMA_VERSION);
    expect(upgraded.variable).toEqual({ kind: 'trajectories' });
    expect(() => checkCurveReport(asJson(upgraded))).not.toThrow();
  });

  it('is strict, and names the bad field', () => {
    const good = asJson(report({ kind: 'trajectories' }, [analyzeCurveSeries({ name: 'a', points: points([10, 100, 1000], 1, 7) }, { resamples: 50 })])) as Record<string, any>;
    expect(curveReportSchema.safeParse(good).success).toBe(true);
    const extra = structuredClone(good);
    extra.series[0].slopeInterval = { lo: 0, hi: 1 };
    expect(() => checkCurveReport(extra)).toThrow(/series\.0: Unrecognized key: "slopeInterval"/);
    const missing = structuredClone(good);
    delete missing.schemaVersion;
    expect(() => checkCurveReport(missing)).toThrow(/schemaVersion/);
    const badPoint = structuredClone(good);
    badPoint.series[0].points[1].successes = -1;
    expect(() => checkCurveReport(badPoint)).toThrow(/series\.0\.points\.1\.successes/);
    const badVariable = structuredClone(good);
    badVariable.variable = { kind: 'scenes' };
    expect(() => checkCurveReport(badVariable)).toThrow(/variable\.trajectories/);
  });
});
