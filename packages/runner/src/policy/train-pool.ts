/**
 * Trains several behaviour-cloning policies at once, one per worker thread, with the plain-TS
 * trainer. Results are bit-identical to calling {@link trainPolicy} in the calling thread with
 * the same options (same code, same float operations).
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '@gripgen/sim-core/node';
import { BcPolicy, type BcPolicyData } from './policy.js';
import type { SharedEpisodes } from './shared-episodes.js';
import type { TrainPolicyOptions, TrainPolicyResult, TrainProgress } from './train.js';

/** What a pooled training job trains with: `trainPolicy`'s options minus the data and callback. */
export type PooledTrainOptions = Omit<TrainPolicyOptions, 'episodes' | 'onProgress'>;

/** Message to a training worker. */
export interface TrainWorkerRequest {
  id: number;
  data: SharedEpisodes;
  /** Train on the first `count` episodes of `data`. */
  count: number;
  options: PooledTrainOptions;
  progressEvery: number;
}

/** Message from a training worker. */
export type TrainWorkerResponse =
  | { id: number; type: 'progress'; progress: TrainProgress }
  | {
      id: number;
      type: 'done';
      result: { policy: BcPolicyData; lossHistory: Float32Array; samples: number; trainMs: number };
    }
  | { id: number; type: 'error'; message: string };

interface Job {
  request: TrainWorkerRequest;
  onProgress?: (progress: TrainProgress) => void;
  resolve: (result: TrainPolicyResult) => void;
  reject: (error: Error) => void;
}

/** A fixed set of training worker threads fed from a queue. */
export class TrainPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<Worker, Job>();
  private nextId = 0;
  private closed = false;
  /** Why the pool stopped, when a worker failed. */
  private failure: Error | null = null;

  /**
   * @param size worker threads (≥ 1)
   * @param progressEvery optimizer steps between progress reports
   */
  constructor(
    readonly size: number,
    private readonly progressEvery = 50,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`TrainPool size must be a positive integer, got ${size}`);
    for (let i = 0; i < size; i++) {
      const worker = startModuleWorker(import.meta.url, './train-worker');
      worker.unref();
      worker.on('message', (message: TrainWorkerResponse) => this.onMessage(worker, message));
      worker.on('error', (error) => this.onFailure(worker, error));
      this.all.push(worker);
      this.idle.push(worker);
    }
  }

  /** Trains a policy on the first `count` episodes of `data`; resolves when a worker finished it. */
  train(data: SharedEpisodes, count: number, options: PooledTrainOptions, onProgress?: (p: TrainProgress) => void): Promise<TrainPolicyResult> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('TrainPool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, data, count, options, progressEvery: this.progressEvery }, onProgress, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops the workers; pending jobs are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('TrainPool closed'));
    await Promise.all(this.all.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.running.set(worker, job);
      worker.ref();
      worker.postMessage(job.request);
    }
  }

  private finish(worker: Worker): Job | undefined {
    const job = this.running.get(worker);
    this.running.delete(worker);
    worker.unref();
    this.idle.push(worker);
    return job;
  }

  private onMessage(worker: Worker, message: TrainWorkerResponse): void {
    const job = this.running.get(worker);
    if (!job || job.request.id !== message.id) return;
    if (message.type === 'progress') {
      job.onProgress?.(message.progress);
      return;
    }
    this.finish(worker);
    if (message.type === 'done') {
      const { policy, lossHistory, samples, trainMs } = message.result;
      job.resolve({ policy: new BcPolicy(policy), lossHistory, samples, trainMs });
    } else {
      job.reject(new Error(message.message));
    }
    this.dispatch();
  }

  private onFailure(worker: Worker, error: Error): void {
    this.failure ??= new Error(`training worker failed: ${error.message}`);
    const job = this.running.get(worker);
    this.running.delete(worker);
    job?.reject(this.failure);
    for (const queued of this.queue.splice(0)) queued.reject(this.failure);
    this.closed = true;
  }
}
