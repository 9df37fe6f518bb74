/**
 * `npm run bench:generation`: MimicGen-style generation rate per task and preset, against
 * MimicGen's published rates. Per task: 10 source demos from the scripted expert on the task's
 * demo preset (seed 0), then `--attempts` generation attempts (default MimicGen knobs, seed 1)
 * on `narrow` (D0) and `wide` (D1), written to a temporary dataset. Reports the success rate
 * with its Wilson 95 % interval (binomial, over attempts), failures by subtask, and successful
 * trajectories per hour of wall time; prints a table and writes
 * bench/results/generation-rates[-quick].json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getTask, taskIds } from '@gripgen/sim-core';
import { formatNumber, formatTable, wilsonInterval } from '@gripgen/runner';
import { generateDataset, recordExpertDemos } from '@gripgen/trajgen';
import { finishMachine, formatBenchMachine, startMachine } from '../rounds/machine.js';
import { MIMICGEN_RATES } from './mimicgen-rates.js';

const USAGE = `Usage: npm run bench:generation [-- options]

Generation success per task and preset (narrow = MimicGen D0, wide = D1) from 10 source demos,
next to MimicGen's published rates.

Options:
  --tasks <list>      tasks, comma-separated (default: every task with an expert and subtasks)
  --attempts <n>      attempts per task and preset (default 1000; --quick 200)
  --worlds <n>        attempts in flight (default 256)
  --backend <name>    rapier or mujoco (default rapier)
  --knobs <list>      knob sets, comma-separated: mimicgen, task, extended (default mimicgen,task)
  --quick             200 attempts
  -h, --help          show this help`;

/** The generation configs compared, by name. */
const KNOB_SETS: Readonly<Record<string, Record<string, unknown>>> = {
  mimicgen: { subtaskTermOffsetRange: [10, 20] },
  task: {},
  extended: { bridgeSpeed: 0.5, sizeAwareFrames: true },
};

interface Row {
  task: string;
  preset: string;
  /** Name of the knob set (see KNOB_SETS) and the config it adds. */
  knobs: string;
  config: Record<string, unknown>;
  backend: string;
  sourceDemos: number;
  attempts: number;
  successes: number;
  successRate: number;
  /** Wilson 95 % interval of the success rate over the attempts. */
  interval: { lo: number; hi: number };
  failuresBySubtask: Record<string, number>;
  faults: number;
  tooLong: number;
  wallSeconds: number;
  trajectoriesPerHour: number;
  /** MimicGen's published rate (%) for the comparable task and preset, or null. */
  mimicgen: number | null;
  mimicgenTask: string | null;
}

/** Runs the benchmark. */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      tasks: { type: 'string' },
      attempts: { type: 'string' },
      worlds: { type: 'string', default: '256' },
      backend: { type: 'string', default: 'rapier' },
      knobs: { type: 'string', default: 'mimicgen,task' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const tasks = values.tasks?.split(',').map((t) => t.trim()) ?? taskIds().filter((id) => getTask(id).expert && getTask(id).datagen);
  const attempts = Number(values.attempts ?? (values.quick ? 200 : 1000));
  const worlds = Number(values.worlds);
  const backend = values.backend as 'rapier' | 'mujoco';
  const knobSets = values.knobs.split(',').map((k) => k.trim());
  for (const k of knobSets) if (!(k in KNOB_SETS)) throw new Error(`--knobs: unknown knob set "${k}"; knob sets: ${Object.keys(KNOB_SETS).join(', ')}`);
  const machine = startMachine();
  console.error(`generation rates on ${formatBenchMachine(machine)}: ${tasks.join(', ')}; ${attempts} attempts per row, ${worlds} worlds, ${backend}`);
  const dir = await mkdtemp(join(tmpdir(), 'gripgen-bench-generation-'));
  const rows: Row[] = [];
  try {
    for (const taskId of tasks) {
      const task = getTask(taskId);
      const demos = await recordExpertDemos({ task: taskId, count: 10, seed: 0, backend });
      for (const preset of ['narrow', 'd1', 'wide'].filter((p) => p in task.presets)) for (const knobs of knobSets) {
        const config = KNOB_SETS[knobs];
        const stats = await generateDataset({
          demos,
          out: join(dir, `${taskId}-${preset}-${knobs}`),
          config: { ...config, numTrials: attempts, keepFailed: false },
          worlds,
          backend,
          randomization: preset,
          seed: 1,
        });
        const published = MIMICGEN_RATES[taskId];
        const row: Row = {
          task: taskId,
          preset,
          knobs,
          config,
          backend,
          sourceDemos: demos.length,
          attempts: stats.attempts,
          successes: stats.successes,
          successRate: stats.successRate,
          interval: wilsonInterval(stats.successes, stats.attempts),
          failuresBySubtask: stats.failuresBySubtask,
          faults: stats.faults,
          tooLong: stats.tooLong,
          wallSeconds: stats.wallSeconds,
          trajectoriesPerHour: stats.trajectoriesPerHour,
          mimicgen: published?.[preset === 'narrow' ? 'narrow' : 'wide'] ?? null,
          mimicgenTask: published?.task ?? null,
        };
        rows.push(row);
        console.error(`${taskId} ${preset} ${knobs}: ${(row.successRate * 100).toFixed(1)} % of ${row.attempts}`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  finishMachine(machine);
  const pct = (v: number) => `${(100 * v).toFixed(1)}`;
  console.log(
    formatTable([
      ['task', 'preset', 'knobs', 'attempts', 'success %', 'Wilson 95 %', 'MimicGen %', 'failures by subtask', 'wall s', 'traj/h'],
      ...rows.map((r) => [
        r.task,
        r.preset,
        r.knobs,
        r.attempts,
        pct(r.successRate),
        `${pct(r.interval.lo)}–${pct(r.interval.hi)}`,
        r.mimicgen === null ? '—' : `${r.mimicgen.toFixed(1)} (${r.mimicgenTask})`,
        Object.entries(r.failuresBySubtask).map(([k, v]) => `${k} ${v}`).join(', ') || 'none',
        r.wallSeconds.toFixed(1),
        formatNumber(r.trajectoriesPerHour),
      ]),
    ]),
  );
  console.log(`traj/h: one generation run per row (bench:trajgen repeats them for throughput); ${formatBenchMachine(machine)}`);
  await mkdir('bench/results', { recursive: true });
  const file = `bench/results/generation-rates${values.quick ? '-quick' : ''}.json`;
  await writeFile(file, `${JSON.stringify({ benchmark: 'generation-rates', machine, command: `npm run bench:generation -- ${argv.join(' ')}`.trim(), mimicgen: MIMICGEN_RATES, rows }, null, 2)}\n`);
  console.error(`wrote ${file}`);
}
