import { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../util/start-worker.js';
import type { CpuEngine } from './cpu-engine.js';
import { parkIdleWorker, takeIdleWorker } from './idle-workers.js';
import { handleShardCall, type CpuShard, type ShardCall, type ShardResponse } from './shard-protocol.js';

/** One shard of worlds, in this thread or in a worker thread. */
export interface ShardHandle<I, S> {
  call(request: ShardCall<I, S>): Promise<unknown>;
  close(): Promise<void>;
}

/** A shard stepped in the calling thread (threads: 0). */
export class InlineShard<I, S> implements ShardHandle<I, S> {
  private readonly shard: { current: CpuShard<S> | undefined } = { current: undefined };

  constructor(private readonly engine: CpuEngine<I, S>) {}

  call(request: ShardCall<I, S>): Promise<unknown> {
    return handleShardCall(this.shard, request, (init) => this.engine.createShard(init));
  }

  async close(): Promise<void> {
    this.shard.current?.dispose();
    this.shard.current = undefined;
  }
}

/**
 * A shard owned by a worker thread (with its own instance of the engine's module). The worker
 * comes from the idle workers of the engine when one waits, and goes back there on `close`
 * when its shard was disposed cleanly (see idle-workers.ts); otherwise it is ended.
 */
export class WorkerShard<I, S> implements ShardHandle<I, S> {
  private readonly worker: Worker;
  private readonly entry: string;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;
  /** A request failed inside the worker: its engine may be in any state, so it is not reused. */
  private failedInside = false;
  /** Between `init` and a successful `dispose`: the worker holds worlds. */
  private holdsWorlds = false;
  private readonly onMessage: (response: ShardResponse) => void;
  private readonly onError: (error: Error) => void;
  private readonly onExit: (code: number) => void;

  constructor(engine: CpuEngine<I, S>) {
    this.entry = `${engine.worker.callerUrl}#${engine.worker.entryBase}`;
    this.worker = takeIdleWorker(this.entry) ?? startModuleWorker(engine.worker.callerUrl, engine.worker.entryBase);
    this.onMessage = (response) => {
      const waiter = this.pending.get(response.id);
      if (!waiter) return;
      this.pending.delete(response.id);
      if (response.ok) waiter.resolve(response.result);
      else {
        this.failedInside = true;
        waiter.reject(new Error(`${engine.label} worker failed: ${response.error}`));
      }
    };
    this.onError = (error) => {
      this.failure = error;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    this.onExit = (code) => this.onError(new Error(`${engine.label} worker exited with code ${code}`));
    this.worker.on('message', this.onMessage);
    this.worker.on('error', this.onError);
    this.worker.on('exit', this.onExit);
  }

  call(request: ShardCall<I, S>): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    if (request.op === 'init') this.holdsWorlds = true;
    const answer = new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
    if (request.op !== 'dispose') return answer;
    return answer.then((result) => {
      this.holdsWorlds = false;
      return result;
    });
  }

  async close(): Promise<void> {
    const reusable = !this.failure && !this.failedInside && !this.holdsWorlds && this.pending.size === 0;
    if (!reusable) {
      await this.worker.terminate();
      return;
    }
    this.worker.off('message', this.onMessage);
    this.worker.off('error', this.onError);
    this.worker.off('exit', this.onExit);
    parkIdleWorker(this.entry, this.worker);
  }
}
