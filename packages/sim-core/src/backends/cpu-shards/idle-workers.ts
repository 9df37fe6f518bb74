import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';

/**
 * Shard workers that finished their Sim, kept a short while for the next Sim of the same
 * engine (see `WorkerShard`).
 *
 * Why: a worker thread is a V8 isolate plus the engine's WASM module (and, run from the
 * TypeScript sources, tsx's loader). Starting and ending one per shard per Sim made resident
 * memory climb by hundreds of MB over tens of create/dispose cycles (freed isolates leave
 * their pages with the allocator) and cost seconds per `createSim`. A parked worker holds no
 * worlds (its shard was disposed), does not keep the process alive (unref'd), and ends after
 * {@link IDLE_WORKER_MS} unused, so a program that stops making Sims gets its threads back.
 */

/** How long an idle shard worker waits for the next Sim before it is ended (ms). */
export const IDLE_WORKER_MS = 5000;

/** At most this many idle workers per engine (a Sim's default thread count). */
const MAX_IDLE_PER_ENTRY = availableParallelism();

interface IdleWorker {
  worker: Worker;
  timer: ReturnType<typeof setTimeout>;
  /** Forgets the worker when it exits or fails while parked. */
  onEnd: () => void;
}

/** Idle workers by entry (one list per engine's worker module). */
const idle = new Map<string, IdleWorker[]>();

function remove(entry: string, parked: IdleWorker): void {
  const list = idle.get(entry);
  const at = list?.indexOf(parked) ?? -1;
  if (at >= 0) list!.splice(at, 1);
  if (list?.length === 0) idle.delete(entry);
  clearTimeout(parked.timer);
  parked.worker.off('exit', parked.onEnd);
  parked.worker.off('error', parked.onEnd);
}

/** An idle worker of `entry`, referenced again (it keeps the process alive while in use); undefined if none. */
export function takeIdleWorker(entry: string): Worker | undefined {
  const parked = idle.get(entry)?.at(-1);
  if (!parked) return undefined;
  remove(entry, parked);
  parked.worker.ref();
  return parked.worker;
}

/**
 * Parks `worker` (whose shard holds no worlds and which has no listeners of its last owner)
 * for reuse by {@link takeIdleWorker}; ends it when enough workers of `entry` wait already.
 */
export function parkIdleWorker(entry: string, worker: Worker): void {
  const list = idle.get(entry) ?? [];
  if (list.length >= MAX_IDLE_PER_ENTRY) {
    void worker.terminate();
    return;
  }
  const parked: IdleWorker = {
    worker,
    timer: setTimeout(() => {
      remove(entry, parked);
      void worker.terminate();
    }, IDLE_WORKER_MS),
    onEnd: () => {
      remove(entry, parked);
      void worker.terminate();
    },
  };
  parked.timer.unref?.();
  worker.on('exit', parked.onEnd);
  worker.on('error', parked.onEnd);
  worker.unref();
  list.push(parked);
  idle.set(entry, list);
}

/** Ends every idle shard worker now (e.g. before measuring threads); resolves when they have exited. */
export async function endIdleWorkers(): Promise<void> {
  const all = [...idle.entries()].flatMap(([entry, list]) => list.map((parked) => ({ entry, parked })));
  await Promise.all(
    all.map(({ entry, parked }) => {
      remove(entry, parked);
      return parked.worker.terminate();
    }),
  );
}

/** Number of idle shard workers (all engines). */
export function idleWorkerCount(): number {
  let count = 0;
  for (const list of idle.values()) count += list.length;
  return count;
}
