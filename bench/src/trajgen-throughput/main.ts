import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine, formatMachine, formatNumber, formatTable } from '@gripgen/runner';
import { generateDataset, recordExpertDemos, type GenerationStats } from '@gripgen/trajgen';

const USAGE = `Usage: npm run bench:trajgen [-- --quick]

Generates pick-place trajectories (wide worlds, 10 narrow expert source demos, default
MimicGen knobs, dataset written to a temporary directory) on each backend at several
--worlds and reports successful trajectories per hour. --quick: fewer attempts and sizes.`;

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

interface Row {
  backend: string;
  adapter: string | null;
  worlds: number;
  attempts: number;
  successes: number;
  successRate: number;
  wallSeconds: number;
  trajectoriesPerHour: number;
  attemptsPerSecond: number;
  controlSteps: number;
}

/** Runs the benchmark, prints the table, writes bench/results/trajgen-throughput[-quick].json. */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { quick: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const plan = values.quick ? QUICK : FULL;
  const machine = describeMachine();
  console.error(`trajgen throughput${values.quick ? ' (quick)' : ''} on ${formatMachine(machine)}`);
  const demos = await recordExpertDemos({ count: 10, randomization: 'narrow', seed: 0 });
  const dir = await mkdtemp(join(tmpdir(), 'gripgen-bench-trajgen-'));
  const rows: Row[] = [];
  try {
    for (const [backend, worlds, attempts] of plan) {
      let stats: GenerationStats;
      try {
        stats = await generateDataset({ demos, out: join(dir, `${backend}-${worlds}`), config: { numTrials: attempts, keepFailed: false }, worlds, backend, randomization: 'wide', seed: 1 });
      } catch (error) {
        console.error(`${backend} ${worlds} worlds: ${(error as Error).message}`);
        continue;
      }
      const row: Row = {
        backend,
        adapter: stats.adapter,
        worlds,
        attempts: stats.attempts,
        successes: stats.successes,
        successRate: stats.successRate,
        wallSeconds: stats.wallSeconds,
        trajectoriesPerHour: stats.trajectoriesPerHour,
        attemptsPerSecond: stats.attempts / stats.wallSeconds,
        controlSteps: stats.controlSteps,
      };
      rows.push(row);
      console.error(`${backend} ${worlds}: ${formatNumber(row.trajectoriesPerHour)} successful trajectories/h (${(row.successRate * 100).toFixed(1)} %)`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const best = Math.max(...rows.filter((r) => r.backend === 'rapier').map((r) => r.trajectoriesPerHour));
  console.log(
    formatTable([
      ['backend', 'worlds', 'attempts', 'success', 'wall s', 'attempts/s', 'successful traj/h', 'vs best rapier'],
      ...rows.map((r) => [r.backend, r.worlds, r.attempts, `${(r.successRate * 100).toFixed(1)} %`, r.wallSeconds.toFixed(1), r.attemptsPerSecond.toFixed(1), formatNumber(r.trajectoriesPerHour), `${(r.trajectoriesPerHour / best).toFixed(2)}x`]),
    ]),
  );
  const adapters = [...new Set(rows.map((r) => r.adapter).filter((a) => a !== null))];
  console.log(`webgpu adapter: ${adapters.join('; ') || 'none'}`);
  await mkdir('bench/results', { recursive: true });
  const file = `bench/results/trajgen-throughput${values.quick ? '-quick' : ''}.json`;
  await writeFile(file, `${JSON.stringify({ benchmark: 'trajgen-throughput', machine, sourceDemos: { count: 10, randomization: 'narrow' }, randomization: 'wide', rows }, null, 2)}\n`);
  console.error(`wrote ${file}`);
}
