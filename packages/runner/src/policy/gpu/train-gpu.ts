/**
 * `trainPolicyGpu`: the behaviour-cloning trainer of train.ts with every step run by the WGSL
 * kernels of this folder. Same options, same sampling, same initialization and same result type
 * as {@link trainPolicy}; results agree with it to f32 rounding (sums run in another order).
 */
import { acquireGpu, GpuDeviceError, type GpuContext } from '@gripgen/sim-core';
import { initMlpParams } from '../mlp.js';
import { BcPolicy } from '../policy.js';
import { prepareTraining, type TrainPolicyOptions, type TrainPolicyResult } from '../train.js';
import { GpuTrainer } from './gpu-trainer.js';

/** Default of {@link TrainPolicyGpuOptions.lossReadbackEvery}. */
export const DEFAULT_LOSS_READBACK_EVERY = 100;

/** Options of {@link trainPolicyGpu}: those of `trainPolicy`, plus where and how often to synchronize. */
export interface TrainPolicyGpuOptions extends TrainPolicyOptions {
  /**
   * Device to train on. Default: one acquired like the WebGPU sim backend does (`acquireGpu`:
   * hardware adapter, else SwiftShader), released at the end.
   */
  readonly device?: GPUDevice;
  /**
   * Steps between loss readbacks (default {@link DEFAULT_LOSS_READBACK_EVERY}; also at the end).
   * Steps are submitted without waiting; each readback waits for the GPU to finish them.
   */
  readonly lossReadbackEvery?: number;
}

/**
 * Trains a BC policy on the GPU. Each step is one command buffer (gather → forward → backward →
 * Adam → loss), with nothing uploaded or read back; the per-step losses stay on the GPU and are
 * read back every `lossReadbackEvery` steps and at the end. So `lossHistory` is complete (every
 * step, as from `trainPolicy`), but `onProgress` is called in bursts: after each readback, once
 * per step of that block, in order. `trainMs` covers the loop including its readbacks and the
 * final parameter readback (not kernel compilation or dataset upload). Throws a
 * `GpuDeviceError` if the device reports a validation or out-of-memory error.
 */
export async function trainPolicyGpu(options: TrainPolicyGpuOptions): Promise<TrainPolicyResult> {
  const { spec, batchSize, normalization, binaryActions, data, steps, lrSchedule } = prepareTraining(options, 'trainPolicyGpu');
  const readEvery = options.lossReadbackEvery ?? DEFAULT_LOSS_READBACK_EVERY;
  if (!Number.isInteger(readEvery) || readEvery < 1) {
    throw new Error(`trainPolicyGpu: lossReadbackEvery must be a positive integer, got ${readEvery}`);
  }
  let acquired: GpuContext | undefined;
  let device = options.device;
  if (!device) {
    acquired = await acquireGpu({ label: 'gripgen policy training' });
    device = acquired.device;
  }
  const scopes = new ErrorScopes(device);
  let trainer: GpuTrainer | undefined;
  try {
    trainer = await GpuTrainer.create(device, {
      spec,
      batchSize,
      data,
      seed: options.seed,
      maxSteps: steps,
      initialParams: initMlpParams(spec, options.seed),
      adam: { lr: options.lr, weightDecay: options.weightDecay, lrSchedule },
      maxLossRead: readEvery,
    });
    await scopes.check();
    const lossHistory = new Float32Array(steps);
    let read = 0;
    const start = performance.now();
    for (let step = 0; step < steps; step++) {
      trainer.step();
      if ((step + 1) % readEvery !== 0 && step + 1 !== steps) continue;
      await trainer.readLosses(read, step + 1, lossHistory);
      await scopes.check();
      if (options.onProgress) {
        for (let s = read; s <= step; s++) options.onProgress({ step: s + 1, steps, loss: lossHistory[s] });
      }
      read = step + 1;
    }
    const params = await trainer.readParams();
    const trainMs = performance.now() - start;
    await scopes.check();
    const policy = new BcPolicy({ spec, params, normalization, obsNames: options.obsNames, actionNames: options.actionNames, binaryActions });
    return { policy, lossHistory, samples: data.samples, trainMs };
  } finally {
    trainer?.destroy();
    await scopes.close();
    acquired?.release();
  }
}

/** Validation and out-of-memory error scopes kept open around the run, checked at each readback. */
class ErrorScopes {
  private open = false;

  constructor(private readonly device: GPUDevice) {
    this.push();
  }

  private push(): void {
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    this.open = true;
  }

  private async pop(): Promise<GPUError | null> {
    this.open = false;
    const validation = await this.device.popErrorScope();
    const memory = await this.device.popErrorScope();
    return validation ?? memory;
  }

  /** Throws the first error since the last check; keeps the scopes open. */
  async check(): Promise<void> {
    const error = await this.pop();
    this.push();
    if (error) {
      const kind = typeof GPUValidationError !== 'undefined' && error instanceof GPUValidationError ? 'validation' : 'out-of-memory';
      throw new GpuDeviceError(`trainPolicyGpu: WebGPU ${kind} error: ${error.message}`, kind);
    }
  }

  /** Pops the scopes (errors after the last check are dropped: the run already failed or ended). */
  async close(): Promise<void> {
    if (this.open) await this.pop();
  }
}
