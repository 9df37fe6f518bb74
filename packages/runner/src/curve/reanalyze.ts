/**
 * Re-analysis of a stored curve: the statistics of a `curve.json` recomputed from its points
 * with this version's analysis, so a curve measured by an older version (schema with
 * `slopeInterval`) gets the competing fits, the seed-aware uncertainties and the extrapolation
 * test without training anything again.
 */
import { analyzeCurveSeries, curvePoint, type AnalyzeOptions } from './analysis.js';
import { CURVE_SCHEMA_VERSION, type CurvePoint, type CurveReport, type CurveVariable } from './curve-types.js';
import { TRAJECTORIES } from './curve-variable.js';

/** Fields of a stored point that the analysis reads; the rest is carried over when present. */
const POINT_NUMBERS = ['n', 'seed', 'successes', 'trials'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function storedPoint(value: unknown, where: string): CurvePoint {
  if (!isRecord(value)) throw new Error(`${where}: not an object`);
  for (const field of POINT_NUMBERS) {
    if (!Number.isInteger(value[field]) || (value[field] as number) < 0) throw new Error(`${where}.${field}: expected a non-negative integer, got ${JSON.stringify(value[field])}`);
  }
  const { n, seed, successes, trials } = value as Record<(typeof POINT_NUMBERS)[number], number>;
  if (n < 1) throw new Error(`${where}.n: expected at least 1, got ${n}`);
  if (successes > trials) throw new Error(`${where}: ${successes} successes out of ${trials} trials`);
  const optional = (field: string) => (typeof value[field] === 'number' ? (value[field] as number) : Number.NaN);
  return curvePoint({ n, seed, successes, trials, trainSeconds: optional('trainSeconds'), evalSeconds: optional('evalSeconds'), finalLoss: optional('finalLoss') });
}

/** The stored `variable`: trajectories when absent (every version before 2 swept N only). */
function storedVariable(value: unknown): CurveVariable {
  if (value === undefined) return TRAJECTORIES;
  if (isRecord(value) && value.kind === 'trajectories') return TRAJECTORIES;
  if (isRecord(value) && value.kind === 'scenes' && Number.isInteger(value.trajectories) && (value.trajectories as number) >= 1) {
    return { kind: 'scenes', trajectories: value.trajectories as number };
  }
  throw new Error(`variable: expected {"kind":"trajectories"} or {"kind":"scenes","trajectories":<positive integer>}, got ${JSON.stringify(value)}`);
}

/**
 * The report `stored` (a parsed `curve.json`, any schema version that has `series[].points`)
 * in the current layout ({@link CURVE_SCHEMA_VERSION}; `variable` kept, trajectories when
 * absent) with every series' statistics recomputed by {@link analyzeCurveSeries} from its points alone:
 * the stored statistics (`fit`, `slopeInterval`, `forms`, …) are dropped, the points'
 * rates and Wilson intervals recomputed from their counts, and `reanalyzedAt` set. Title,
 * creation time, configuration, timings, adapter and machine are kept as stored. The bootstrap
 * seed defaults to 0, as in a sweep, so the result equals what the sweep itself now writes.
 * Throws naming the first malformed field.
 */
export function reanalyzeCurveReport(stored: unknown, options: AnalyzeOptions = {}, now: Date = new Date()): CurveReport {
  if (!isRecord(stored)) throw new Error('curve report: not an object');
  if (!Array.isArray(stored.series) || stored.series.length === 0) throw new Error('curve report: series: expected a non-empty array');
  const variable = storedVariable(stored.variable);
  const series = stored.series.map((value, i) => {
    const where = `series[${i}]`;
    if (!isRecord(value) || typeof value.name !== 'string') throw new Error(`${where}.name: expected a string`);
    if (!Array.isArray(value.points)) throw new Error(`${where}.points: expected an array`);
    const points = value.points.map((p, j) => storedPoint(p, `${where}.points[${j}]`)).sort((a, b) => a.n - b.n || a.seed - b.seed);
    return analyzeCurveSeries({ name: value.name, points }, { bootstrapSeed: 0, variable, ...options });
  });
  return {
    schemaVersion: CURVE_SCHEMA_VERSION,
    variable,
    title: typeof stored.title === 'string' ? stored.title : 'scaling curve',
    createdAt: typeof stored.createdAt === 'string' ? stored.createdAt : '',
    reanalyzedAt: now.toISOString(),
    config: stored.config ?? null,
    series,
    timings: isRecord(stored.timings) ? (stored.timings as Record<string, number>) : {},
    adapter: (stored.adapter ?? null) as CurveReport['adapter'],
    machine: stored.machine as CurveReport['machine'],
  };
}
