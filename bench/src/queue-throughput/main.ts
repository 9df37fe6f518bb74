/**
 * `npm run bench:queue`: trajectories per hour of distributed generation on this machine —
 * single-process `gripgen generate` against the same dataset through the queue (a real
 * redis-server started here, `gripgen worker` processes) with 1 and 2 workers, and the ideal
 * line for n machines (n × one machine's rate). Each queued row is timed from the enqueue to the
 * sealed dataset (workers started and warmed up by a 2-unit run before, as long-lived workers
 * are: their first Sim loads Rapier and starts its threads); the single-process row is timed by its own
 * generation wall time (after its startup) and as a whole process. Every queued dataset is
 * checked to equal the single-process one shard for shard. Prints a table and writes
 * bench/results/queue-throughput.json with the machine.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine, enqueueGeneration, formatMachine, formatNumber, formatTable, isSealed, openGenerationQueue, parseQueueUrl } from '@gripgen/runner';
import { readSourceDemos } from '@gripgen/trajgen';
import { startWorker, type WorkerProcess } from '../../../packages/runner/test/queue-workers.js';
import { startTestRedis } from '../../../packages/runner/test/redis-server.js';
import { repoRoot } from '../../../packages/runner/test/cli-process.js';

const USAGE = `Usage: npm run bench:queue [-- options]

Trajectories per hour: gripgen generate in one process vs the queue with 1 and 2 workers.

Options:
  --count <n>          successful trajectories per row (default 600)
  --worlds <n>         attempts in flight per process (default 16)
  --unit-attempts <n>  attempts per work unit (default 64)
  --out <file>         results file (default bench/results/queue-throughput.json)
  -h, --help           show this help`;

interface Row {
  mode: string;
  workers: number;
  threadsPerProcess: number;
  trajectories: number;
  wallSeconds: number;
  trajectoriesPerHour: number;
  /** This row's rate over the single-process generation rate. */
  relative: number;
  /** Whether the dataset equals the single-process one (shards' sha256, counts); null for that row itself. */
  equalToSingle: boolean | null;
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

