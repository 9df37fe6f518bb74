/**
 * A generation worker: takes unit jobs from the queue one at a time, generates and commits each
 * unit (or finds it committed), then settles the run — merges the dataset when its units are
 * complete, or grows the plan when the successes fall short.
 *
 * A worker that dies mid-unit (SIGKILL, a lost machine) stops renewing its job's lock; after
 * `lockDuration` another worker's stalled-job check moves the job back to waiting and it is
 * redone from the start (a unit depends only on its attempt range). A job that throws is retried
 * with backoff up to the plan's `jobAttempts`, then left failed with its error.
 *
 * Units run through one {@link UnitPipeline} (one Sim, the source demos read once): the worker
 * takes one job at a time, and a second one only when every attempt of the first has started,
 * so the next unit fills the worlds the first one's last attempts leave (`onHungry` raises the
 * concurrency to 2 until that job arrives) without holding a unit another worker could run.
 */
import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import { enqueueUnits, GENERATION_QUEUE, parseUnitJobData, type UnitJobResult } from './generation-queue.js';
import { mergeUnits } from './merge-units.js';
import { readPlan, writePlan } from './plan.js';
import { assessPlan, isSealed, unitSuccesses } from './plan-state.js';
import { connectionOptions, type QueueUrl } from './queue-url.js';
import { readUnitSummary } from './unit-output.js';
import { UnitPipeline } from './unit-pipeline.js';

/** Options of {@link startGenerationWorker}. */
export interface GenerationWorkerOptions {
  queue: QueueUrl;
  /** The queue, for enqueuing units when a plan grows. */
  producer: Queue;
  /** Worker name shown by `gripgen status` (default `host:pid`). */
  name?: string;
  /** How long a job's lock lasts without renewal (ms); a dead worker's unit is redone after about this long. Default 30000. */
  lockDuration?: number;
  /** How often this worker looks for stalled jobs (ms). Default 30000. */
  stalledInterval?: number;
  /** How many times a unit may stall (its worker die) before it is failed. Default 3. */
  maxStalledCount?: number;
  /** Receives one line per event (unit started, progress, done, failed, merged). */
  log: (line: string) => void;
}

/** Seconds between a unit's progress lines (and job progress updates). */
const PROGRESS_SECONDS = 5;

/** A BullMQ worker whose `close()` also disposes its pipeline's Sim. */
class GenerationWorker extends Worker {
  pipeline: UnitPipeline | null = null;
  stopping = false;

  override async close(force = false): Promise<void> {
    this.stopping = true;
    await super.close(force);
    await this.pipeline?.dispose();
  }
}

