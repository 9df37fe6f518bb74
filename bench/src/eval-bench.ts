/**
 * Closed-loop policy evaluation throughput: the policy fused into the webgpu step loop
 * (`policyOnGpu`, no per-step readback) against the CPU loop (`policy.act` + `ChunkExecutor` +
 * `sim.step`) on the same webgpu backend and on Rapier, one episode per round, the three in turn
 * until each has measured enough. Prints world-steps/s (median and min–max of the rounds); writes
 * bench/results/eval-bench[-quick].json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  BcPolicy,
  evaluatePolicy,
  formatNumber,
  formatTable,
  GpuPolicyEvaluator,
  initMlpParams,
  mlpSpec,
  type PolicyEvaluation,
} from '@gripgen/runner';
import { formatAdapter, PICK_PLACE_OBS_NAMES } from '@gripgen/sim-core';
import { formatMedian, formatSpread, roundsNote, roundsRecord } from './rounds/format.js';
import { finishMachine, formatBenchMachine, startMachine } from './rounds/machine.js';
import { ROUND_OPTIONS, roundPolicy, roundUsage } from './rounds/options.js';
import { median, repeatRounds, type RoundPolicy, type Rounds } from './rounds/repeat.js';

const POLICY: RoundPolicy = { minSeconds: 3, minRounds: 3 };

const USAGE = `Usage: npm run bench:eval [-- --quick] [--worlds N] [--steps N] [--min-seconds S] [--min-rounds N]

Evaluates a random BC policy (obs 21, hidden [128,128], chunk 4, temporal ensembling) for one
episode in N pick-place worlds per round, three ways in turn, and prints world-steps/s of each
(median and min–max of the rounds):
  gpu-fused  webgpu backend, policy on the GPU inside the step loop (no per-step readback)
  cpu-loop   webgpu backend, policy.act on the host, a readback per step
  cpu-loop   rapier backend (worker threads = cores), policy.act on the host
  --worlds N  worlds (default 1024)
  --steps N   control steps (default 100; --quick: 20)
  --quick     20 steps
${roundUsage(POLICY)}
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

/** One round: an episode. `seconds`: its stepping loop (`evalSeconds`); `work`: world-steps. */
interface Round {
  seconds: number;
  work: number;
  worldStepsPerSecondAfterWarmup: number;
  /** Wall time of the call minus evalSeconds: Sim creation, kernel compilation, reset, disposal. */
  setupSeconds: number;
  successes: number;
  signalRates: Record<string, number>;
  faults: number;
  adapter: PolicyEvaluation['adapter'];
}

type Loop = readonly ['gpu-fused' | 'cpu-loop', 'webgpu' | 'rapier'];

async function measure([loop, backend]: Loop, worlds: number, steps: number, policy: BcPolicy): Promise<Round> {
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
    seconds: result.evalSeconds,
    work: worlds * steps,
    worldStepsPerSecondAfterWarmup: (worlds * (steps - doneAtWarm)) / ((end - stepTimes[warm]) / 1000),
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
      ...ROUND_OPTIONS,
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

  const timing = roundPolicy(values['min-seconds'], values['min-rounds'], POLICY);

  const machine = startMachine();
  const policy = benchPolicy();
  console.error(`eval bench${values.quick ? ' (quick)' : ''}: ${worlds} worlds, ${steps} steps, hidden [${HIDDEN}], chunk ${CHUNK} (ensemble) on ${formatBenchMachine(machine)}`);
  const loops: Loop[] = [
    ['gpu-fused', 'webgpu'],
    ['cpu-loop', 'webgpu'],
    ['cpu-loop', 'rapier'],
  ];
  const results = await repeatRounds(
    loops,
    async (loop) => {
      const r = await measure(loop, worlds, steps, policy);
      const on = r.adapter ? ` on ${formatAdapter(r.adapter)}` : '';
      console.error(`${loop.join(' ')}${on}: ${formatNumber(r.work / r.seconds)} world-steps/s (after warm-up ${formatNumber(r.worldStepsPerSecondAfterWarmup)})`);
      return r;
    },
    timing,
  );
  finishMachine(machine);
  const rows = loops.map(([loop, backend], i) => {
    const rounds: Rounds<Round> = results[i]!;
    if (rounds.error !== undefined) throw new Error(`${loop} ${backend}: ${rounds.error}`);
    const all = rounds.rounds;
    return {
      loop,
      backend,
      worlds,
      steps,
      rounds,
      worldStepsPerSecondAfterWarmup: median(all.map((r) => r.worldStepsPerSecondAfterWarmup)),
      msPerStep: (1000 * worlds) / rounds.median,
      setupSeconds: median(all.map((r) => r.setupSeconds)),
      successes: all.at(-1)!.successes,
      faults: all.at(-1)!.faults,
    };
  });
  const adapter = results.flatMap((r) => r.rounds).find((r) => r.adapter !== null)?.adapter ?? null;
  const fused = rows[0]!;
  const table = formatTable(
    rows.map((r) => [
      r.loop,
      r.backend,
      r.worlds,
      r.steps,
      r.rounds.rounds.length,
      formatMedian(r.rounds),
      formatSpread(r.rounds),
      formatNumber(r.worldStepsPerSecondAfterWarmup),
      r.msPerStep.toFixed(1),
      `${(fused.rounds.median / r.rounds.median).toFixed(2)}x`,
      r.setupSeconds.toFixed(1),
      `${r.successes}/${r.faults}`,
    ]),
    {
      header: ['loop', 'backend', 'worlds', 'steps', 'rounds', 'world-steps/s', 'min–max', `after ${WARMUP_STEPS} steps`, 'ms/step', 'fused / this', 'setup s', 'succ/faults'],
    },
  );
  console.log(table);
  console.log(`${roundsNote(timing)} (a round: one episode); after ${WARMUP_STEPS} steps, setup s: medians; succ/faults: the last round's episode`);
  console.log(`webgpu adapter: ${adapter ? formatAdapter(adapter) : 'none'}`);
  console.log(`machine: ${formatBenchMachine(machine)}`);

  await mkdir('bench/results', { recursive: true });
  const file = `bench/results/eval-bench${values.quick ? '-quick' : ''}.json`;
  const json = {
    benchmark: 'eval-bench',
    machine,
    adapter,
    rounds: roundsRecord(timing),
    policy: { obsSize: policy.spec.obsSize, hidden: HIDDEN, chunk: CHUNK, execution: 'ensemble', seed: SEED },
    warmupStepsLeftOut: WARMUP_STEPS,
    rows,
  };
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
  console.error(`wrote ${file}`);
}

await main(process.argv.slice(2));
