/**
 * Behaviour-cloning training throughput: the plain-TS trainer (`trainPolicy`) against the WGSL
 * trainer (`trainPolicyGpu`) on the same synthetic dataset, same seed and same step count per
 * run, runs of the two alternating in rounds until each has measured enough. Prints a table of
 * samples/s (median, min–max) and the WGSL/TS ratio; writes bench/results/train-bench[-quick].json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  formatNumber,
  formatTable,
  trainPolicy,
  trainPolicyGpu,
  type TrainingEpisode,
  type TrainPolicyResult,
} from '@gripgen/runner';
import { acquireGpu, formatAdapter, uniform01 } from '@gripgen/sim-core';
import { formatMedian, formatSpread, roundsNote, roundsRecord } from './rounds/format.js';
import { finishMachine, formatBenchMachine, startMachine } from './rounds/machine.js';
import { ROUND_OPTIONS, roundPolicy, roundUsage } from './rounds/options.js';
import { repeatRounds, type RoundPolicy, type Rounds } from './rounds/repeat.js';

const POLICY: RoundPolicy = { minSeconds: 3, minRounds: 3 };
const QUICK_POLICY: RoundPolicy = { minSeconds: 1, minRounds: 3 };

const USAGE = `Usage: npm run bench:train [-- --quick] [--steps N] [--min-seconds S] [--min-rounds N]

Trains the BC policy MLP (batch 256, hidden [256,256] and [128,128]) on a synthetic dataset of
20,000 samples (obs 21, action 7, uniform random values) for a fixed number of steps per run with
the plain-TS trainer and with the WGSL trainer (WebGPU: a hardware adapter, else SwiftShader),
alternating, and prints samples/s of both (median and min–max of the runs) and their ratio.
  --steps N            optimizer steps per measured run (default 200; --quick: 30)
  --quick              30 steps per run, rows of ${QUICK_POLICY.minSeconds} s
${roundUsage(POLICY)}
See bench/README.md.`;

const SAMPLES = 20_000;
const OBS_SIZE = 21;
const ACTION_SIZE = 7;
const BATCH = 256;
const SEED = 1;
const HIDDEN: readonly (readonly number[])[] = [
  [256, 256],
  [128, 128],
];
/** Untimed steps before each measured run (JIT tier-up, first dispatches). */
const WARMUP_STEPS = 5;

/** One episode of uniform random observations and actions in [-1, 1) (seeded). */
function syntheticDataset(): TrainingEpisode[] {
  const obs = Float32Array.from({ length: SAMPLES * OBS_SIZE }, (_, j) => 2 * uniform01(SEED, 1, j, 0) - 1);
  const actions = Float32Array.from({ length: SAMPLES * ACTION_SIZE }, (_, j) => 2 * uniform01(SEED, 2, j, 0) - 1);
  return [{ obs, actions, length: SAMPLES }];
}

type Trainer = 'ts' | 'wgsl';

/** One measured training run (a round): `seconds` is its optimization loop, `work` the samples trained on. */
interface Run {
  seconds: number;
  work: number;
  /** Wall time of the call minus `seconds`: normalization, allocation; for WGSL also kernel compilation and dataset upload. */
  setupSeconds: number;
  finalLoss: number;
}

interface Row {
  trainer: Trainer;
  hidden: number[];
  steps: number;
  batchSize: number;
  /** The runs; rate: samples/s. */
  rounds: Rounds<Run>;
  /** Wall ms per optimizer step at the median rate. */
  msPerStep: number;
}

