import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { describeMachine, formatMachine, formatNumber, formatTable } from '@gripgen/runner';
import { createSim, formatAdapter, getTask, type GpuAdapterDescription } from '@gripgen/sim-core';

const USAGE = `usage: npm run bench:scene-solver [-- --worlds N] [--rounds R] [--tasks pick-place,stack,…] [--seconds S] [--window W]
Steps each task's worlds with its scripted expert on the webgpu backend and times the Sim's
step calls of steps [10, 10 + W) of the episode (approach, grasp, lift), repeating the episode
until a row has S seconds (the expert runs on the host between the calls): pick-place on its own kernel and on
the scene solver side by side — the solver also with movingPairPgsIterations 1, the one sweep
per solve its own kernel makes in every step (equal work) — every task on the scene solver, R
rounds in alternation. Prints world-steps/s and the process's CPU time per step (all threads:
SwiftShader runs in the process; less moved by other jobs than wall time), each as a ratio to pick-place's own kernel of the same round (speed:
own kernel's time over the row's), and the contacts per
world-step (mean, max, overflowing world-steps); writes bench/results/scene-solver.json.
Defaults: 256 worlds, 2 rounds, at least 3 s per row, a 40-step window, every registered task.`;

/** A GPU program measured: pick-place's own kernel, or the scene solver with its sweeps. */
interface Variant {
  program: 'task' | 'scene';
  /** Config `movingPairPgsIterations`; undefined: the default. */
  movingPairPgsIterations?: number;
}

function variantName(v: Variant): string {
  return v.movingPairPgsIterations === undefined ? v.program : `${v.program}, ${v.movingPairPgsIterations} sweep${v.movingPairPgsIterations === 1 ? '' : 's'}`;
}

interface Row {
  round: number;
  task: string;
  program: 'task' | 'scene';
  movingPairPgsIterations: number | null;
  worlds: number;
  steps: number;
  seconds: number;
  worldStepsPerSecond: number;
  /** CPU time of this process (every thread: SwiftShader runs in it) per step call, ms: unlike wall time, barely moved by other jobs. */
  cpuMsPerStep: number;
  contactsMean: number | null;
  contactsMax: number | null;
  overflowWorldSteps: number;
  successes: number;
  adapter: GpuAdapterDescription | null;
  error?: string;
}

/** Steps of each episode before the timed window (compilation, first contacts). */
const WARM_UP_STEPS = 10;

/**
 * Times `sim.step` under the task's expert over steps [10, 10 + window) of the episode (approach,
 * grasp, lift), repeating the episode from a reset until the timed steps add up to `minSeconds`:
 * every variant is timed over the same phases of the task.
 */
async function measure(task: string, variant: Variant, worlds: number, minSeconds: number, window: number, round: number): Promise<Row> {
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
      round, task, program, movingPairPgsIterations: movingPairPgsIterations ?? null, worlds, steps, seconds,
      worldStepsPerSecond: (worlds * steps) / seconds,
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

/** Runs the benchmark. */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { worlds: { type: 'string', default: '256' }, rounds: { type: 'string', default: '2' }, tasks: { type: 'string' }, seconds: { type: 'string', default: '3' }, window: { type: 'string', default: '40' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const worlds = Number(values.worlds);
  const rounds = Number(values.rounds);
  const minSeconds = Number(values.seconds);
  const window = Number(values.window);
  if (!(Number.isInteger(window) && window >= 1)) throw new Error(`--window must be a whole number of steps ≥ 1, got ${values.window}`);
  const tasks = values.tasks?.split(',') ?? ['pick-place', 'stack', 'stack-three', 'pick-place-clutter'];
  const machine = describeMachine();
  process.stderr.write(`scene solver bench on ${formatMachine(machine)}: ${worlds} worlds, ${rounds} rounds\n`);
  const rows: Row[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const task of tasks) {
      const variants: Variant[] = getTask(task).gpu
        ? [{ program: 'task' }, { program: 'scene' }, { program: 'scene', movingPairPgsIterations: 1 }]
        : [{ program: 'scene' }];
      for (const variant of variants) {
        const { program } = variant;
        try {
          const row = await measure(task, variant, worlds, minSeconds, window, round);
          rows.push(row);
          process.stderr.write(`  round ${round} ${task} (${variantName(variant)}): ${formatNumber(row.worldStepsPerSecond)} world-steps/s\n`);
        } catch (e) {
          const error = e instanceof Error ? e.message : String(e);
          rows.push({ round, task, program, movingPairPgsIterations: variant.movingPairPgsIterations ?? null, worlds, steps: 0, seconds: 0, worldStepsPerSecond: 0, cpuMsPerStep: 0, contactsMean: null, contactsMax: null, overflowWorldSteps: 0, successes: 0, adapter: null, error });
          process.stderr.write(`  round ${round} ${task} (${variantName(variant)}): ${error}\n`);
        }
      }
    }
  }
  const baseline = (round: number) => rows.find((r) => r.round === round && r.task === 'pick-place' && r.program === 'task');
  const adapter = rows.find((r) => r.adapter)?.adapter;
  process.stdout.write(`\nadapter: ${adapter ? formatAdapter(adapter) : 'none'}; machine: ${formatMachine(machine)}\n\n`);
  process.stdout.write(
    formatTable(
      rows.map((r) => {
        const base = baseline(r.round);
        return [
          String(r.round), r.task, variantName({ program: r.program, movingPairPgsIterations: r.movingPairPgsIterations ?? undefined }), formatNumber(r.worlds),
          r.error ? `error: ${r.error.slice(0, 60)}` : formatNumber(r.worldStepsPerSecond),
          base && !r.error ? `${(r.worldStepsPerSecond / base.worldStepsPerSecond).toFixed(2)}×` : '',
          r.error ? '' : r.cpuMsPerStep.toFixed(0),
          base && !r.error ? `${(base.cpuMsPerStep / r.cpuMsPerStep).toFixed(2)}×` : '',
          r.contactsMean === null ? '' : r.contactsMean.toFixed(1),
          r.contactsMax === null ? '' : String(r.contactsMax),
          String(r.overflowWorldSteps),
          r.error ? '' : `${r.steps} steps, ${r.seconds.toFixed(1)} s`,
        ];
      }),
      { header: ['round', 'task', 'program', 'worlds', 'world-steps/s', 'vs own kernel', 'CPU ms/step', 'vs own (CPU)', 'contacts mean', 'max', 'overflows', 'measured'], align: ['right', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'] },
    ) + '\n',
  );
  const dir = new URL('../../results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  const file = new URL('scene-solver.json', dir);
  await writeFile(file, `${JSON.stringify({ benchmark: 'scene-solver', date: new Date().toISOString(), machine, adapter, rows }, null, 2)}\n`);
  process.stdout.write(`wrote ${file.pathname}\n`);
}
