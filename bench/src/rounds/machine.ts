/**
 * The machine record every benchmark writes into its JSON and prints under its table: CPU model,
 * cores, memory, Node version, platform (`describeMachine`) and the 1-minute load average when the
 * benchmark started and ended (wall-clock rates mean little when other work shared the cores).
 */
import { loadavg } from 'node:os';
import { describeMachine, formatMachine, type MachineDescription } from '@gripgen/runner';

export interface BenchMachine extends MachineDescription {
  /** 1-minute load average at the start and at the end of the run (`end` NaN, null in JSON, until `finishMachine`). */
  loadAverage1m: { start: number; end: number };
}

/** Describes this machine and reads the load average now (the run's start). */
export function startMachine(): BenchMachine {
  return { ...describeMachine(), loadAverage1m: { start: loadavg()[0]!, end: NaN } };
}

/** Reads the load average at the end of the run into `m`; returns `m`. */
export function finishMachine(m: BenchMachine): BenchMachine {
  m.loadAverage1m.end = loadavg()[0]!;
  return m;
}

/** One line: the machine and its load average at start and end. */
export function formatBenchMachine(m: BenchMachine): string {
  const { start, end } = m.loadAverage1m;
  return `${formatMachine(m)}; 1-minute load average ${start.toFixed(2)} at start${Number.isNaN(end) ? '' : `, ${end.toFixed(2)} at end`}`;
}
