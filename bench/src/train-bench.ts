/**
 * Behaviour-cloning training throughput: the plain-TS trainer (`trainPolicy`) against the WGSL
 * trainer (`trainPolicyGpu`) on the same synthetic dataset, same seed and same step count.
 * Prints a table of samples/s and the WGSL/TS ratio; writes bench/results/train-bench[-quick].json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  describeMachine,
  formatMachine,
  formatNumber,
  formatTable,
  trainPolicy,
  trainPolicyGpu,
  type TrainingEpisode,
  type TrainPolicyResult,
} from '@gripgen/runner';
import { acquireGpu, formatAdapter, uniform01 } from '@gripgen/sim-core';

const USAGE = `Usage: npm run bench:train [-- --quick] [-- --steps N]

Trains the BC policy MLP (batch 256, hidden [256,256] and [128,128]) on a synthetic dataset of
20,000 samples (obs 21, action 7, uniform random values) for a fixed number of steps with the
plain-TS trainer and with the WGSL trainer (WebGPU: a hardware adapter, else SwiftShader), and
prints samples/s of both and their ratio.
  --steps N   optimizer steps per measured run (default 200; --quick: 30)
  --quick     30 steps per run
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

interface Row {
  trainer: 'ts' | 'wgsl';
  hidden: number[];
  steps: number;
  batchSize: number;
  trainSeconds: number;
  samplesPerSecond: number;
  msPerStep: number;
  /** Wall time of the call minus trainSeconds: normalization, allocation; for WGSL also kernel compilation and dataset upload. */
  setupSeconds: number;
  finalLoss: number;
}

function row(trainer: Row['trainer'], hidden: readonly number[], steps: number, result: TrainPolicyResult, wallMs: number): Row {
  return {
    trainer,
    hidden: [...hidden],
    steps,
    batchSize: BATCH,
    trainSeconds: result.trainMs / 1000,
    samplesPerSecond: (steps * BATCH) / (result.trainMs / 1000),
    msPerStep: result.trainMs / steps,
    setupSeconds: (wallMs - result.trainMs) / 1000,
    finalLoss: result.lossHistory[steps - 1],
  };
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { quick: { type: 'boolean', default: false }, steps: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const steps = values.steps !== undefined ? Number(values.steps) : values.quick ? 30 : 200;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`--steps must be a positive integer, got ${values.steps}`);

  const machine = describeMachine();
  const loadStart = loadavg()[0];
  const gpu = await acquireGpu({ label: 'bench:train' });
  const adapter = gpu.adapterInfo;
  console.error(`train bench${values.quick ? ' (quick)' : ''} on ${formatMachine(machine)}; WebGPU adapter ${formatAdapter(adapter)}`);
  const episodes = syntheticDataset();
  const rows: Row[] = [];
  try {
    for (const hidden of HIDDEN) {
      const options = { episodes, obsSize: OBS_SIZE, actionSize: ACTION_SIZE, hidden, batchSize: BATCH, seed: SEED };
      trainPolicy({ ...options, steps: WARMUP_STEPS });
      let start = performance.now();
      const ts = trainPolicy({ ...options, steps });
      rows.push(row('ts', hidden, steps, ts, performance.now() - start));
      console.error(`ts   [${hidden}]: ${formatNumber(rows[rows.length - 1].samplesPerSecond)} samples/s`);

      await trainPolicyGpu({ ...options, steps: WARMUP_STEPS, device: gpu.device });
      start = performance.now();
      const wgsl = await trainPolicyGpu({ ...options, steps, device: gpu.device });
      rows.push(row('wgsl', hidden, steps, wgsl, performance.now() - start));
      gpu.check();
      console.error(`wgsl [${hidden}]: ${formatNumber(rows[rows.length - 1].samplesPerSecond)} samples/s`);
    }
  } finally {
    gpu.release();
  }
  const loadEnd = loadavg()[0];

  const table = formatTable(
    HIDDEN.map((hidden) => {
      const ts = rows.find((r) => r.trainer === 'ts' && `${r.hidden}` === `${hidden}`)!;
      const wgsl = rows.find((r) => r.trainer === 'wgsl' && `${r.hidden}` === `${hidden}`)!;
      return [
        `[${hidden}]`,
        BATCH,
        steps,
        formatNumber(ts.samplesPerSecond),
        formatNumber(wgsl.samplesPerSecond),
        `${(wgsl.samplesPerSecond / ts.samplesPerSecond).toFixed(2)}x`,
        ts.msPerStep.toFixed(1),
        wgsl.msPerStep.toFixed(1),
        wgsl.setupSeconds.toFixed(2),
        `${ts.finalLoss.toFixed(4)} / ${wgsl.finalLoss.toFixed(4)}`,
      ];
    }),
    { header: ['hidden', 'batch', 'steps', 'ts samples/s', 'wgsl samples/s', 'wgsl/ts', 'ts ms/step', 'wgsl ms/step', 'wgsl setup s', 'final loss ts / wgsl'] },
  );
  console.log(table);
  console.log(`webgpu adapter: ${formatAdapter(adapter)}`);
  console.log(`machine: ${formatMachine(machine)}; 1-min load average ${loadStart.toFixed(2)} at start, ${loadEnd.toFixed(2)} at end`);

  await mkdir('bench/results', { recursive: true });
  const file = `bench/results/train-bench${values.quick ? '-quick' : ''}.json`;
  const dataset = { samples: SAMPLES, obsSize: OBS_SIZE, actionSize: ACTION_SIZE, values: 'uniform [-1, 1), seeded' };
  const json = { benchmark: 'train-bench', machine, adapter, loadAverage: { start: loadStart, end: loadEnd }, dataset, warmupSteps: WARMUP_STEPS, rows };
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
  console.error(`wrote ${file}`);
}

await main(process.argv.slice(2));
