/**
 * The rows of `bench:gpu` and how they print: one row per (world count, measurement), each
 * measured, refused (GpuBufferLimitError), skipped (budget), n/a or failed, with the note that
 * says why; the table's cells and the JSON's `rows`.
 */
import { formatNumber } from '@gripgen/runner';
import { formatSpread } from '../rounds/format.js';
import type { Rounds } from '../rounds/repeat.js';
import type { HostTime } from './host-share.js';

/** What a row measures. */
export type Measurement = 'kernel' | 'step' | 'generation' | 'curve';
export const MEASUREMENTS: readonly Measurement[] = ['kernel', 'step', 'generation', 'curve'];

/** The unit of each measurement's figure. */
export const UNITS: Record<Measurement, string> = {
  kernel: 'world-steps/s (GPU time, timestamp queries)',
  step: 'world-steps/s (sim.step, wall)',
  generation: 'successful trajectories/h (wall)',
  curve: 's (wall of one tiny runSweep)',
};

export type RowStatus = 'measured' | 'refused' | 'skipped' | 'n/a' | 'failed';

export interface GpuBenchRow {
  worlds: number;
  measurement: Measurement;
  status: RowStatus;
  /** The figure in `UNITS[measurement]`; null unless measured. */
  figure: number | null;
  /** The rounds of a rate row (kernel, step, generation: rates per second); null for the curve. */
  rounds: Rounds | null;
  /** Wall and host CPU time of the row (setup included); null when it did not run. */
  time: HostTime | null;
  /** Why it was not measured (the refusal, the skip, n/a, the error); null when measured. */
  note: string | null;
  /** What else the measurement reported (curve timings, generation success, …). */
  detail?: Record<string, unknown>;
}

/** A row that did not run (or failed before measuring). */
export function unmeasured(worlds: number, measurement: Measurement, status: Exclude<RowStatus, 'measured'>, note: string, time: HostTime | null = null): GpuBenchRow {
  return { worlds, measurement, status, figure: null, rounds: null, time, note };
}

/** A measured row; a rate row's figure is the rounds' median (× 3600 for generation), the curve's its wall seconds. */
export function measured(worlds: number, measurement: Measurement, rounds: Rounds | null, time: HostTime, detail?: Record<string, unknown>): GpuBenchRow {
  const scale = measurement === 'generation' ? 3600 : 1;
  const figure = rounds === null ? time.wallSeconds : rounds.median * scale;
  return { worlds, measurement, status: 'measured', figure, rounds, time, note: null, ...(detail && { detail }) };
}

export const TABLE_HEADER = ['worlds', 'measurement', 'figure', 'min–max', 'rounds', 'row wall s', 'host share', 'note'];

/** One line per world count whose rows were refused: the GpuBufferLimitError message (the table only names it). */
export function refusalLines(rows: readonly GpuBenchRow[]): string[] {
  const seen = new Map<number, string>();
  for (const r of rows) if (r.status === 'refused' && !seen.has(r.worlds)) seen.set(r.worlds, r.note ?? '');
  return [...seen].map(([worlds, note]) => `refused at ${worlds} worlds: ${note}`);
}

/** The table's cells of `row`. */
export function tableRow(row: GpuBenchRow): (string | number)[] {
  const scale = row.measurement === 'generation' ? 3600 : 1;
  const spread = row.rounds === null ? '' : formatSpread({ median: row.rounds.median * scale, min: row.rounds.min * scale, max: row.rounds.max * scale });
  const figure = row.figure === null ? '-' : row.measurement === 'curve' ? `${row.figure.toFixed(1)} s` : formatNumber(row.figure);
  return [
    row.worlds,
    row.measurement,
    figure,
    spread,
    row.rounds?.rounds.length ?? '',
    row.time === null ? '' : row.time.wallSeconds.toFixed(1),
    row.time === null ? '' : `${(100 * row.time.hostShare).toFixed(0)} %`,
    row.status === 'refused' ? 'refused: GpuBufferLimitError (message below the table)' : (row.note ?? ''),
  ];
}
