/**
 * `npm run bench:trajgen`: successful trajectories per hour of `generateDataset` per backend and
 * world count; every row a fixed number of attempts per round, the rows in turn, until each has
 * measured enough (median and min–max of the rounds). Writes
 * bench/results/trajgen-throughput[-quick].json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatNumber, formatTable } from '@gripgen/runner';
import { generateDataset, recordExpertDemos } from '@gripgen/trajgen';
import { formatMedian, formatSpread, roundsNote, roundsRecord } from '../rounds/format.js';
import { finishMachine, formatBenchMachine, startMachine } from '../rounds/machine.js';
import { ROUND_OPTIONS, roundPolicy, roundUsage } from '../rounds/options.js';
import { repeatRounds, type RoundPolicy, type Rounds } from '../rounds/repeat.js';

const POLICY: RoundPolicy = { minSeconds: 3, minRounds: 3 };

const USAGE = `Usage: npm run bench:trajgen [-- --quick] [--min-seconds S] [--min-rounds N]

Generates pick-place trajectories (wide worlds, 10 narrow expert source demos, default
MimicGen knobs, dataset written to a temporary directory) on each backend at several
--worlds and reports successful trajectories per hour. --quick: fewer attempts and sizes.
${roundUsage(POLICY)}
  (a round: one generateDataset run of the row's attempts)`;

/** Rows: backend, worlds, attempts (about two rounds of attempts per world). */
const FULL: ReadonlyArray<[('rapier' | 'webgpu'), number, number]> = [
  ['rapier', 64, 256],
  ['rapier', 256, 768],
  ['rapier', 1024, 2048],
  ['webgpu', 64, 128],
  ['webgpu', 256, 512],
  ['webgpu', 1024, 2048],
];
const QUICK: ReadonlyArray<[('rapier' | 'webgpu'), number, number]> = [
  ['rapier', 64, 128],
  ['webgpu', 64, 64],
];

/** One round: a generateDataset run. `seconds`: its wall time; `work`: successful trajectories. */
interface Round {
  seconds: number;
  work: number;
  adapter: string | null;
  attempts: number;
  successRate: number;
  controlSteps: number;
}

interface Row {
  backend: string;
  worlds: number;
  attempts: number;
  /** Rates: successful trajectories per second (× 3600 in the table). */
  rounds: Rounds<Round>;
}

/** Runs the benchmark, prints the table, writes bench/results/trajgen-throughput[-quick].json. */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { quick: { type: 'boolean', default: false }, ...ROUND_OPTIONS, help: { type: 'boolean', short: 'h', default: false } } });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const plan = values.quick ? QUICK : FULL;
  const policy = roundPolicy(values['min-seconds'], values['min-rounds'], POLICY);
  const machine = startMachine();
  console.error(`trajgen throughput${values.quick ? ' (quick)' : ''} on ${formatBenchMachine(machine)}`);
  const demos = await recordExpertDemos({ count: 10, randomization: 'narrow', seed: 0 });
  const dir = await mkdtemp(join(tmpdir(), 'gripgen-bench-trajgen-'));
  let results: Rounds<Round>[];
  try {
    results = await repeatRounds(
      plan,
      async ([backend, worlds, attempts], round) => {
        const out = join(dir, `${backend}-${worlds}-${round}`);
        const stats = await generateDataset({ demos, out, config: { numTrials: attempts, keepFailed: false }, worlds, backend, randomization: 'wide', seed: 1 });
        await rm(out, { recursive: true, force: true });
        console.error(`${backend} ${worlds}: ${formatNumber(stats.trajectoriesPerHour)} successful trajectories/h (${(stats.successRate * 100).toFixed(1)} %)`);
        return { seconds: stats.wallSeconds, work: stats.successes, adapter: stats.adapter, attempts: stats.attempts, successRate: stats.successRate, controlSteps: stats.controlSteps };
      },
      policy,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  finishMachine(machine);
  const rows: Row[] = plan.map(([backend, worlds, attempts], i) => ({ backend, worlds, attempts, rounds: results[i]! }));
  for (const r of rows) if (r.rounds.error !== undefined) console.error(`${r.backend} ${r.worlds} worlds: ${r.rounds.error}`);
  const measured = rows.filter((r) => r.rounds.rounds.length > 0);
  const best = Math.max(...measured.filter((r) => r.backend === 'rapier').map((r) => r.rounds.median));
  const perHour = (x: number) => x * 3600;
  console.log(
    formatTable([
      ['backend', 'worlds', 'attempts', 'rounds', 'success', 'wall s', 'attempts/s', 'successful traj/h', 'min–max', 'vs best rapier'],
      ...measured.map((r) => {
        const last = r.rounds.rounds.at(-1)!;
        const hourly = { median: perHour(r.rounds.median), min: perHour(r.rounds.min), max: perHour(r.rounds.max) };
        return [
          r.backend,
          r.worlds,
          r.attempts,
          r.rounds.rounds.length,
          `${(last.successRate * 100).toFixed(1)} %`,
          (r.rounds.seconds / r.rounds.rounds.length).toFixed(1),
          ((r.attempts * r.rounds.rounds.length) / r.rounds.seconds).toFixed(1),
          formatMedian(hourly),
          formatSpread(hourly),
          `${(r.rounds.median / best).toFixed(2)}x`,
        ];
      }),
    ]),
  );
  console.log(`${roundsNote(policy)} (a round: one run of the row's attempts); success: the last round's; wall s: mean per round; attempts/s: all rounds`);
  const adapters = [...new Set(measured.flatMap((r) => r.rounds.rounds.map((x) => x.adapter)).filter((a) => a !== null))];
  console.log(`webgpu adapter: ${adapters.join('; ') || 'none'}`);
  console.log(`machine: ${formatBenchMachine(machine)}`);
  await mkdir('bench/results', { recursive: true });
  const file = `bench/results/trajgen-throughput${values.quick ? '-quick' : ''}.json`;
  await writeFile(file, `${JSON.stringify({ benchmark: 'trajgen-throughput', machine, adapters, rounds: roundsRecord(policy), sourceDemos: { count: 10, randomization: 'narrow' }, randomization: 'wide', rows }, null, 2)}\n`);
  console.error(`wrote ${file}`);
}
