/**
 * Distributed generation on a real Redis (redis-server started by the test) and real BullMQ:
 * `gripgen generate --queue`, `gripgen worker` processes, `gripgen status`, `gripgen merge`.
 *
 * - 3 workers, one killed with SIGKILL in the middle of a unit: its unit is recovered by
 *   BullMQ's stalled-job check and redone by another worker; the sealed dataset holds exactly
 *   the requested count, each attempt once, verifies, and equals shard for shard (sha256 of
 *   every shard, main and failed) the dataset `gripgen generate` writes without a queue.
 * - Redis stopped and restarted (append-only persistence) in the middle of a run: it completes,
 *   equal to the same dataset.
 * - A poisoned unit (its source file is not a demo archive) fails after its tries with its
 *   error shown by `gripgen status`; the other unit completes; `gripgen merge` says what is
 *   missing and exits 1.
 * - `gripgen curve --queue`: the workers train and evaluate the (N, seed) points, the last one
 *   writes the report; its points equal a one-machine `gripgen curve` of the same config.
 *
 * Small units (3 attempts, 2 worlds, rapier, 1 thread) with maxAttemptSteps 70, so some
 * attempts fail (too long): the plan has to grow past its first units to reach the count.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataset, type DatasetManifest } from '@gripgen/trajgen';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueUnits, openGenerationQueue } from '../src/queue/generation-queue.js';
import { createGenerationPlan, sourceSnapshot, writePlan } from '../src/queue/plan.js';
import type { QueueStatus } from '../src/queue/queue-status.js';
import { parseQueueUrl } from '../src/queue/queue-url.js';
import { gripgenProcess } from './cli-process.js';
import { startWorker, type WorkerProcess } from './queue-workers.js';
import { startTestRedis, type TestRedis } from './redis-server.js';

const scratch = mkdtempSync(join(tmpdir(), 'gripgen-queue-'));
const source = join(scratch, 'src');
const plain = join(scratch, 'plain');
const COUNT = 10;
const CONFIG = '{"maxAttemptSteps": 70}';
const GENERATE = ['--source', source, '--count', String(COUNT), '--worlds', '2', '--backend', 'rapier', '--threads', '1', '--config', CONFIG];
/** Short locks, so a killed worker's unit is recovered within seconds. */
const WORKER_ARGS = ['--lock-duration', '3000', '--stalled-interval', '1000'];

let redis: TestRedis;
const workers: WorkerProcess[] = [];

const gripgen = (...args: string[]) => gripgenProcess(args, { timeoutMs: 120_000 });

beforeAll(async () => {
  redis = await startTestRedis();
  const demos = await gripgen('demos', '--out', source, '--count', '3', '--randomization', 'narrow', '--json');
  expect(demos.status, demos.stderr).toBe(0);
  // The dataset without a queue, while the workers start.
  const [reference] = await Promise.all([
    gripgen('generate', ...GENERATE, '--out', plain, '--json'),
    (async () => {
      for (const name of ['w1', 'w2', 'w3']) workers.push(startWorker(redis.url, name, WORKER_ARGS));
      await Promise.all(workers.map((w) => w.waitFor(/waiting for units/, 60_000)));
    })(),
  ]);
  expect(reference.status, reference.stderr).toBe(0);
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop(10_000)));
  await redis?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** Resolves when `<out>/manifest.json` says complete; rejects after `timeoutMs` with the workers' logs. */
