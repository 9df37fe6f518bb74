/** Flat files of a scaling curve: CSV with one row per (N, seed). */
import type { CurvePoint, CurveSeries } from './curve-types.js';

/** Column names of {@link writeCsv}, in order. */
export const CSV_COLUMNS = [
  'n',
  'seed',
  'successes',
  'trials',
  'success_rate',
  'wilson_lo',
  'wilson_hi',
  'train_seconds',
  'eval_seconds',
  'final_loss',
] as const;

/**
 * The points as CSV (RFC 4180, `\n` line ends, trailing newline): a header row of
 * {@link CSV_COLUMNS}, then one row per point in the given order. Numbers are written with
 * `String()`, which round-trips every double exactly.
 */
export function writeCsv(points: readonly CurvePoint[]): string {
  return [CSV_COLUMNS.join(','), ...points.map((p) => pointCells(p).join(','))].join('\n') + '\n';
}

/** As {@link writeCsv} for several series, with a leading `series` column holding each point's series name. */
export function writeSeriesCsv(series: readonly CurveSeries[]): string {
  const rows = series.flatMap((s) => s.points.map((p) => [csvField(s.name), ...pointCells(p)].join(',')));
  return [['series', ...CSV_COLUMNS].join(','), ...rows].join('\n') + '\n';
}

function pointCells(p: CurvePoint): string[] {
  return [p.n, p.seed, p.successes, p.trials, p.successRate, p.wilson.lo, p.wilson.hi, p.trainSeconds, p.evalSeconds, p.finalLoss].map(
    String,
  );
}

/** Quotes a field when it holds a comma, quote or line break, doubling inner quotes. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
