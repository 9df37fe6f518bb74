/**
 * Closed-loop policy evaluation throughput: the policy fused into the webgpu step loop
 * (`policyOnGpu`, no per-step readback) against the CPU loop (`policy.act` + `ChunkExecutor` +
 * `sim.step`) on the same webgpu backend and on Rapier. Prints world-steps/s; writes
 * bench/results/eval-bench[-quick].json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  BcPolicy,
  describeMachine,
  evaluatePolicy,
  formatMachine,
  formatNumber,
  formatTable,
  GpuPolicyEvaluator,
  initMlpParams,
  mlpSpec,
  type PolicyEvaluation,
} from '@gripgen/runner';
import { formatAdapter, PICK_PLACE_OBS_NAMES } from '@gripgen/sim-core';

const USAGE = `Usage: npm run bench:eval [-- --quick] [-- --worlds N] [-- --steps N]

Evaluates a random BC policy (obs 21, hidden [128,128], chunk 4, temporal ensembling) for one
episode in N pick-place worlds three ways and prints world-steps/s of each:
  gpu-fused  webgpu backend, policy on the GPU inside the step loop (no per-step readback)
  cpu-loop   webgpu backend, policy.act on the host, a readback per step
  cpu-loop   rapier backend (worker threads = cores), policy.act on the host
  --worlds N  worlds (default 1024)
  --steps N   control steps (default 100; --quick: 20)
  --quick     20 steps
"world-steps/s" divides by the whole loop (first dispatches included); "after 10 steps" leaves
out the first 10 steps (for the GPU loop, whose progress is reported on submit, the steps that
had finished by then). See bench/README.md.`;

const HIDDEN = [128, 128];
const CHUNK = 4;
const SEED = 11;
/** Steps left out of the "after warm-up" rate. */
const WARMUP_STEPS = 10;

/** A random policy of the benchmarked shape: Kaiming-initialized weights, actions within the control limits' scale. */
function benchPolicy(): BcPolicy {
  const spec = mlpSpec({ obsSize: PICK_PLACE_OBS_NAMES.length, actionSize: 7, hidden: HIDDEN, chunk: CHUNK });
  const obsSize = spec.obsSize;
  return new BcPolicy({
    spec,
    params: initMlpParams(spec, SEED),
    normalization: {
      obs: { mean: new Float32Array(obsSize), std: new Float32Array(obsSize).fill(0.1) },
      action: { mean: new Float32Array(7), std: Float32Array.from([0.01, 0.01, 0.01, 0.05, 0.05, 0.05, 0.5]) },
    },
    obsNames: PICK_PLACE_OBS_NAMES,
  });
}

interface Row {
  loop: 'gpu-fused' | 'cpu-loop';
  backend: 'webgpu' | 'rapier';
  worlds: number;
  steps: number;
  evalSeconds: number;
  worldStepsPerSecond: number;
  worldStepsPerSecondAfterWarmup: number;
  msPerStep: number;
  /** Wall time of the call minus evalSeconds: Sim creation, kernel compilation, reset, disposal. */
  setupSeconds: number;
  successes: number;
  signalRates: Record<string, number>;
  faults: number;
  adapter: PolicyEvaluation['adapter'];
}

