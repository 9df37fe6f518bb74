/**
 * `npm run bench:gpu`: for each world count, kernel-only and `sim.step()` world-steps/s,
 * generation successful trajectories/h and a tiny curve's wall time on the webgpu backend, with
 * the host share of each, within a time budget. Prints a table and writes
 * bench/results/gpu-bench[-quick].json (rows, adapter, machine, rounds policy).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTable } from '@gripgen/runner';
import { formatAdapter } from '@gripgen/sim-core';
import { recordExpertDemos } from '@gripgen/trajgen';
import { roundsNote, roundsRecord } from '../rounds/format.js';
import { finishMachine, formatBenchMachine, startMachine } from '../rounds/machine.js';
import { parseGpuBenchArgs, USAGE } from './options.js';
import { refusalLines, TABLE_HEADER, tableRow, UNITS, type GpuBenchRow } from './report.js';
import { runRows, type BenchRun } from './run-rows.js';

export async function main(argv: string[]): Promise<void> {
  const options = parseGpuBenchArgs(argv);
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const machine = startMachine();
  console.error(`bench:gpu${options.quick ? ' (quick)' : ''}: worlds ${options.worlds.join(', ')}, budget ${options.budgetSeconds} s, on ${formatBenchMachine(machine)}`);
  const startMs = performance.now();
  const demos = await recordExpertDemos({ count: 10, randomization: 'narrow', seed: 0 });
  const dir = await mkdtemp(join(tmpdir(), 'gripgen-bench-gpu-'));
  const run: BenchRun = {
    policy: options.policy,
    budgetSeconds: options.budgetSeconds,
    startMs,
    demos,
    dir,
    adapter: null,
    onRow: (row) => console.error(`  ${tableRow(row).filter((c) => c !== '').join(' | ')}`),
  };
  let rows: GpuBenchRow[];
  try {
    rows = await runRows(run, options.worlds);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const totalSeconds = (performance.now() - startMs) / 1000;
  finishMachine(machine);

  console.log(`\nbench:gpu — pick-place (wide) on webgpu: ${run.adapter ? formatAdapter(run.adapter) : 'adapter unknown (no Sim was created)'}`);
  console.log(formatTable(rows.map(tableRow), { header: TABLE_HEADER, align: ['right', 'left', 'right'] }));
  for (const line of refusalLines(rows)) console.log(line);
  for (const [m, unit] of Object.entries(UNITS)) console.log(`${m}: ${unit}`);
  console.log('host share: CPU time of this process (all threads) ÷ the row\'s wall time');
  console.log(`${roundsNote(options.policy)}; the curve runs once`);
  const skipped = rows.filter((r) => r.status === 'skipped').map((r) => `${r.worlds} ${r.measurement}`);
  if (skipped.length > 0) console.log(`skipped by the ${options.budgetSeconds} s budget: ${skipped.join(', ')}`);
  console.log(`${formatBenchMachine(machine)}; total ${totalSeconds.toFixed(0)} s`);

  await mkdir('bench/results', { recursive: true });
  const file = `bench/results/gpu-bench${options.quick ? '-quick' : ''}.json`;
  const report = {
    benchmark: 'gpu-bench',
    date: new Date().toISOString(),
    quick: options.quick,
    adapter: run.adapter,
    adapterText: run.adapter ? formatAdapter(run.adapter) : null,
    machine,
    rounds: roundsRecord(options.policy),
    budgetSeconds: options.budgetSeconds,
    totalSeconds,
    task: 'pick-place',
    randomization: 'wide',
    units: UNITS,
    skipped,
    rows,
  };
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  console.error(`wrote ${file}`);
}
