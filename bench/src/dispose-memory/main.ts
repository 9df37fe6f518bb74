/**
 * `npm run bench:dispose`: resident memory and OS threads of this process over createSim /
 * reset / step / dispose cycles (issue 20, point 7), each figure taken after a full garbage
 * collection. Prints one row per cycle and the growth after warm-up; writes
 * bench/results/dispose-memory-<backend>.json. Linux only (threads from /proc/self/status).
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createSim, formatAdapter, type BackendKind, type GpuAdapterDescription } from '@gripgen/sim-core';
import { formatTable } from '@gripgen/runner';
import { finishMachine, formatBenchMachine, startMachine } from '../rounds/machine.js';

const USAGE = `Usage: npm run bench:dispose [-- options]

Resident memory (RSS) and OS threads after each of --cycles createSim/reset/step/dispose cycles.

Options:
  --backend <name>   rapier, mujoco or webgpu (default rapier)
  --threads <n>      worker threads of rapier/mujoco (default 2; 0: the calling thread)
  --worlds <n>       worlds per Sim (default 64)
  --steps <n>        steps per cycle (default 5)
  --cycles <n>       cycles (default 60; webgpu on SwiftShader costs ~25 s a cycle)
  --warm-up <n>      cycle from which growth is reported (default: a third of --cycles)
  -h, --help         show this help`;

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

interface Row {
  cycle: number;
  rssMiB: number;
  threads: number;
  milliseconds: number;
}

function osThreads(): number {
  return Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]);
}

async function settled(): Promise<{ rssMiB: number; threads: number }> {
  for (let i = 0; i < 3; i++) {
    collect();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { rssMiB: process.memoryUsage().rss / 2 ** 20, threads: osThreads() };
}

/** Runs the benchmark. */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      backend: { type: 'string', default: 'rapier' },
      threads: { type: 'string', default: '2' },
      worlds: { type: 'string', default: '64' },
      steps: { type: 'string', default: '5' },
      cycles: { type: 'string', default: '60' },
      'warm-up': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const backend = values.backend as BackendKind;
  const threads = Number(values.threads);
  const numWorlds = Number(values.worlds);
  const steps = Number(values.steps);
  const cycles = Number(values.cycles);
  const warmUp = values['warm-up'] !== undefined ? Number(values['warm-up']) : Math.max(1, Math.round(cycles / 3));
  if (!(warmUp >= 1 && warmUp <= cycles)) throw new Error(`--warm-up must be 1..${cycles}, got ${values['warm-up']}`);
  const machine = startMachine();
  const before = await settled();
  console.error(`dispose cycles on ${formatBenchMachine(machine)}: ${backend}, ${numWorlds} worlds, threads ${threads}; before: ${before.rssMiB.toFixed(1)} MiB, ${before.threads} threads`);
  const rows: Row[] = [];
  const actions = new Float32Array(numWorlds * 7);
  let adapter: GpuAdapterDescription | null = null;
  for (let cycle = 1; cycle <= cycles; cycle++) {
    const start = performance.now();
    const sim = await createSim({ task: 'pick-place', backend, numWorlds, threads, seed: cycle, randomization: 'wide' });
    adapter ??= sim.spec.adapter;
    await sim.reset();
    for (let step = 0; step < steps; step++) await sim.step(actions);
    await sim.dispose();
    const usage = await settled();
    rows.push({ cycle, ...usage, milliseconds: performance.now() - start });
    console.error(`cycle ${cycle}: ${usage.rssMiB.toFixed(1)} MiB, ${usage.threads} threads`);
  }
  finishMachine(machine);
  const last = rows[rows.length - 1];
  const atWarmUp = rows[warmUp - 1];
  const summary = {
    before,
    rssGrowthAfterWarmUpMiB: last.rssMiB - atWarmUp.rssMiB,
    rssRangeAfterWarmUpMiB: [Math.min(...rows.slice(warmUp - 1).map((r) => r.rssMiB)), Math.max(...rows.slice(warmUp - 1).map((r) => r.rssMiB))],
    threadsAfterWarmUp: [...new Set(rows.slice(warmUp - 1).map((r) => r.threads))],
  };
  console.log(
    formatTable(
      rows.map((r) => [r.cycle, r.rssMiB.toFixed(1), r.threads, r.milliseconds.toFixed(0)]),
      { header: ['cycle', 'rss MiB', 'threads', 'ms'] },
    ),
  );
  console.log(
    `before: ${before.rssMiB.toFixed(1)} MiB, ${before.threads} threads; from cycle ${warmUp} to ${cycles}: rss ${summary.rssGrowthAfterWarmUpMiB >= 0 ? '+' : ''}${summary.rssGrowthAfterWarmUpMiB.toFixed(1)} MiB ` +
      `(range ${summary.rssRangeAfterWarmUpMiB.map((v) => v.toFixed(1)).join('-')}), threads ${summary.threadsAfterWarmUp.join('/')}`,
  );
  console.log(`${formatBenchMachine(machine)}${adapter ? `; webgpu adapter ${formatAdapter(adapter)}` : ''}`);
  await mkdir('bench/results', { recursive: true });
  const file = `bench/results/dispose-memory-${backend}.json`;
  const command = `npm run bench:dispose -- ${argv.join(' ')}`.trim();
  await writeFile(file, `${JSON.stringify({ benchmark: 'dispose-memory', machine, adapter, command, backend, numWorlds, threads, steps, cycles, warmUp, summary, rows }, null, 2)}\n`);
  console.error(`wrote ${file}`);
}
