import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatNumber, formatTable } from '@gripgen/runner';
import { createSim, formatAdapter, getTask, type GpuAdapterDescription } from '@gripgen/sim-core';
import { formatMedian, formatSpread, roundsNote, roundsRecord } from '../rounds/format.js';
import { finishMachine, formatBenchMachine, startMachine } from '../rounds/machine.js';
import { roundPolicy } from '../rounds/options.js';
import { median, repeatRounds, type Rounds } from '../rounds/repeat.js';

const USAGE = `usage: npm run bench:scene-solver [-- --worlds N] [--rounds R] [--tasks pick-place,stack,…] [--seconds S] [--window W]
Steps each task's worlds with its scripted expert on the webgpu backend and times the Sim's
step calls of steps [10, 10 + W) of the episode (approach, grasp, lift), each round a fresh Sim
whose episode repeats until the round has S ÷ R seconds (the expert runs on the host between the
calls), until the row has S seconds in at least R rounds: pick-place on its own kernel and on
the scene solver side by side — the solver also with movingPairPgsIterations 1, the one sweep
per solve its own kernel makes in every step (equal work) — every task on the scene solver, the
rows in alternation. Prints world-steps/s (median and min–max of the rounds) and the process's CPU time per step (all threads:
SwiftShader runs in the process; less moved by other jobs than wall time), each as a ratio of medians to pick-place's own kernel (speed:
own kernel's time over the row's), and the contacts per
world-step (mean, max, overflowing world-steps); writes bench/results/scene-solver.json.
Defaults: 256 worlds, at least 3 s in 3 rounds per row, a 40-step window, every registered task.`;

/** A GPU program measured: pick-place's own kernel, or the scene solver with its sweeps. */
interface Variant {
  program: 'task' | 'scene';
  /** Config `movingPairPgsIterations`; undefined: the default. */
  movingPairPgsIterations?: number;
}

function variantName(v: Variant): string {
  return v.movingPairPgsIterations === undefined ? v.program : `${v.program}, ${v.movingPairPgsIterations} sweep${v.movingPairPgsIterations === 1 ? '' : 's'}`;
}

/** One row: a task on a program. */
interface Case {
  task: string;
  variant: Variant;
}

/** One round of a row. */
interface Round {
  round: number;
  steps: number;
  seconds: number;
  /** World-steps. */
  work: number;
  /** CPU time of this process (every thread: SwiftShader runs in it) per step call, ms: unlike wall time, barely moved by other jobs. */
  cpuMsPerStep: number;
  contactsMean: number | null;
  contactsMax: number | null;
  overflowWorldSteps: number;
  successes: number;
  adapter: GpuAdapterDescription | null;
}

/** Steps of each episode before the timed window (compilation, first contacts). */
const WARM_UP_STEPS = 10;

/**
 * One round: times `sim.step` under the task's expert over steps [10, 10 + window) of the episode
 * (approach, grasp, lift), repeating the episode from a reset until the timed steps add up to
 * `minSeconds`: every variant is timed over the same phases of the task.
 */
async function measure({ task, variant }: Case, worlds: number, minSeconds: number, window: number, round: number): Promise<Round> {
  const { program, movingPairPgsIterations } = variant;
  const sim = await createSim({ task, backend: 'webgpu', numWorlds: worlds, seed: round, randomization: 'wide', gpuProgram: program, movingPairPgsIterations });
  try {
    const expert = getTask(task).expert!(worlds, round);
    const actions = new Float32Array(worlds * sim.spec.actionSize);
    let r = await sim.reset();
    let steps = 0;
    let seconds = 0;
    let cpuMs = 0;
    let contacts = 0;
    let samples = 0;
    let max = 0;
    let overflow = 0;
    const succeeded = new Uint8Array(worlds);
    for (;;) {
      if (r.stepCount[0] >= WARM_UP_STEPS + window) {
        if (seconds >= minSeconds) break;
        r = await sim.reset();
      }
      const timed = r.stepCount[0] >= WARM_UP_STEPS;
      expert.act(r.obs, sim.spec.obsSize, sim.paramTable, r.episode, r.stepCount, actions);
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      r = await sim.step(actions);
      const dt = (performance.now() - t0) / 1000;
      const dc = process.cpuUsage(c0);
      if (timed) {
        seconds += dt;
        cpuMs += (dc.user + dc.system) / 1000;
        steps++;
      }
      const counts = timed ? sim.contactCounts() : null;
      if (counts) {
        for (const c of counts) {
          contacts += c;
          max = Math.max(max, c);
        }
        samples += counts.length;
      }
      for (let w = 0; w < worlds; w++) {
        overflow += r.overflow[w];
        succeeded[w] |= r.success[w];
      }
    }
    return {
      round, steps, seconds,
      work: worlds * steps,
      cpuMsPerStep: cpuMs / steps,
      contactsMean: samples > 0 ? contacts / samples : null,
      contactsMax: samples > 0 ? max : null,
      overflowWorldSteps: overflow,
      successes: succeeded.reduce((a, b) => a + b, 0),
      adapter: sim.spec.adapter,
    };
  } finally {
    await sim.dispose();
  }
}