async function waitSealed(out: string, timeoutMs: number): Promise<DatasetManifest> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const file = join(out, 'manifest.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as DatasetManifest;
      if (manifest.complete) return manifest;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${out} not sealed within ${timeoutMs} ms; workers:\n${workers.map((w) => `--- ${w.name}\n${w.log()}`).join('\n')}`);
}

async function status(): Promise<QueueStatus> {
  const r = await gripgen('status', '--queue', redis.url, '--json');
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as QueueStatus;
}

/**
 * The run of `out` once no unit is running or waiting: the job that seals the dataset is marked
 * completed by BullMQ just after it (retried for up to 10 s).
 */
async function settledRun(out: string): Promise<QueueStatus['runs'][number]> {
  let run = (await status()).runs.find((x) => x.out === out)!;
  for (let tries = 0; run.units.running + run.units.waiting > 0 && tries < 20; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    run = (await status()).runs.find((x) => x.out === out)!;
  }
  return run;
}

/** What must be equal between two datasets of one plan: identity, counts and every shard's bytes. */
function sameDataset(dir: string) {
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as DatasetManifest;
  return {
    taskId: m.taskId,
    seed: m.seed,
    shard: m.shard,
    obsNames: m.obsNames,
    actionNames: m.actionNames,
    sourceDemoIds: m.sourceDemoIds,
    config: m.config,
    configHash: m.configHash,
    complete: m.complete,
    nextAttempt: m.nextAttempt,
    counts: m.counts,
    shards: m.shards,
  };
}

/** Checks a sealed queued dataset against the no-queue one: count, unique attempts, verify, equality. */
async function expectEqualToPlain(out: string) {
  const dataset = await openDataset(out);
  const episodes = await dataset.toArray();
  expect(episodes).toHaveLength(COUNT);
  expect(new Set(episodes.map((e) => e.attempt)).size).toBe(COUNT);
  expect(episodes.every((e) => e.success)).toBe(true);
  const verify = await gripgen('verify', out);
  expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  expect(sameDataset(out)).toEqual(sameDataset(plain));
  expect(sameDataset(join(out, 'failed'))).toEqual(sameDataset(join(plain, 'failed')));
  // The plain run had failures to keep (the plan had to grow past its first units).
  expect(sameDataset(plain).counts.attempts).toBeGreaterThan(COUNT);
}

describe('gripgen generate --queue', () => {
  it('3 workers, one killed with SIGKILL mid-unit: the unit is redone elsewhere; the dataset equals the no-queue one', async () => {
    const out = join(scratch, 'killed');
    const r = await gripgen('generate', ...GENERATE, '--out', out, '--unit-attempts', '3', '--queue', redis.url, '--json');
    expect(r.status, r.stderr).toBe(0);
    const planned = JSON.parse(r.stdout) as { units: number; target: { guarantee: boolean; count: number } };
    expect(planned).toMatchObject({ units: 4, target: { guarantee: true, count: COUNT } });

    // Kill w3 in the middle of its first unit (started, not committed).
    const victim = workers[2];
    const started = await victim.waitFor(/unit (u\d+) of \S+: attempts/, 60_000);
    const unit = started[1];
    expect(victim.log()).not.toMatch(new RegExp(`unit ${unit} committed`));
    victim.child.kill('SIGKILL');
    await victim.exited;

    await waitSealed(out, 120_000);
    // Another worker took the unit over after the lock expired and committed it.
    const survivors = workers.slice(0, 2).map((w) => w.log()).join('\n');
    expect(survivors).toMatch(new RegExp(`unit ${unit} of \\S+: attempts`));
    expect(victim.log()).not.toMatch(new RegExp(`unit ${unit} committed`));
    await expectEqualToPlain(out);
    // The plan grew past its first 4 units (some attempts fail) and every job completed.
    const plan = JSON.parse(readFileSync(join(out, '.queue', 'plan.json'), 'utf8')) as { units: unknown[] };
    expect(plan.units.length).toBeGreaterThan(4);
    const run = await settledRun(out);
    const s = await status();
    expect(run.sealed).toBe(true);
    expect(run.units).toMatchObject({ done: plan.units.length, running: 0, failed: 0 });
    expect(run.trajectories).toBeGreaterThanOrEqual(COUNT);
    expect(run.trajectoriesPerHour).toBeGreaterThan(0);
    expect(run.perWorker.map((w) => w.worker).every((w) => ['w1', 'w2', 'w3'].includes(w))).toBe(true);
    expect(s.workers).toEqual(['w1', 'w2']);
  }, 200_000);

  it('Redis stopped and restarted mid-run (append-only persistence): the run completes without loss', async () => {
    const out = join(scratch, 'restarted');
    const r = await gripgen('generate', ...GENERATE, '--out', out, '--unit-attempts', '3', '--queue', redis.url, '--json');
    expect(r.status, r.stderr).toBe(0);
    await Promise.race(workers.slice(0, 2).map((w) => w.waitFor(new RegExp(`unit u\\d+ of ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: attempts`), 60_000)));
    await redis.shutdown();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await redis.restart();
    await waitSealed(out, 120_000);
    await expectEqualToPlain(out);
    const run = await settledRun(out);
    expect(run.units.failed).toBe(0);
    expect(run.units.waiting + run.units.running).toBe(0);
  }, 200_000);

  it('a poisoned unit (bad source file) fails with its error in gripgen status; the other unit completes', async () => {
    const out = join(scratch, 'poisoned');
    const url = parseQueueUrl(redis.url);
    const demos = join(scratch, 'demos.zip');
    copyFileSync(sourceSnapshot(join(scratch, 'killed')), demos);
    const bad = join(scratch, 'bad-demos.zip');
    writeFileSync(bad, 'not a zip archive');
    const plan = createGenerationPlan({
      out,
      task: 'pick-place',
      source: demos,
      sourceDemoIds: JSON.parse(readFileSync(join(plain, 'manifest.json'), 'utf8')).sourceDemoIds,
      seed: 7,
      randomization: null,
      backend: 'rapier',
      worlds: 2,
      threads: 1,
      config: { numTrials: 4 },
      unitAttempts: 2,
      jobAttempts: 2,
    });
    expect(plan.units).toHaveLength(2);
    plan.units[1].source = bad;
    await writePlan(plan);
    const queue = openGenerationQueue(url);
    try {
      await enqueueUnits(queue, plan, plan.units);
    } finally {
      await queue.close();
    }
    const deadline = Date.now() + 90_000;
    let run: QueueStatus['runs'][number] | undefined;
    while (Date.now() < deadline) {
      run = (await status()).runs.find((x) => x.planId === plan.planId);
      if (run && run.units.done === 1 && run.units.failed === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(run?.units).toMatchObject({ done: 1, failed: 1, running: 0, waiting: 0 });
    expect(run!.failed).toHaveLength(1);
    expect(run!.failed[0]).toMatchObject({ unitId: 'u000001', tries: 2 });
    expect(run!.failed[0].error).toContain(bad);
    const text = await gripgen('status', '--queue', redis.url);
    expect(text.stdout).toContain(`failed u000001 after 2 tries: ${run!.failed[0].error}`);
    const merge = await gripgen('merge', out);
    expect(merge.status).toBe(1);
    expect(merge.stderr).toContain('waiting for u000001');
  }, 150_000);

  it('gripgen curve --queue: the workers run the (N, seed) points and write the report, equal to a one-machine curve', async () => {
    const TINY = ['--counts', '4,8', '--seeds', '1', '--eval-worlds', '8', '--threads', '1', '--config', JSON.stringify({ training: { minSteps: 40, maxSteps: 40 }, generation: { worlds: 8 }, sourceDemos: { count: 2 }, evalSteps: 40, policy: { hidden: [8, 8] }, trainWorkers: 1 })];
    const queued = join(scratch, 'curve-queued');
    const local = join(scratch, 'curve-local');
    const [enqueued, reference] = await Promise.all([gripgen('curve', '--out', queued, ...TINY, '--queue', redis.url, '--json'), gripgen('curve', '--out', local, ...TINY, '--json')]);
    expect(enqueued.status, enqueued.stderr).toBe(0);
    expect(JSON.parse(enqueued.stdout)).toMatchObject({ points: 2 });
    expect(reference.status, reference.stderr).toBe(0);
    const deadline = Date.now() + 120_000;
    while (!existsSync(join(queued, 'report.html')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
    expect(existsSync(join(queued, 'report.html')), workers.map((w) => w.log()).join('\n')).toBe(true);
    type Points = { series: Array<{ name: string; points: Array<{ n: number; seed: number; successes: number; trials: number }> }> };
    const pick = (report: Points) => report.series.map((s) => ({ name: s.name, points: s.points.map(({ n, seed, successes, trials }) => ({ n, seed, successes, trials })) }));
    const fromQueue = JSON.parse(readFileSync(join(queued, 'curve.json'), 'utf8')) as Points;
    expect(pick(fromQueue)).toEqual(pick(JSON.parse(reference.stdout) as Points));
    expect(pick(fromQueue)[0].points).toHaveLength(2);
    expect(workers.slice(0, 2).map((w) => w.log()).join('\n')).toMatch(/every point is in; report/);
    // The report is written by the last point's job just before BullMQ marks that job completed.
    let sweep = (await status()).sweeps.find((x) => x.out === queued)!;
    for (let tries = 0; sweep.points.done < 2 && tries < 20; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      sweep = (await status()).sweeps.find((x) => x.out === queued)!;
    }
    expect(sweep).toMatchObject({ reported: true, points: { done: 2, running: 0, waiting: 0, failed: 0 } });
  }, 240_000);
});
