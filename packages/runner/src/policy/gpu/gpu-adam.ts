/**
 * Adam on the GPU: moment buffers, the per-step table (bias corrections, scheduled rate) and the bound update
 * kernel for one parameter buffer. Same maths and defaults as {@link Adam} (adam.ts).
 */
import { bindBuffers, createStorageBuffer, createStorageBufferWithData, createUniformBuffer, dispatchLinear } from '@gripgen/sim-core';
import { Adam, type AdamOptions } from '../adam.js';
import { lrScale, type LrSchedule } from '../lr-schedule.js';
import type { TrainingKernels } from './training-kernels.js';
import { AdamConfig } from './wgsl/kernel-configs.js';

/** What {@link GpuAdam} updates. */
export interface GpuAdamTarget {
  readonly params: GPUBuffer;
  readonly grads: GPUBuffer;
  readonly parameterCount: number;
}

/** Options of {@link GpuAdam}: Adam's hyperparameters, the schedule and how many steps the per-step table covers. */
export interface GpuAdamOptions extends AdamOptions {
  /**
   * Steps the per-step table covers (16 bytes each), and the run length of `lrSchedule`. Steps
   * past it reuse its last entry, which is wrong until the corrections have converged to 1:
   * size it to the run.
   */
  readonly maxSteps: number;
  /** Learning-rate schedule over `maxSteps` (default `constant`). */
  readonly lrSchedule?: LrSchedule;
}

/** Adam state on the GPU. The step index `t − 1` comes from the step-state buffer. */
export class GpuAdam {
  /** First-moment estimate m (zero at creation). */
  readonly m: GPUBuffer;
  /** Second-moment estimate v (zero at creation). */
  readonly v: GPUBuffer;
  private readonly config: GPUBuffer;
  private readonly corrections: GPUBuffer;
  private readonly pipeline: GPUComputePipeline;
  private readonly bindGroup: GPUBindGroup;
  private readonly count: number;

  constructor(device: GPUDevice, kernels: TrainingKernels, target: GpuAdamTarget, stepState: GPUBuffer, options: GpuAdamOptions) {
    if (!Number.isInteger(options.maxSteps) || options.maxSteps < 1) {
      throw new Error(`GpuAdam: maxSteps must be a positive integer, got ${options.maxSteps}`);
    }
    const reference = new Adam(0, options); // validates and applies the defaults
    const { lr, beta1, beta2, epsilon, weightDecay } = reference;
    this.count = target.parameterCount;
    this.m = createStorageBuffer(device, this.count, 'policy adam m');
    this.v = createStorageBuffer(device, this.count, 'policy adam v');
    this.config = createUniformBuffer(
      device,
      AdamConfig,
      { count: this.count, beta1, oneMinusBeta1: 1 - beta1, beta2, oneMinusBeta2: 1 - beta2, epsilon },
      'policy adam config',
    );
    // Per step: the bias corrections 1 − β1ᵗ, 1 − β2ᵗ, and the scheduled lr and weight decay.
    const table = new Float32Array(4 * options.maxSteps);
    for (let step = 0; step < options.maxSteps; step++) {
      const rate = lr * lrScale(options.lrSchedule ?? 'constant', step, options.maxSteps);
      table[4 * step] = 1 - beta1 ** (step + 1);
      table[4 * step + 1] = 1 - beta2 ** (step + 1);
      table[4 * step + 2] = rate;
      table[4 * step + 3] = rate * weightDecay;
    }
    this.corrections = createStorageBufferWithData(device, table, 'policy adam corrections');
    this.bindGroup = bindBuffers(
      device,
      kernels.adamUpdate,
      [this.config, stepState, this.corrections, target.grads, target.params, this.m, this.v],
      'policy adam',
    );
    this.pipeline = kernels.adamUpdate;
  }

  /** Encodes one update of the parameters from the gradients (the step index is read on the GPU). */
  encode(pass: GPUComputePassEncoder): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroup);
    dispatchLinear(pass, this.count);
  }

  /** Releases the moments, the table and the uniforms. */
  destroy(): void {
    for (const b of [this.m, this.v, this.config, this.corrections]) b.destroy();
  }
}