async function measure(loop: Row['loop'], backend: Row['backend'], worlds: number, steps: number, policy: BcPolicy): Promise<Row> {
  const stepTimes: number[] = [];
  const wallStart = performance.now();
  const result: PolicyEvaluation = await evaluatePolicy({
    policy,
    numWorlds: worlds,
    steps,
    seed: SEED,
    backend,
    policyOnGpu: loop === 'gpu-fused',
    onStep: (done) => void (stepTimes[done] = performance.now()),
  });
  const wall = (performance.now() - wallStart) / 1000;
  // The loop starts right after onStep(0) and ends evalSeconds later (on the GPU: after the final
  // readback). The GPU loop calls onStep on submit, with STEPS_IN_FLIGHT steps not yet run.
  const end = stepTimes[0] + result.evalSeconds * 1000;
  const lag = loop === 'gpu-fused' ? GpuPolicyEvaluator.STEPS_IN_FLIGHT : 0;
  const warm = Math.min(WARMUP_STEPS, steps - 1);
  const doneAtWarm = Math.max(0, warm - lag);
  return {
    loop,
    backend,
    worlds,
    steps,
    evalSeconds: result.evalSeconds,
    worldStepsPerSecond: (worlds * steps) / result.evalSeconds,
    worldStepsPerSecondAfterWarmup: (worlds * (steps - doneAtWarm)) / ((end - stepTimes[warm]) / 1000),
    msPerStep: (1000 * result.evalSeconds) / steps,
    setupSeconds: wall - result.evalSeconds,
    successes: result.successes,
    signalRates: result.signalRates,
    faults: result.faults,
    adapter: result.adapter,
  };
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      worlds: { type: 'string' },
      steps: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const worlds = values.worlds !== undefined ? Number(values.worlds) : 1024;
  const steps = values.steps !== undefined ? Number(values.steps) : values.quick ? 20 : 100;
  for (const [name, v] of [['--worlds', worlds], ['--steps', steps]] as const) {
    if (!Number.isInteger(v) || v < 2) throw new Error(`${name} must be an integer ≥ 2, got ${v}`);
  }

  const machine = describeMachine();
  const loadStart = loadavg()[0];
  const policy = benchPolicy();
  console.error(`eval bench${values.quick ? ' (quick)' : ''}: ${worlds} worlds, ${steps} steps, hidden [${HIDDEN}], chunk ${CHUNK} (ensemble) on ${formatMachine(machine)}`);
  const rows: Row[] = [];
  for (const [loop, backend] of [
    ['gpu-fused', 'webgpu'],
    ['cpu-loop', 'webgpu'],
    ['cpu-loop', 'rapier'],
  ] as const) {
    const row = await measure(loop, backend, worlds, steps, policy);
    rows.push(row);
    const on = row.adapter ? ` on ${formatAdapter(row.adapter)}` : '';
    console.error(`${loop} ${backend}${on}: ${formatNumber(row.worldStepsPerSecond)} world-steps/s (after warm-up ${formatNumber(row.worldStepsPerSecondAfterWarmup)})`);
  }
  const adapter = rows.find((r) => r.adapter !== null)?.adapter ?? null;
  const loadEnd = loadavg()[0];
  const fused = rows[0];
  const table = formatTable(
    rows.map((r) => [
      r.loop,
      r.backend,
      r.worlds,
      r.steps,
      formatNumber(r.worldStepsPerSecond),
      formatNumber(r.worldStepsPerSecondAfterWarmup),
      r.msPerStep.toFixed(1),
      `${(fused.worldStepsPerSecond / r.worldStepsPerSecond).toFixed(2)}x`,
      r.setupSeconds.toFixed(1),
      `${r.successes}/${r.faults}`,
    ]),
    {
      header: ['loop', 'backend', 'worlds', 'steps', 'world-steps/s', `after ${WARMUP_STEPS} steps`, 'ms/step', 'fused / this', 'setup s', 'succ/faults'],
    },
  );
  console.log(table);
  console.log(`webgpu adapter: ${adapter ? formatAdapter(adapter) : 'none'}`);
  console.log(`machine: ${formatMachine(machine)}; 1-min load average ${loadStart.toFixed(2)} at start, ${loadEnd.toFixed(2)} at end`);

  await mkdir('bench/results', { recursive: true });
  const file = `bench/results/eval-bench${values.quick ? '-quick' : ''}.json`;
  const json = {
    benchmark: 'eval-bench',
    machine,
    adapter,
    loadAverage: { start: loadStart, end: loadEnd },
    policy: { obsSize: policy.spec.obsSize, hidden: HIDDEN, chunk: CHUNK, execution: 'ensemble', seed: SEED },
    warmupStepsLeftOut: WARMUP_STEPS,
    rows,
  };
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
  console.error(`wrote ${file}`);
}

await main(process.argv.slice(2));
