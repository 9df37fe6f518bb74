import { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../util/start-worker.js';
import type { CpuEngine } from './cpu-engine.js';
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

/** A shard owned by a worker thread (with its own instance of the engine's module). */
export class WorkerShard<I, S> implements ShardHandle<I, S> {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(engine: CpuEngine<I, S>) {
    this.worker = startModuleWorker(engine.worker.callerUrl, engine.worker.entryBase);
    this.worker.on('message', (response: ShardResponse) => {
      const waiter = this.pending.get(response.id);
      if (!waiter) return;
      this.pending.delete(response.id);
      if (response.ok) waiter.resolve(response.result);
      else waiter.reject(new Error(`${engine.label} worker failed: ${response.error}`));
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`${engine.label} worker exited with code ${code}`));
    });
  }

  call(request: ShardCall<I, S>): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
