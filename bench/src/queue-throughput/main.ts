/**
 * `npm run bench:queue`: trajectories per hour of distributed generation on this machine —
 * single-process `gripgen generate` against the same dataset through the queue (a real
 * redis-server started here, `gripgen worker` processes) with 1 and 2 workers, and the ideal
 * line for n machines (n × one machine's rate). Each queued row is timed from the enqueue to the
 * sealed dataset (workers started and warmed up by a 2-unit run before, as long-lived workers
 * are: their first Sim loads Rapier and starts its threads); the single-process row is timed by its own
 * generation wall time (after its startup) and as a whole process. The machine is shared, so the
 * rows are measured in rounds (single, queue with 1 worker, queue with 2 workers, again) and each
 * queued row is compared with the single process of its own round; the table gives the medians.
 * Every queued dataset is checked to equal the single-process one shard for shard. Prints a table
 * and writes bench/results/queue-throughput.json with the machine and the load average.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { enqueueGeneration, formatNumber, formatTable, isSealed, openGenerationQueue, parseQueueUrl } from '@gripgen/runner';
import { readSourceDemos } from '@gripgen/trajgen';
import { finishMachine, formatBenchMachine, startMachine } from '../rounds/machine.js';
import { startWorker, type WorkerProcess } from '../../../packages/runner/test/queue-workers.js';
import { startTestRedis } from '../../../packages/runner/test/redis-server.js';
import { repoRoot } from '../../../packages/runner/test/cli-process.js';

const USAGE = `Usage: npm run bench:queue [-- options]

Trajectories per hour: gripgen generate in one process vs the queue with 1 and 2 workers.

Options:
  --count <n>          successful trajectories per row (default 600)
  --worlds <n>         attempts in flight per process (default 16)
  --unit-attempts <n>  attempts per work unit (default 64)
  --rounds <n>         rounds, each single process then queue with 1 and 2 workers (default 3)
  --logs <file>        write the workers' logs there
  --compare <dir>      also run the queued rows with workers from the checkout at <dir> (e.g. a git
                       worktree of an earlier commit), in the same rounds: before/after side by side
  --out <file>         results file (default bench/results/queue-throughput.json)
  -h, --help           show this help`;

type Queue = ReturnType<typeof openGenerationQueue>;

interface Row {
  mode: string;
  workers: number;
  threadsPerProcess: number;
  trajectories: number;
  wallSeconds: number;
  trajectoriesPerHour: number;
  /** This row's rate over the single-process generation rate (ratio of the medians). */
  relative: number;
  /** Each round's ratio to the single process of the same round. */
  roundRatios: number[];
  /** Each round's seconds. */
  rounds: number[];
  /** Whether the dataset equals the single-process one (shards' sha256, counts); null for that row itself. */
  equalToSingle: boolean | null;
}

/** One round of one mode. */
interface Sample {
  mode: string;
  round: number;
  /** Generation seconds (single: its own generation wall time; queued: enqueue to sealed). */
  seconds: number;
  /** The whole process (single); = seconds for the queue. */
  processSeconds: number;
  trajectories: number;
  /** 1-minute load average when the round's row started. */
  load: number;
  equal: boolean | null;
}

/** Runs the CLI from the sources; resolves with its exit code, stdout and the seconds it took. */
function gripgen(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; seconds: number }> {
  const start = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'packages/runner/src/cli/main.ts', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr, seconds: (performance.now() - start) / 1000 }));
  });
}

/** The parts of a manifest that make two datasets equal. */
async function fingerprint(dir: string): Promise<string> {
  const m = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  return JSON.stringify([m.configHash, m.counts, m.nextAttempt, m.shards]);
}