/** Starts a worker on the generation queue; `close()` finishes the running units, then stops. */
export function startGenerationWorker(options: GenerationWorkerOptions): Worker {
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const log = options.log;
  let doneUnits = 0;
  let doneTrajectories = 0;
  const startedAt = performance.now();
  let active = 0;
  let worker: GenerationWorker | null = null;
  /** Takes one more job while the pipeline's worlds would otherwise fall idle. */
  const onHungry = () => {
    const w = worker;
    if (!w || w.stopping || active !== 1 || w.concurrency !== 1) return;
    w.concurrency = 2;
    // BullMQ's loop waits for the running job; pause without waiting and resume wake it to fetch.
    void w.pause(true).then(() => (w.stopping ? undefined : w.resume()));
  };
  const pipeline = new UnitPipeline({ onHungry });

  const processor = async (job: Job): Promise<UnitJobResult> => {
    active++;
    // The job that ends a hunger (or any job): one at a time again.
    if (worker) worker.concurrency = 1;
    try {
      return await processUnit(job);
    } finally {
      active--;
    }
  };

  const processUnit = async (job: Job): Promise<UnitJobResult> => {
    const data = parseUnitJobData(job.data);
    const plan = await readPlan(data.out);
    if (plan.planId !== data.planId) {
      throw new UnrecoverableError(`${data.out} now holds plan ${plan.planId}, this job is of plan ${data.planId}: the dataset was re-planned`);
    }
    const { unit } = data;
    const result: UnitJobResult = { out: plan.out, planId: plan.planId, unitId: unit.id, worker: name, generated: false, attempts: 0, successes: 0, wallSeconds: 0, after: 'pending' };
    if (await isSealed(plan.out)) {
      log(`unit ${unit.id} of ${plan.out}: the dataset is sealed already; nothing to do`);
      return { ...result, after: 'sealed' };
    }
    let summary = await readUnitSummary(plan.out, unit.id);
    if (summary) log(`unit ${unit.id} of ${plan.out}: committed already (by ${summary.worker})`);
    else {
      const unneeded = await pipeline.unneededAfter(plan, unit);
      if (unneeded === null) {
        const last = unit.firstAttempt + unit.attempts - 1;
        log(`unit ${unit.id} of ${plan.out}: attempts ${unit.firstAttempt}-${last} (try ${job.attemptsMade + 1} of ${plan.jobAttempts})`);
      }
      // From the first finished attempt on (the Sim is created by then).
      let lastReport: number | null = null;
      const outcome = unneeded !== null ? { summary: null, unneededAfter: unneeded } : await pipeline.run(plan, unit, {
        worker: name,
        onProgress: (p) => {
          const now = performance.now();
          lastReport ??= now;
          if (now - lastReport < PROGRESS_SECONDS * 1000 && p.attempts < p.total) return;
          lastReport = now;
          void job.updateProgress({ attempts: p.attempts, successes: p.successes, total: p.total, worker: name }).catch(() => {});
          if (p.attempts < p.total) log(`unit ${unit.id}: ${p.attempts}/${p.total} attempts, ${p.successes} successes`);
        },
      });
      if (outcome.summary === null) {
        log(`unit ${unit.id} of ${plan.out}: not needed (the units before it hold ${outcome.unneededAfter} successes of the ${plan.target.count} wanted)`);
        result.after = await settle(plan.out, options.producer, log);
        return result;
      }
      summary = outcome.summary;
      if (outcome.committed) {
        const successes = unitSuccesses(summary);
        doneUnits++;
        doneTrajectories += successes;
        const hours = (performance.now() - startedAt) / 3.6e6;
        log(
          `unit ${unit.id} committed: ${successes} successes of ${summary.attempts} attempts${outcome.cut ? ` (cut at the target's last success)` : ''} in ${summary.wallSeconds.toFixed(1)} s; ` +
            `this worker: ${doneUnits} units, ${doneTrajectories} trajectories, ${Math.round(doneTrajectories / hours)} trajectories/hour`,
        );
        Object.assign(result, { generated: true, attempts: summary.attempts, successes, wallSeconds: summary.wallSeconds });
      } else log(`unit ${unit.id}: another worker committed it first; this copy is dropped`);
    }
    result.after = await settle(plan.out, options.producer, log);
    return result;
  };

  worker = new GenerationWorker(GENERATION_QUEUE, processor, {
    connection: connectionOptions(options.queue),
    name,
    concurrency: 1,
    lockDuration: options.lockDuration ?? 30_000,
    stalledInterval: options.stalledInterval ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 3,
  });
  worker.pipeline = pipeline;
  let lastError = '';
  worker.on('error', (error) => {
    // Redis going away is reported once per distinct message; ioredis reconnects by itself.
    if (error.message !== lastError) log(`queue error: ${error.message}`);
    lastError = error.message;
  });
  worker.on('ready', () => {
    if (lastError !== '') log('queue connection is back');
    lastError = '';
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError;
    log(`unit job ${job.id} failed (try ${job.attemptsMade} of ${job.opts.attempts ?? 1}${final ? ', giving up' : ', will be retried'}): ${error.message}`);
  });
  return worker;
}

/**
 * After a unit: merges the dataset when the units that make it are committed, or, when every
 * unit is committed and the successes fall short, adds units to the plan and the queue.
 */
export async function settle(out: string, producer: Queue, log: (line: string) => void): Promise<UnitJobResult['after']> {
  const plan = await readPlan(out);
  const state = await assessPlan(plan);
  if (state.kind === 'sealed') return 'sealed';
  if (state.kind === 'pending') return 'pending';
  if (state.kind === 'extend') {
    const grown = { ...plan, units: [...plan.units, ...state.units] };
    await writePlan(grown);
    await enqueueUnits(producer, grown, state.units);
    log(`${out}: ${state.successes} successes of ${state.attempts} attempts, ${plan.target.count} wanted: added units ${state.units[0].id}-${state.units[state.units.length - 1].id}`);
    return 'extended';
  }
  const mergeStart = performance.now();
  const merged = await mergeUnits(out);
  if (merged.status === 'merged') {
    log(`${out}: sealed ${merged.manifest.counts.episodes} trajectories from ${merged.units} units in ${((performance.now() - mergeStart) / 1000).toFixed(2)} s`);
    return 'merged';
  }
  if (merged.status === 'busy') return 'busy';
  return merged.status === 'sealed' ? 'sealed' : 'pending';
}
