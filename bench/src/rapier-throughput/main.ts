import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatNumber, formatTable } from '@gripgen/runner';
import { formatMedian, formatSpread, roundsNote, roundsRecord } from '../rounds/format.js';
import { finishMachine, formatBenchMachine, startMachine } from '../rounds/machine.js';
import { ROUND_OPTIONS, roundPolicy, roundUsage } from '../rounds/options.js';
import type { RoundPolicy } from '../rounds/repeat.js';
import { measureThroughput, type ThroughputCase, type ThroughputRow } from './measure.js';

/**
 * Minimum measured control steps per world count (full run, and the `--quick` smoke run), beside
 * the policy's seconds: with episodes of EPISODE_STEPS every full-run row includes masked resets.
 */
const FULL_STEPS: ReadonlyMap<number, number> = new Map([
  [1, 25000],
  [64, 800],
  [1024, 100],
  [4096, 60],
]);
const QUICK_STEPS: ReadonlyMap<number, number> = new Map([
  [1, 300],
  [64, 40],
  [1024, 12],
]);
/** Every row measures at least this long, in rounds (`--quick`: shorter rows). */
const POLICY: RoundPolicy = { minSeconds: 3, minRounds: 3 };
const QUICK_POLICY: RoundPolicy = { minSeconds: 0.6, minRounds: 3 };
const THREADS = [1, 2] as const;
/**
 * Episode length of the benchmark (the task's own is 200 steps): short enough that every
 * full-run row includes a round of masked resets of truncated worlds.
 */
const EPISODE_STEPS = 50;
const QUICK_EPISODE_STEPS = 10;
/**
 * Warm-up: fresh workers compile and tier up Rapier's WASM and the JS during their first
 * steps; on 2 threads of a 2-core machine that takes seconds (see ThroughputCase).
 */
const WARMUP = { minWarmupSteps: 3, minWarmupSeconds: 1, warmupWindowSeconds: 1, maxWarmupSeconds: 10 };
const QUICK_WARMUP = { minWarmupSteps: 2, minWarmupSeconds: 0.2, warmupWindowSeconds: 0.2, maxWarmupSeconds: 1 };

const USAGE = `Usage: npm run bench:rapier [-- --quick] [--min-seconds S] [--min-rounds N]

Steps pick-place worlds (1, 64, 1024, 4096) with random actions on 1 and 2 worker
threads and reports world-steps/s (median and min–max of the rounds).
  --quick              short rows (${QUICK_POLICY.minSeconds} s), 1/64/1024 worlds only
${roundUsage(POLICY)}`;

/** `2`, or `2 (1)` when the Sim used fewer threads than requested. */
function threadsLabel(r: ThroughputRow): string {
  return r.threads === r.threadsUsed ? String(r.threads) : `${r.threads} (${r.threadsUsed})`;
}

/** Runs the benchmark, prints the table and writes bench/results/rapier-throughput[-quick].json. */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { quick: { type: 'boolean', default: false }, ...ROUND_OPTIONS, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const quick = values.quick;
  const policy = roundPolicy(values['min-seconds'], values['min-rounds'], quick ? QUICK_POLICY : POLICY);
  const machine = startMachine();
  console.error(`rapier throughput${quick ? ' (quick)' : ''} on ${formatBenchMachine(machine)}`);

  const rows: ThroughputRow[] = [];
  const benchStart = performance.now();
  for (const [numWorlds, minSteps] of quick ? QUICK_STEPS : FULL_STEPS) {
    for (const threads of THREADS) {
      const c: ThroughputCase = {
        numWorlds,
        threads,
        policy,
        minSteps,
        ...(quick ? QUICK_WARMUP : WARMUP),
        episodeSteps: quick ? QUICK_EPISODE_STEPS : EPISODE_STEPS,
        seed: 0,
      };
      const row = await measureThroughput(c);
      rows.push(row);
      console.error(
        `  ${String(numWorlds).padStart(5)} worlds x ${threadsLabel(row)} thread(s): ${formatNumber(row.worldStepsPerSecond)} world-steps/s ` +
          `(${formatSpread(row.rounds)}; ${row.steps} steps in ${row.rounds.rounds.length} rounds, ${row.wallSeconds.toFixed(1)} s measured after ${row.warmupSteps} warm-up steps in ${row.warmupSeconds.toFixed(1)} s, ${row.setupSeconds.toFixed(1)} s setup)`,
      );
    }
  }
  const totalSeconds = (performance.now() - benchStart) / 1000;
  finishMachine(machine);

  const speedup = (row: ThroughputRow) => {
    const base = rows.find((r) => r.numWorlds === row.numWorlds && r.threads === 1);
    return base ? row.worldStepsPerSecond / base.worldStepsPerSecond : NaN;
  };
  const physics = rows[0]!.physics;
  console.log(
    `\nRapier throughput, pick-place, random actions; physics ${physics.controlHz} Hz x ${physics.substeps} substeps = ` +
      `${physics.controlHz * physics.substeps} Hz, solver ${physics.solverIterations}, pgs ${physics.pgsIterations}; ` +
      `episodes of ${rows[0]!.episodeSteps} steps\n${formatBenchMachine(machine)}\n`,
  );
  console.log(
    formatTable(
      rows.map((r) => [
        r.numWorlds,
        threadsLabel(r),
        r.steps,
        r.rounds.rounds.length,
        formatMedian(r.rounds),
        formatSpread(r.rounds),
        formatNumber(r.simSecondsPerSecond, 1),
        formatNumber(r.physicsStepsPerSecond),
        r.msPerStep.toFixed(2),
        r.threads === 1 ? '' : `${speedup(r).toFixed(2)}x`,
        r.cpuPerWall.toFixed(2),
        r.resets,
        r.wallSeconds.toFixed(1),
      ]),
      {
        header: ['worlds', 'threads', 'steps', 'rounds', 'world-steps/s', 'min–max', 'sim s/s', 'physics steps/s', 'ms/step', 't2/t1', 'cpu/wall', 'resets', 'wall s'],
        align: ['right'],
      },
    ),
  );
  if (rows.some((r) => r.threads !== r.threadsUsed)) console.log('(n): threads actually used; a Sim uses at most one thread per world');
  console.log(`${roundsNote(policy)}; sim s/s, physics steps/s, ms/step and t2/t1 from the medians`);
  console.log('cpu/wall: CPU seconds of this process per wall second; a 2-thread row from 64 worlds up well below 2 shared the cores');
  console.log(`\ntotal ${totalSeconds.toFixed(0)} s`);

  const dir = new URL('../../results/', import.meta.url);
  const file = new URL(quick ? 'rapier-throughput-quick.json' : 'rapier-throughput.json', dir);
  await mkdir(dir, { recursive: true });
  const report = {
    benchmark: 'rapier-throughput',
    date: new Date().toISOString(),
    quick,
    machine,
    physics: { ...physics, rateHz: physics.controlHz * physics.substeps },
    task: 'pick-place',
    randomization: 'wide',
    actions: 'uniform random: position and rotation deltas in ±actionLimits, gripper in [-1, 1] (mulberry32, seed 0)',
    rounds: roundsRecord(policy),
    totalSeconds,
    rows: rows.map((r) => ({ ...r, speedupVsOneThread: speedup(r) })),
  };
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${file.pathname}`);
}
