/**
 * One behaviour-cloning training run on the GPU: the MLP, Adam, the dataset with its batch
 * gather, the loss log and the step counter, all created once. A step is one command buffer of
 * one compute pass — gather → forward → MSE delta → backward → Adam → loss reduce — with no
 * upload and no readback.
 */
import { readBuffer } from '@gripgen/sim-core';
import type { AdamOptions } from '../adam.js';
import type { LrSchedule } from '../lr-schedule.js';
import type { MlpSpec } from '../mlp.js';
import type { FlatDataset } from '../train.js';
import { GpuAdam } from './gpu-adam.js';
import { GpuBatchGather } from './gpu-batch-gather.js';
import { GpuMlp } from './gpu-mlp.js';
import { GpuLossLog } from './loss-log.js';
import { GpuStepCounter } from './step-counter.js';
import { createTrainingKernels, type TrainingKernels } from './training-kernels.js';

const STEP_LABEL = { label: 'policy train step' } as const;

/** Everything a {@link GpuTrainer} is built from. */
export interface GpuTrainerOptions {
  readonly spec: MlpSpec;
  readonly batchSize: number;
  /** Normalized, flattened dataset (train.ts `flattenDataset`). */
  readonly data: FlatDataset;
  /** Seeds the mini-batch sampling (the initialization is given in `initialParams`). */
  readonly seed: number;
  /** Steps the run may take: sizes the loss log and Adam's correction table. */
  readonly maxSteps: number;
  /** Starting parameters (mlp.ts layout). */
  readonly initialParams: Float32Array;
  /** Adam's hyperparameters and learning-rate schedule (over `maxSteps`). */
  readonly adam?: AdamOptions & { lrSchedule?: LrSchedule };
  /** Most losses one {@link GpuTrainer.readLosses} copies (default `maxSteps`). */
  readonly maxLossRead?: number;
  /** Compiled kernels to reuse (default: compiled for this trainer). */
  readonly kernels?: TrainingKernels;
}

/** A GPU training run; {@link GpuTrainer.create} it, {@link GpuTrainer.step} it, {@link GpuTrainer.destroy} it. */
export class GpuTrainer {
  /** Steps submitted so far (the GPU counter reaches it once they have run). */
  stepsSubmitted = 0;

  private constructor(
    readonly device: GPUDevice,
    readonly mlp: GpuMlp,
    readonly adam: GpuAdam,
    readonly gather: GpuBatchGather,
    readonly lossLog: GpuLossLog,
    readonly counter: GpuStepCounter,
  ) {}

  /** Compiles the kernels (unless given), creates every buffer and uploads the dataset and parameters. */
  static async create(device: GPUDevice, options: GpuTrainerOptions): Promise<GpuTrainer> {
    const kernels = options.kernels ?? (await createTrainingKernels(device));
    const maxSteps = Math.max(1, options.maxSteps);
    const mlp = new GpuMlp(device, kernels, options.spec, options.batchSize);
    if (options.initialParams.length !== mlp.parameterCount) {
      mlp.destroy();
      throw new Error(`GpuTrainer: initialParams has ${options.initialParams.length} floats, the spec needs ${mlp.parameterCount}`);
    }
    device.queue.writeBuffer(mlp.params, 0, options.initialParams);
    const counter = new GpuStepCounter(device);
    const adam = new GpuAdam(device, kernels, mlp, counter.buffer, { ...options.adam, maxSteps });
    const gather = new GpuBatchGather(device, kernels, options.data, mlp, counter.buffer, options.seed);
    const lossLog = new GpuLossLog(device, kernels, mlp, counter.buffer, maxSteps, options.maxLossRead ?? maxSteps);
    return new GpuTrainer(device, mlp, adam, gather, lossLog, counter);
  }

  /** Encodes one training step into `encoder` (one compute pass). */
  encodeStep(encoder: GPUCommandEncoder): void {
    const pass = encoder.beginComputePass(STEP_LABEL);
    this.gather.encode(pass);
    this.mlp.encodeForward(pass);
    this.mlp.encodeBackward(pass);
    this.adam.encode(pass);
    this.lossLog.encode(pass); // last: it advances the step counter the gather and Adam read
    pass.end();
  }

  /**
   * Submits one training step (one command buffer); returns without waiting for the GPU.
   * Allocates no buffer or bind group, only the encoder and command buffer WebGPU requires.
   */
  step(): void {
    const encoder = this.device.createCommandEncoder(STEP_LABEL);
    this.encodeStep(encoder);
    this.device.queue.submit([encoder.finish()]);
    this.stepsSubmitted++;
  }

  /** Losses of steps `from … to − 1` into `dst[from … to − 1]`, after the submitted work. */
  readLosses(from: number, to: number, dst: Float32Array): Promise<void> {
    return this.lossLog.read(from, to, dst);
  }

  /** The current parameters (after the submitted steps). */
  async readParams(): Promise<Float32Array> {
    return new Float32Array(await readBuffer(this.device, this.mlp.params));
  }

  /** Releases every GPU buffer of the run (the kernels stay usable). */
  destroy(): void {
    this.lossLog.destroy();
    this.gather.destroy();
    this.adam.destroy();
    this.counter.destroy();
    this.mlp.destroy();
  }
}