/** Runs the benchmark. */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      count: { type: 'string', default: '600' },
      worlds: { type: 'string', default: '16' },
      'unit-attempts': { type: 'string', default: '64' },
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
  const machine = describeMachine();
  const cores = machine.cores;
  process.stderr.write(`queue throughput on ${formatMachine(machine)}: pick-place, ${count} trajectories per row, ${worlds} worlds, units of ${unitAttempts} attempts, rapier\n`);
  const dir = await mkdtemp(join(tmpdir(), 'gripgen-bench-queue-'));
  const redis = await startTestRedis();
  const rows: Row[] = [];
  try {
    const source = join(dir, 'src');
    const demos = await gripgen(['demos', '--out', source, '--count', '10', '--json']);
    if (demos.code !== 0) throw new Error(`gripgen demos failed: ${demos.stderr}`);
    const common = ['--source', source, '--count', String(count), '--worlds', String(worlds), '--backend', 'rapier'];

    // Single process, one Rapier thread per core.
    const single = join(dir, 'single');
    const r = await gripgen(['generate', ...common, '--threads', String(cores), '--out', single, '--json']);
    if (r.code !== 0) throw new Error(`gripgen generate failed: ${r.stderr}`);
    const stats = JSON.parse(r.stdout) as { kept: number; wallSeconds: number };
    const singleRate = (stats.kept / stats.wallSeconds) * 3600;
    rows.push({ mode: 'generate (generation time)', workers: 1, threadsPerProcess: cores, trajectories: stats.kept, wallSeconds: stats.wallSeconds, trajectoriesPerHour: singleRate, relative: 1, equalToSingle: null });
    rows.push({ mode: 'generate (whole process)', workers: 1, threadsPerProcess: cores, trajectories: stats.kept, wallSeconds: r.seconds, trajectoriesPerHour: (stats.kept / r.seconds) * 3600, relative: stats.kept / r.seconds / (stats.kept / stats.wallSeconds), equalToSingle: null });
    process.stderr.write(`single process: ${stats.kept} in ${stats.wallSeconds.toFixed(1)} s of generation, ${r.seconds.toFixed(1)} s in all\n`);

    const sourceDemos = await readSourceDemos(source);
    for (const workerCount of [1, 2]) {
      // The cores shared among the workers: 1 worker gets a thread per core, 2 get one each on 2 cores.
      const threads = Math.max(1, Math.floor(cores / workerCount));
      const out = join(dir, `queue-${workerCount}`);
      const workers: WorkerProcess[] = [];
      for (let i = 0; i < workerCount; i++) workers.push(startWorker(redis.url, `bench-${workerCount}-${i}`));
      await Promise.all(workers.map((w) => w.waitFor(/waiting for units/, 120_000)));
      const queue = openGenerationQueue(parseQueueUrl(redis.url));
      const run = async (target: string, trajectories: number, attempts: number) => {
        await enqueueGeneration(queue, { demos: sourceDemos, out: target, seed: 1, randomization: null, backend: 'rapier', worlds, threads, config: { numTrials: trajectories, guarantee: true }, unitAttempts: attempts, jobAttempts: 3 });
        while (!(await isSealed(target))) await new Promise((resolve) => setTimeout(resolve, 100));
      };
      let seconds: number;
      try {
        // Warm-up, untimed: every worker's first Sim (Rapier's WebAssembly, its threads), as a long-lived worker has it.
        await run(join(dir, `warm-up-${workerCount}`), 2 * workerCount, 1);
        const start = performance.now();
        await run(out, count, unitAttempts);
        seconds = (performance.now() - start) / 1000;
      } finally {
        await queue.close();
      }
      await Promise.all(workers.map((w) => w.stop()));
      const equal = (await fingerprint(out)) === (await fingerprint(single));
      if (!equal) process.stderr.write(`differs from the single-process dataset:\n  queue  ${await fingerprint(out)}\n  single ${await fingerprint(single)}\n`);
      const rate = (count / seconds) * 3600;
      rows.push({ mode: `queue, ${workerCount} worker${workerCount > 1 ? 's' : ''}`, workers: workerCount, threadsPerProcess: threads, trajectories: count, wallSeconds: seconds, trajectoriesPerHour: rate, relative: rate / singleRate, equalToSingle: equal });
      process.stderr.write(`queue, ${workerCount} workers: ${count} in ${seconds.toFixed(1)} s (equal to single: ${equal})\n`);
    }
  } finally {
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const best = Math.max(...rows.filter((r) => r.workers > 0 && r.mode.startsWith('queue')).map((r) => r.trajectoriesPerHour));
  const ideal = [1, 2, 4, 8, 16].map((n) => ({ machines: n, trajectoriesPerHour: n * best }));
  process.stdout.write(
    `${formatTable(
      rows.map((r) => [r.mode, r.workers, r.threadsPerProcess, r.trajectories, r.wallSeconds.toFixed(1), formatNumber(Math.round(r.trajectoriesPerHour)), `${(100 * r.relative).toFixed(1)} %`, r.equalToSingle === null ? '-' : r.equalToSingle ? 'yes' : 'NO']),
      { header: ['mode', 'processes', 'threads each', 'trajectories', 'wall s', 'trajectories / hour', 'vs generate', 'same dataset'] },
    )}\n\nideal for n machines like this one (n × the best queued row): ${ideal.map((i) => `${i.machines}: ${formatNumber(Math.round(i.trajectoriesPerHour))}`).join(', ')} trajectories/hour\n`,
  );
  await mkdir(join(values.out, '..'), { recursive: true });
  await writeFile(values.out, `${JSON.stringify({ bench: 'queue-throughput', date: new Date().toISOString(), machine, task: 'pick-place', backend: 'rapier', count, worlds, unitAttempts, rows, ideal }, null, 2)}\n`);
  process.stderr.write(`wrote ${values.out}\n`);
}
