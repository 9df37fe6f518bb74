/** The trainer of a sweep: plain TS in worker threads, or the WGSL kernels on a hardware GPU. */
import { availableParallelism } from 'node:os';
import { acquireGpu, formatAdapter, type GpuContext } from '@gripgen/sim-core';
import { trainPolicyGpu } from '../policy/gpu/train-gpu.js';
import { sharedEpisodePrefix, type SharedEpisodes } from '../policy/shared-episodes.js';
import { TrainPool, type PooledTrainOptions } from '../policy/train-pool.js';
import type { TrainPolicyResult, TrainProgress } from '../policy/train.js';
import type { SweepConfig } from './sweep-config.js';

/** Training progress is reported every this many optimizer steps. */
const TRAIN_EVENT_EVERY = 50;

/** How policies are trained: in worker threads on the CPU, or with WGSL kernels on a GPU device. */
export interface Trainer {
  readonly kind: 'cpu' | 'webgpu';
  /** Why this trainer was chosen (for the report). */
  readonly reason: string;
  train(data: SharedEpisodes, count: number, options: PooledTrainOptions, onProgress: (p: TrainProgress) => void): Promise<TrainPolicyResult>;
  close(): Promise<void>;
}

/**
 * Picks the trainer for `jobs` trainings: `auto` uses the WGSL trainer only on a hardware GPU
 * adapter (on SwiftShader the TS trainer is about twice as fast), `cpu` a pool of
 * `trainWorkers` worker threads (default one per core, at most `jobs`).
 */
export async function createTrainer(config: SweepConfig, jobs: number): Promise<Trainer> {
  let gpu: GpuContext | null = null;
  let reason = `trainer ${config.trainer} requested`;
  if (config.trainer !== 'cpu') {
    try {
      gpu = await acquireGpu({ onNotice: () => {} });
    } catch (error) {
      if (config.trainer === 'webgpu') throw error;
      reason = `auto: no WebGPU adapter (${(error as Error).message})`;
    }
    if (gpu && config.trainer === 'auto' && gpu.adapterInfo.isSoftware) {
      reason = `auto: adapter ${formatAdapter(gpu.adapterInfo)} is software; the TS trainer is faster there (npm run bench:train)`;
      gpu.release();
      gpu = null;
    } else if (gpu && config.trainer === 'auto') {
      reason = `auto: hardware adapter ${formatAdapter(gpu.adapterInfo)}`;
    }
  }
  if (gpu) {
    const context = gpu;
    // One training at a time on the device (each holds its dataset and buffers while it runs).
    let queue: Promise<unknown> = Promise.resolve();
    return {
      kind: 'webgpu',
      reason,
      train: (data, count, options, onProgress) => {
        const run = queue.then(() =>
          trainPolicyGpu({ ...options, episodes: sharedEpisodePrefix(data, count), device: context.device, onProgress }),
        );
        queue = run.catch(() => undefined);
        return run;
      },
      close: async () => context.release(),
    };
  }
  const size = Math.max(1, Math.min(config.trainWorkers ?? availableParallelism(), jobs));
  const pool = new TrainPool(size, TRAIN_EVENT_EVERY);
  return {
    kind: 'cpu',
    reason: `${reason}; ${size} worker thread${size === 1 ? '' : 's'}`,
    train: (data, count, options, onProgress) => pool.train(data, count, options, onProgress),
    close: () => pool.close(),
  };
}
