/**
 * A generation worker: takes unit jobs from the queue one at a time, generates and commits each
 * unit (or finds it committed), then settles the run — merges the dataset when its units are
 * complete, or grows the plan when the successes fall short.
 *
 * A worker that dies mid-unit (SIGKILL, a lost machine) stops renewing its job's lock; after
 * `lockDuration` another worker's stalled-job check moves the job back to waiting and it is
 * redone from the start (a unit depends only on its attempt range). A job that throws is retried
 * with backoff up to the plan's `jobAttempts`, then left failed with its error.
 */
import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import { enqueueUnits, GENERATION_QUEUE, parseUnitJobData, type UnitJobResult } from './generation-queue.js';
import { generateUnit } from './generate-unit.js';
import { mergeUnits } from './merge-units.js';
import { readPlan, writePlan } from './plan.js';
import { assessPlan, isSealed, unitSuccesses } from './plan-state.js';
import { connectionOptions, type QueueUrl } from './queue-url.js';
import { readUnitSummary } from './unit-output.js';

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

/** Starts a worker on the generation queue; `close()` finishes the running unit, then stops. */
export function startGenerationWorker(options: GenerationWorkerOptions): Worker {
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const log = options.log;
  let doneUnits = 0;
  let doneTrajectories = 0;
  const startedAt = performance.now();

  const processor = async (job: Job): Promise<UnitJobResult> => {
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
      const last = unit.firstAttempt + unit.attempts - 1;
      log(`unit ${unit.id} of ${plan.out}: attempts ${unit.firstAttempt}-${last} (try ${job.attemptsMade + 1} of ${plan.jobAttempts})`);
      // From the first finished attempt on (the Sim is created by then).
      let lastReport: number | null = null;
      const outcome = await generateUnit(plan, unit, {
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
      summary = outcome.summary;
      if (outcome.committed) {
        const successes = unitSuccesses(summary);
        doneUnits++;
        doneTrajectories += successes;
        const hours = (performance.now() - startedAt) / 3.6e6;
        log(
          `unit ${unit.id} committed: ${successes} successes of ${summary.attempts} attempts in ${summary.wallSeconds.toFixed(1)} s; ` +
            `this worker: ${doneUnits} units, ${doneTrajectories} trajectories, ${Math.round(doneTrajectories / hours)} trajectories/hour`,
        );
        Object.assign(result, { generated: true, attempts: summary.attempts, successes, wallSeconds: summary.wallSeconds });
      } else log(`unit ${unit.id}: another worker committed it first; this copy is dropped`);
    }
    result.after = await settle(plan.out, options.producer, log);
    return result;
  };

  const worker = new Worker(GENERATION_QUEUE, processor, {
    connection: connectionOptions(options.queue),
    name,
    concurrency: 1,
    lockDuration: options.lockDuration ?? 30_000,
    stalledInterval: options.stalledInterval ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 3,
  });
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
  const merged = await mergeUnits(out);
  if (merged.status === 'merged') {
    log(`${out}: sealed ${merged.manifest.counts.episodes} trajectories from ${merged.units} units`);
    return 'merged';
  }
  if (merged.status === 'busy') return 'busy';
  return merged.status === 'sealed' ? 'sealed' : 'pending';
}
