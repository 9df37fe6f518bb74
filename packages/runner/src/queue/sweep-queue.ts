/**
 * Queued sweeps (`gripgen curve|coverage … --queue`): the data (source demos, datasets) is made
 * once by the command, then one job per (series, N or D, seed) point trains and evaluates that
 * point on any worker, caching it under `<out>/runs` exactly as a one-machine sweep does (a
 * point done twice is written twice with the same content); the worker that finds every point
 * in writes the report (curve.json, curve.csv, curve.svg, curve.png, report.html).
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { formatZodError } from '@gripgen/sim-core';
import { hashJson, makeDirectory, writeFileAtomic, type JsonValue } from '@gripgen/trajgen';
import { Queue, Worker, type Job } from 'bullmq';
import { z } from 'zod';
import { writeCurveArtifacts, type CurveArtifacts } from '../curve/curve-artifacts.js';
import { runSweep, type SweepEvent } from '../sweep/run-sweep.js';
import { parseSweepConfig, type SweepConfig } from '../sweep/sweep-config.js';
import { RETRY_DELAY_MS } from './generation-queue.js';
import { queueDir } from './plan.js';
import { connectionOptions, type QueueUrl } from './queue-url.js';

/** Name of the BullMQ queue of sweep points. */
export const SWEEP_QUEUE = 'gripgen-sweep';

/** The plan of a queued sweep. */
export const sweepPlanFile = (out: string) => join(queueDir(out), 'sweep.json');

const pointSchema = z.strictObject({ series: z.string().min(1), x: z.number().int().min(1), seed: z.number().int().min(0) });

/** One point of a sweep: a series, its N (or D in a coverage law) and a training seed. */
export type SweepPoint = z.infer<typeof pointSchema>;

const sweepPlanSchema = z.strictObject({
  version: z.literal(1),
  sweepId: z.string().min(1),
  out: z.string().min(1),
  title: z.string(),
  config: z.record(z.string(), z.unknown()),
  points: z.array(pointSchema).min(1),
  jobAttempts: z.number().int().min(1).max(100),
});

/** `<out>/.queue/sweep.json`. */
export type SweepPlan = z.infer<typeof sweepPlanSchema>;

const sweepJobSchema = z.strictObject({ out: z.string().min(1), sweepId: z.string().min(1), point: pointSchema });

/** What a point's job returns. */
export interface SweepJobResult {
  out: string;
  point: SweepPoint;
  worker: string;
  /** Whether this job wrote the report (it found every point in). */
  reported: boolean;
}

/** Opens the sweep queue at `url` (errors to `onError`, default ignored: the connection retries). */
export function openSweepQueue(url: QueueUrl, onError: (error: Error) => void = () => {}): Queue {
  const queue = new Queue(SWEEP_QUEUE, { connection: connectionOptions(url) });
  queue.on('error', onError);
  return queue;
}

/** Every point of a sweep config, in report order. */
export function sweepPoints(config: SweepConfig): SweepPoint[] {
  const xs = config.diversity ?? config.counts;
  return config.series.flatMap((s) => xs.flatMap((x) => Array.from({ length: config.seeds }, (_, seed) => ({ series: s.name, x, seed }))));
}