function run(steps: number, result: TrainPolicyResult, wallMs: number): Run {
  return { seconds: result.trainMs / 1000, work: steps * BATCH, setupSeconds: (wallMs - result.trainMs) / 1000, finalLoss: result.lossHistory[steps - 1] };
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { quick: { type: 'boolean', default: false }, steps: { type: 'string' }, ...ROUND_OPTIONS, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const steps = values.steps !== undefined ? Number(values.steps) : values.quick ? 30 : 200;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`--steps must be a positive integer, got ${values.steps}`);

  const policy = roundPolicy(values['min-seconds'], values['min-rounds'], values.quick ? QUICK_POLICY : POLICY);

  const machine = startMachine();
  const gpu = await acquireGpu({ label: 'bench:train' });
  const adapter = gpu.adapterInfo;
  console.error(`train bench${values.quick ? ' (quick)' : ''} on ${formatBenchMachine(machine)}; WebGPU adapter ${formatAdapter(adapter)}`);
  const episodes = syntheticDataset();
  const rows: Row[] = [];
  try {
    for (const hidden of HIDDEN) {
      const options = { episodes, obsSize: OBS_SIZE, actionSize: ACTION_SIZE, hidden, batchSize: BATCH, seed: SEED };
      trainPolicy({ ...options, steps: WARMUP_STEPS });
      await trainPolicyGpu({ ...options, steps: WARMUP_STEPS, device: gpu.device });
      const trainers = ['ts', 'wgsl'] as const;
      const results = await repeatRounds(
        trainers,
        async (trainer) => {
          const start = performance.now();
          const result = trainer === 'ts' ? trainPolicy({ ...options, steps }) : await trainPolicyGpu({ ...options, steps, device: gpu.device });
          if (trainer === 'wgsl') gpu.check();
          const r = run(steps, result, performance.now() - start);
          console.error(`${trainer.padEnd(4)} [${hidden}]: ${formatNumber(r.work / r.seconds)} samples/s`);
          return r;
        },
        policy,
      );
      trainers.forEach((trainer, i) => {
        const rounds = results[i]!;
        if (rounds.error !== undefined) throw new Error(`${trainer} [${hidden}]: ${rounds.error}`);
        rows.push({ trainer, hidden: [...hidden], steps, batchSize: BATCH, rounds, msPerStep: (1000 * BATCH) / rounds.median });
      });
    }
  } finally {
    gpu.release();
  }
  finishMachine(machine);

  const table = formatTable(
    HIDDEN.map((hidden) => {
      const ts = rows.find((r) => r.trainer === 'ts' && `${r.hidden}` === `${hidden}`)!;
      const wgsl = rows.find((r) => r.trainer === 'wgsl' && `${r.hidden}` === `${hidden}`)!;
      return [
        `[${hidden}]`,
        BATCH,
        steps,
        `${ts.rounds.rounds.length}/${wgsl.rounds.rounds.length}`,
        formatMedian(ts.rounds),
        formatSpread(ts.rounds),
        formatMedian(wgsl.rounds),
        formatSpread(wgsl.rounds),
        `${(wgsl.rounds.median / ts.rounds.median).toFixed(2)}x`,
        ts.msPerStep.toFixed(1),
        wgsl.msPerStep.toFixed(1),
        wgsl.rounds.rounds.at(-1)!.setupSeconds.toFixed(2),
        `${ts.rounds.rounds.at(-1)!.finalLoss.toFixed(4)} / ${wgsl.rounds.rounds.at(-1)!.finalLoss.toFixed(4)}`,
      ];
    }),
    {
      header: ['hidden', 'batch', 'steps', 'runs ts/wgsl', 'ts samples/s', 'ts min–max', 'wgsl samples/s', 'wgsl min–max', 'wgsl/ts', 'ts ms/step', 'wgsl ms/step', 'wgsl setup s', 'final loss ts / wgsl'],
    },
  );
  console.log(table);
  console.log(`${roundsNote(policy)} (a round: one run of ${steps} steps); wgsl/ts: ratio of the medians`);
  console.log(`webgpu adapter: ${formatAdapter(adapter)}`);
  console.log(`machine: ${formatBenchMachine(machine)}`);

  await mkdir('bench/results', { recursive: true });
  const file = `bench/results/train-bench${values.quick ? '-quick' : ''}.json`;
  const dataset = { samples: SAMPLES, obsSize: OBS_SIZE, actionSize: ACTION_SIZE, values: 'uniform [-1, 1), seeded' };
  const json = { benchmark: 'train-bench', machine, adapter, rounds: roundsRecord(policy), dataset, warmupSteps: WARMUP_STEPS, rows };
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
  console.error(`wrote ${file}`);
}

await main(process.argv.slice(2));