/** The figures of a row over its rounds. */
function summarize(rounds: Rounds<Round>) {
  const all = rounds.rounds;
  const samples = all.reduce((a, r) => a + (r.contactsMean === null ? 0 : 1), 0);
  return {
    steps: all.reduce((a, r) => a + r.steps, 0),
    cpuMsPerStep: median(all.map((r) => r.cpuMsPerStep)),
    contactsMean: samples > 0 ? all.reduce((a, r) => a + (r.contactsMean ?? 0), 0) / samples : null,
    contactsMax: samples > 0 ? Math.max(...all.map((r) => r.contactsMax ?? 0)) : null,
    overflowWorldSteps: all.reduce((a, r) => a + r.overflowWorldSteps, 0),
  };
}

/** Runs the benchmark. */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { worlds: { type: 'string', default: '256' }, rounds: { type: 'string' }, tasks: { type: 'string' }, seconds: { type: 'string' }, window: { type: 'string', default: '40' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const worlds = Number(values.worlds);
  const policy = roundPolicy(values.seconds, values.rounds, { minSeconds: 3, minRounds: 3 }, ['--seconds', '--rounds']);
  const window = Number(values.window);
  if (!(Number.isInteger(window) && window >= 1)) throw new Error(`--window must be a whole number of steps ≥ 1, got ${values.window}`);
  const tasks = values.tasks?.split(',') ?? ['pick-place', 'stack', 'stack-three', 'pick-place-clutter'];
  const machine = startMachine();
  process.stderr.write(`scene solver bench on ${formatBenchMachine(machine)}: ${worlds} worlds, ≥ ${policy.minSeconds} s in ≥ ${policy.minRounds} rounds per row\n`);
  const cases: Case[] = tasks.flatMap((task) =>
    (getTask(task).gpu ? [{ program: 'task' }, { program: 'scene' }, { program: 'scene', movingPairPgsIterations: 1 }] : [{ program: 'scene' }]).map((variant) => ({ task, variant: variant as Variant })),
  );
  const results = await repeatRounds(
    cases,
    async (c, round) => {
      const r = await measure(c, worlds, policy.minSeconds / policy.minRounds, window, round);
      process.stderr.write(`  round ${round} ${c.task} (${variantName(c.variant)}): ${formatNumber(r.work / r.seconds)} world-steps/s\n`);
      return r;
    },
    policy,
  );
  finishMachine(machine);
  const rows = cases.map((c, i) => ({ task: c.task, program: c.variant.program, movingPairPgsIterations: c.variant.movingPairPgsIterations ?? null, worlds, ...summarize(results[i]!), rounds: results[i]! }));
  const baseline = rows.find((r) => r.task === 'pick-place' && r.program === 'task' && r.movingPairPgsIterations === null);
  const adapter = results.flatMap((r) => r.rounds).find((r) => r.adapter)?.adapter ?? null;
  process.stdout.write(`\nadapter: ${adapter ? formatAdapter(adapter) : 'none'}; machine: ${formatBenchMachine(machine)}\n\n`);
  const ok = (r: (typeof rows)[number]) => r.rounds.rounds.length > 0;
  process.stdout.write(
    formatTable(
      rows.map((r) => [
        r.task, variantName({ program: r.program, movingPairPgsIterations: r.movingPairPgsIterations ?? undefined }), String(r.worlds),
        ok(r) ? formatMedian(r.rounds) : `error: ${r.rounds.error?.slice(0, 60)}`,
        formatSpread(r.rounds),
        baseline && ok(r) && ok(baseline) ? `${(r.rounds.median / baseline.rounds.median).toFixed(2)}×` : '',
        ok(r) ? r.cpuMsPerStep.toFixed(0) : '',
        baseline && ok(r) && ok(baseline) ? `${(baseline.cpuMsPerStep / r.cpuMsPerStep).toFixed(2)}×` : '',
        r.contactsMean === null ? '' : r.contactsMean.toFixed(1),
        r.contactsMax === null ? '' : String(r.contactsMax),
        String(r.overflowWorldSteps),
        ok(r) ? `${r.steps} steps, ${r.rounds.rounds.length} rounds, ${r.rounds.seconds.toFixed(1)} s${r.rounds.error ? `; then error: ${r.rounds.error.slice(0, 60)}` : ''}` : '',
      ]),
      { header: ['task', 'program', 'worlds', 'world-steps/s', 'min–max', 'vs own kernel', 'CPU ms/step', 'vs own (CPU)', 'contacts mean', 'max', 'overflows', 'measured'], align: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'] },
    ) + '\n',
  );
  process.stdout.write(`${roundsNote(policy)}; CPU ms/step: median of the rounds; vs own kernel: ratios of the medians\n`);
  const dir = new URL('../../results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  const file = new URL('scene-solver.json', dir);
  await writeFile(file, `${JSON.stringify({ benchmark: 'scene-solver', date: new Date().toISOString(), machine, adapter, rounds: roundsRecord(policy), window, rows }, null, 2)}\n`);
  process.stdout.write(`wrote ${file.pathname}\n`);
}
