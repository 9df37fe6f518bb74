/**
 * What `gripgen status --queue` reports: per dataset (plan), its units done / running / waiting
 * / failed (with their errors), the workers connected to the queue, and trajectories per hour,
 * overall and per worker, from the finished jobs' results.
 */
import type { Job, Queue } from 'bullmq';
import { parseUnitJobData, type UnitJobResult } from './generation-queue.js';
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

/** The whole queue. */
export interface QueueStatus {
  /** Worker names connected to the queue now. */
  workers: string[];
  runs: RunStatus[];
}

const rate = (trajectories: number, firstStart: number, lastEnd: number) => (lastEnd > firstStart ? (trajectories * 3.6e6) / (lastEnd - firstStart) : 0);

/** Gathers the status of every run in the queue. */
export async function gatherQueueStatus(queue: Queue): Promise<QueueStatus> {
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
  return { workers, runs: [...runs.values()] };
}