/** Reads and validates a queued sweep's plan. */
export async function readSweepPlan(out: string): Promise<SweepPlan> {
  const file = sweepPlanFile(out);
  const json = JSON.parse(await readFile(file, 'utf8')) as unknown;
  const parsed = sweepPlanSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${file}: ${formatZodError(parsed.error, { schema: sweepPlanSchema, input: json })}`);
  return parsed.data;
}

/** Options of {@link enqueueSweep}. */
export interface EnqueueSweepOptions {
  out: string;
  config: SweepConfig;
  title: string;
  /** Tries of a failing point before it is reported failed. */
  jobAttempts: number;
  /** Progress of the data phase (demos, generation). */
  onEvent?: (event: SweepEvent) => void;
}

/**
 * Makes the sweep's data here (or finds it), writes the plan and enqueues one job per point
 * (job id `<sweep id>-<series>-x<N>-s<seed>`: enqueuing again adds nothing).
 */
export async function enqueueSweep(queue: Queue, options: EnqueueSweepOptions): Promise<SweepPlan> {
  const out = resolve(options.out);
  await runSweep({ out, config: options.config, title: options.title, dataOnly: true, onEvent: options.onEvent });
  const sweepId = hashJson({ out, config: options.config } as unknown as JsonValue).slice('sha256:'.length, 'sha256:'.length + 16);
  const plan: SweepPlan = { version: 1, sweepId, out, title: options.title, config: options.config as unknown as Record<string, unknown>, points: sweepPoints(options.config), jobAttempts: options.jobAttempts };
  await makeDirectory(queueDir(out), 'create the queue directory');
  await writeFileAtomic(sweepPlanFile(out), `${JSON.stringify(plan, null, 2)}\n`);
  await queue.addBulk(
    plan.points.map((point) => ({
      name: 'point',
      data: { out, sweepId, point },
      opts: { jobId: `${sweepId}-${point.series}-x${point.x}-s${point.seed}`, attempts: plan.jobAttempts, backoff: { type: 'exponential', delay: RETRY_DELAY_MS }, removeOnComplete: false, removeOnFail: false },
    })),
  );
  return plan;
}

/**
 * Writes the report when every point of the sweep is cached; returns its files, or null while
 * points are missing.
 */
export async function reportSweepIfComplete(out: string): Promise<CurveArtifacts | null> {
  const plan = await readSweepPlan(out);
  const config = parseSweepConfig(plan.config);
  let complete = false;
  await runSweep({ out: plan.out, config, title: plan.title, select: () => false, onEvent: (e) => e.stage === 'plan' && (complete = e.cached === e.total) });
  if (!complete) return null;
  const report = await runSweep({ out: plan.out, config, title: plan.title });
  return writeCurveArtifacts(plan.out, report);
}

/** Options of {@link startSweepWorker}. */
export interface SweepWorkerOptions {
  queue: QueueUrl;
  name: string;
  lockDuration?: number;
  stalledInterval?: number;
  maxStalledCount?: number;
  log: (line: string) => void;
}

/** Starts a worker on the sweep queue: trains and evaluates one point at a time, writes the report after the last. */
export function startSweepWorker(options: SweepWorkerOptions): Worker {
  const { log, name } = options;
  const processor = async (job: Job): Promise<SweepJobResult> => {
    const parsed = sweepJobSchema.safeParse(job.data);
    if (!parsed.success) throw new Error(`job data: ${formatZodError(parsed.error, { schema: sweepJobSchema, input: job.data })}`);
    const { out, sweepId, point } = parsed.data;
    const plan = await readSweepPlan(out);
    if (plan.sweepId !== sweepId) throw new Error(`${out} now holds sweep ${plan.sweepId}, this job is of sweep ${sweepId}`);
    const config = parseSweepConfig(plan.config);
    const start = performance.now();
    log(`sweep ${out}: ${point.series} ${config.diversity ? 'D' : 'N'} = ${point.x}, seed ${point.seed} (try ${job.attemptsMade + 1} of ${plan.jobAttempts})`);
    await runSweep({ out, config, title: plan.title, select: (p) => p.series === point.series && p.x === point.x && p.seed === point.seed });
    log(`sweep ${out}: ${point.series} ${point.x}/${point.seed} done in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    const files = await reportSweepIfComplete(out);
    if (files) log(`sweep ${out}: every point is in; report ${files.html}`);
    return { out, point, worker: name, reported: files !== null };
  };
  const worker = new Worker(SWEEP_QUEUE, processor, {
    connection: connectionOptions(options.queue),
    name,
    concurrency: 1,
    lockDuration: options.lockDuration ?? 30_000,
    stalledInterval: options.stalledInterval ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 3,
  });
  let lastError = '';
  worker.on('error', (error) => {
    if (error.message !== lastError) log(`sweep queue error: ${error.message}`);
    lastError = error.message;
  });
  worker.on('failed', (job, error) => {
    if (job) log(`sweep job ${job.id} failed (try ${job.attemptsMade} of ${job.opts.attempts ?? 1}): ${error.message}`);
  });
  return worker;
}
