/**
 * What `gripgen status --queue` reports: per dataset (plan), its units done / running / waiting
 * / failed (with their errors), the workers connected to the queue, and trajectories per hour,
 * overall and per worker, from the finished jobs' results; per queued sweep, its points.
 */
import type { Job, Queue } from 'bullmq';
import { parseUnitJobData, type UnitJobResult } from './generation-queue.js';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isSealed } from './plan-state.js';

/** A unit that ended failed: its error and tries. */
export interface FailedUnit {
  unitId: string;
  tries: number;
  error: string;
}

/** A unit being generated now. */
export interface RunningUnit {
  unitId: string;
  worker: string | null;
  attempts: number | null;
  successes: number | null;
  total: number | null;
}

/** Throughput of one worker over the units it generated. */
export interface WorkerRate {
  worker: string;
  units: number;
  trajectories: number;
  /** Trajectories per hour of this worker's time from its first unit's start to its last unit's end. */
  trajectoriesPerHour: number;
}

/** One dataset's queued run. */
export interface RunStatus {
  out: string;
  planId: string;
  /** Whether `<out>` holds the sealed dataset (null when this machine cannot see `<out>`). */
  sealed: boolean | null;
  units: { done: number; running: number; waiting: number; failed: number };
  failed: FailedUnit[];
  running: RunningUnit[];
  /** Successful trajectories generated (before the merge keeps the first `count`). */
  trajectories: number;
  /** Trajectories per hour from the first unit's start to the last unit's end (all workers together). */
  trajectoriesPerHour: number;
  perWorker: WorkerRate[];
}

/** One queued sweep (`gripgen curve|coverage --queue`): its (series, N, seed) points. */
export interface SweepStatus {
  out: string;
  sweepId: string;
  /** Whether its report (report.html) is written (null when this machine cannot see `<out>`). */
  reported: boolean | null;
  points: { done: number; running: number; waiting: number; failed: number };
  /** Failed points: `<series> N=<n> seed <seed>`, tries and error. */
  failed: Array<{ point: string; tries: number; error: string }>;
}

/** The whole queue. */
export interface QueueStatus {
  /** Worker names connected to the queue now. */
  workers: string[];
  runs: RunStatus[];
  sweeps: SweepStatus[];
}

const rate = (trajectories: number, firstStart: number, lastEnd: number) => (lastEnd > firstStart ? (trajectories * 3.6e6) / (lastEnd - firstStart) : 0);

/** Gathers the points of every queued sweep. */
async function gatherSweeps(sweepQueue: Queue): Promise<SweepStatus[]> {
  const sweeps = new Map<string, SweepStatus>();
  for (const state of ['completed', 'active', 'waiting', 'delayed', 'prioritized', 'failed'] as const) {
    for (const job of await sweepQueue.getJobs([state], 0, -1, true)) {
      const data = job.data as { out?: unknown; sweepId?: unknown; point?: { series?: unknown; x?: unknown; seed?: unknown } };
      if (typeof data.out !== 'string' || typeof data.sweepId !== 'string' || !data.point) continue;
      let sweep = sweeps.get(data.sweepId);
      if (!sweep) {
        sweep = { out: data.out, sweepId: data.sweepId, reported: null, points: { done: 0, running: 0, waiting: 0, failed: 0 }, failed: [] };
        sweeps.set(data.sweepId, sweep);
      }
      if (state === 'completed') sweep.points.done++;
      else if (state === 'active') sweep.points.running++;
      else if (state === 'failed') {
        sweep.points.failed++;
        sweep.failed.push({ point: `${String(data.point.series)} ${String(data.point.x)} seed ${String(data.point.seed)}`, tries: job.attemptsMade, error: job.failedReason ?? '(no error recorded)' });
      } else sweep.points.waiting++;
    }
  }
  for (const sweep of sweeps.values()) sweep.reported = await stat(join(sweep.out, 'report.html')).then(() => true, () => false);
  return [...sweeps.values()];
}

/** Gathers the status of every run in the queue (and of every queued sweep, given the sweep queue). */
export async function gatherQueueStatus(queue: Queue, sweepQueue?: Queue): Promise<QueueStatus> {
  const clients = await queue.getWorkers();
  const workers = [...new Set(clients.map((c) => (c.rawname ?? '').split(':w:')[1] ?? '(unnamed)'))].sort();
  const states = ['completed', 'active', 'waiting', 'delayed', 'prioritized', 'failed'] as const;
  const runs = new Map<string, RunStatus>();
  const spans = new Map<string, { first: number; last: number; workers: Map<string, { units: number; trajectories: number; first: number; last: number }> }>();
  for (const state of states) {
    const jobs: Job[] = await queue.getJobs([state], 0, -1, true);
    for (const job of jobs) {
      let data;
      try {
        data = parseUnitJobData(job.data);
      } catch {
        continue;
      }
      let run = runs.get(data.planId);
      if (!run) {
        run = { out: data.out, planId: data.planId, sealed: null, units: { done: 0, running: 0, waiting: 0, failed: 0 }, failed: [], running: [], trajectories: 0, trajectoriesPerHour: 0, perWorker: [] };
        runs.set(data.planId, run);
        spans.set(data.planId, { first: Infinity, last: -Infinity, workers: new Map() });
      }
      if (state === 'completed') {
        run.units.done++;
        const result = job.returnvalue as UnitJobResult | null;
        if (result?.generated && job.finishedOn) {
          const end = job.finishedOn;
          const start = end - result.wallSeconds * 1000;
          const span = spans.get(data.planId)!;
          span.first = Math.min(span.first, start);
          span.last = Math.max(span.last, end);
          run.trajectories += result.successes;
          const w = span.workers.get(result.worker) ?? { units: 0, trajectories: 0, first: Infinity, last: -Infinity };
          w.units++;
          w.trajectories += result.successes;
          w.first = Math.min(w.first, start);
          w.last = Math.max(w.last, end);
          span.workers.set(result.worker, w);
        }
      } else if (state === 'active') {
        run.units.running++;
        const p = job.progress as { attempts?: number; successes?: number; total?: number; worker?: string } | number;
        const progress = typeof p === 'object' && p !== null ? p : {};
        run.running.push({ unitId: data.unit.id, worker: progress.worker ?? null, attempts: progress.attempts ?? null, successes: progress.successes ?? null, total: progress.total ?? null });
      } else if (state === 'failed') {
        run.units.failed++;
        run.failed.push({ unitId: data.unit.id, tries: job.attemptsMade, error: job.failedReason ?? '(no error recorded)' });
      } else run.units.waiting++;
    }
  }
  for (const run of runs.values()) {
    const span = spans.get(run.planId)!;
    run.trajectoriesPerHour = rate(run.trajectories, span.first, span.last);
    run.perWorker = [...span.workers.entries()]
      .map(([worker, w]) => ({ worker, units: w.units, trajectories: w.trajectories, trajectoriesPerHour: rate(w.trajectories, w.first, w.last) }))
      .sort((a, b) => a.worker.localeCompare(b.worker));
    run.sealed = await isSealed(run.out).then((sealed) => sealed, () => null);
  }
  return { workers, runs: [...runs.values()], sweeps: sweepQueue ? await gatherSweeps(sweepQueue) : [] };
}