/** Median of a non-empty list. */
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs the benchmark. */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      count: { type: 'string', default: '600' },
      worlds: { type: 'string', default: '16' },
      'unit-attempts': { type: 'string', default: '64' },
      rounds: { type: 'string', default: '3' },
      logs: { type: 'string' },
      compare: { type: 'string' },
      out: { type: 'string', default: join(repoRoot, 'bench/results/queue-throughput.json') },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const count = Number(values.count);
  const worlds = Number(values.worlds);
  const unitAttempts = Number(values['unit-attempts']);
  const roundCount = Number(values.rounds);
  if (!(Number.isInteger(roundCount) && roundCount >= 1)) throw new Error(`--rounds must be a whole number ≥ 1, got ${values.rounds}`);
  const machine = startMachine();
  const cores = machine.cores;
  process.stderr.write(`queue throughput on ${formatBenchMachine(machine)}: pick-place, ${count} trajectories per row, ${worlds} worlds, units of ${unitAttempts} attempts, rapier, ${roundCount} rounds\n`);
  const dir = await mkdtemp(join(tmpdir(), 'gripgen-bench-queue-'));
  const redis = await startTestRedis();
  const samples: Sample[] = [];
  const pools: Array<{ workers: WorkerProcess[]; queue: Queue; url: string; threads: number; mode: string }> = [];
  try {
    const source = join(dir, 'src');
    const demos = await gripgen(['demos', '--out', source, '--count', '10', '--json']);
    if (demos.code !== 0) throw new Error(`gripgen demos failed: ${demos.stderr}`);
    const common = ['--source', source, '--count', String(count), '--worlds', String(worlds), '--backend', 'rapier'];
    const sourceDemos = await readSourceDemos(source);
    const run = async (queue: Queue, threads: number, target: string, trajectories: number, attempts: number) => {
      await enqueueGeneration(queue, { demos: sourceDemos, out: target, seed: 1, randomization: null, backend: 'rapier', worlds, threads, config: { numTrials: trajectories, guarantee: true }, unitAttempts: attempts, jobAttempts: 3 });
      while (!(await isSealed(target))) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    // One pool of workers per worker count (and checkout), each on its own Redis database, started and warmed up once.
    const kinds = [
      { label: '', root: repoRoot },
      ...(values.compare ? [{ label: `${values.compare}: `, root: values.compare }] : []),
    ];
    for (const workerCount of [1, 2]) {
      for (const kind of kinds) {
        // The cores shared among the workers: 1 worker gets a thread per core, 2 get one each on 2 cores.
        const threads = Math.max(1, Math.floor(cores / workerCount));
        const url = `${redis.url.replace(/\/\d+$/, '')}/${pools.length + 1}`;
        const workers: WorkerProcess[] = [];
        for (let i = 0; i < workerCount; i++) workers.push(startWorker(url, `bench-${pools.length}-${i}`, [], kind.root));
        const queue = openGenerationQueue(parseQueueUrl(url));
        pools.push({ workers, queue, url, threads, mode: `${kind.label}queue, ${workerCount} worker${workerCount > 1 ? 's' : ''}` });
        await Promise.all(workers.map((w) => w.waitFor(/waiting for units/, 120_000)));
        // Warm-up, untimed: every worker's first Sim (Rapier's WebAssembly, its threads), as a long-lived worker has it.
        await run(queue, threads, join(dir, `warm-up-${pools.length}`), 2 * workerCount, 1);
      }
    }
    let single: string | null = null;
    for (let round = 0; round < roundCount; round++) {
      // Single process, one Rapier thread per core.
      const singleOut = join(dir, `single-${round}`);
      const load = loadavg()[0];
      const r = await gripgen(['generate', ...common, '--threads', String(cores), '--out', singleOut, '--json']);
      if (r.code !== 0) throw new Error(`gripgen generate failed: ${r.stderr}`);
      const stats = JSON.parse(r.stdout) as { kept: number; wallSeconds: number };
      samples.push({ mode: 'single', round, seconds: stats.wallSeconds, processSeconds: r.seconds, trajectories: stats.kept, load, equal: null });
      if (single === null) single = singleOut;
      else if ((await fingerprint(singleOut)) !== (await fingerprint(single))) throw new Error('two single-process runs differ');
      process.stderr.write(`round ${round + 1}: single process ${stats.kept} in ${stats.wallSeconds.toFixed(1)} s of generation, ${r.seconds.toFixed(1)} s in all (load ${load.toFixed(2)})\n`);
      for (const [i, pool] of pools.entries()) {
        const out = join(dir, `queue-${i}-${round}`);
        const qload = loadavg()[0];
        const start = performance.now();
        await run(pool.queue, pool.threads, out, count, unitAttempts);
        const seconds = (performance.now() - start) / 1000;
        const equal = (await fingerprint(out)) === (await fingerprint(single));
        if (!equal) process.stderr.write(`differs from the single-process dataset:\n  queue  ${await fingerprint(out)}\n  single ${await fingerprint(single)}\n`);
        samples.push({ mode: pool.mode, round, seconds, processSeconds: seconds, trajectories: count, load: qload, equal });
        process.stderr.write(`round ${round + 1}: ${pool.mode}: ${count} in ${seconds.toFixed(1)} s (equal to single: ${equal}; load ${qload.toFixed(2)})\n`);
      }
    }
  } finally {
    for (const pool of pools) {
      await pool.queue.close();
      await Promise.all(pool.workers.map((w) => w.stop()));
    }
    if (values.logs) await writeFile(values.logs, pools.flatMap((p) => p.workers.map((w) => `--- ${w.name}\n${w.log()}`)).join('\n'));
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  }
  finishMachine(machine);
  // Each round's rows against that round's single process (the load changes between rounds).
  const roundRatios = (mode: string) => samples.filter((s) => s.mode === mode).map((s) => samples.find((x) => x.mode === 'single' && x.round === s.round)!.seconds / s.seconds);
  const of = (mode: string) => samples.filter((s) => s.mode === mode);
  const singleSeconds = median(of('single').map((s) => s.seconds));
  const singleRate = (count / singleSeconds) * 3600;
  const rows: Row[] = [
    { mode: 'generate (generation time)', workers: 1, threadsPerProcess: cores, trajectories: count, wallSeconds: singleSeconds, trajectoriesPerHour: singleRate, relative: 1, roundRatios: roundRatios('single'), rounds: of('single').map((s) => s.seconds), equalToSingle: null },
    (() => {
      const wall = median(of('single').map((s) => s.processSeconds));
      return { mode: 'generate (whole process)', workers: 1, threadsPerProcess: cores, trajectories: count, wallSeconds: wall, trajectoriesPerHour: (count / wall) * 3600, relative: singleSeconds / wall, roundRatios: of('single').map((s) => s.seconds / s.processSeconds), rounds: of('single').map((s) => s.processSeconds), equalToSingle: null };
    })(),
    ...pools.map((pool) => {
      const wall = median(of(pool.mode).map((s) => s.seconds));
      return { mode: pool.mode, workers: pool.workers.length, threadsPerProcess: pool.threads, trajectories: count, wallSeconds: wall, trajectoriesPerHour: (count / wall) * 3600, relative: singleSeconds / wall, roundRatios: roundRatios(pool.mode), rounds: of(pool.mode).map((s) => s.seconds), equalToSingle: of(pool.mode).every((s) => s.equal) };
    }),
  ];
  const best = Math.max(...rows.filter((r) => r.mode.startsWith('queue')).map((r) => r.trajectoriesPerHour));
  if (values.compare) rows.sort((a, b) => (a.mode.startsWith('generate') || b.mode.startsWith('generate') ? 0 : a.workers - b.workers));
  const ideal = [1, 2, 4, 8, 16].map((n) => ({ machines: n, trajectoriesPerHour: n * best }));
  process.stdout.write(
    `${formatTable(
      rows.map((r) => [r.mode, r.workers, r.threadsPerProcess, r.trajectories, r.wallSeconds.toFixed(1), r.rounds.map((x) => x.toFixed(1)).join(' '), formatNumber(Math.round(r.trajectoriesPerHour)), `${(100 * r.relative).toFixed(1)} %`, r.roundRatios.map((x) => `${(100 * x).toFixed(0)}`).join(' '), r.equalToSingle === null ? '-' : r.equalToSingle ? 'yes' : 'NO']),
      { header: ['mode', 'processes', 'threads each', 'trajectories', 'wall s (median)', 'rounds s', 'trajectories / hour', 'vs generate', 'rounds %', 'same dataset'] },
    )}\n\nvs generate: the median single-process generation time / this row's median; rounds %: each round's ratio to the single process of the same round\n` +
      `ideal for n machines like this one (n × the best queued row): ${ideal.map((i) => `${i.machines}: ${formatNumber(Math.round(i.trajectoriesPerHour))}`).join(', ')} trajectories/hour\n` +
      `${formatBenchMachine(machine)}\n`,
  );
  await mkdir(join(values.out, '..'), { recursive: true });
  await writeFile(values.out, `${JSON.stringify({ bench: 'queue-throughput', date: new Date().toISOString(), machine, task: 'pick-place', backend: 'rapier', count, worlds, unitAttempts, rounds: roundCount, compare: values.compare ?? null, rows, samples, ideal }, null, 2)}\n`);
  process.stderr.write(`wrote ${values.out}\n`);
}
