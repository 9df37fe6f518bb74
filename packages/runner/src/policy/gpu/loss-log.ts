/**
 * Per-step losses kept on the GPU: the loss-reduce kernel writes the loss of step `s` to entry
 * `s` (and ends the step by advancing the step counter); the host copies them back in blocks,
 * so training needs no readback per step.
 */
import { bindBuffers, createStorageBuffer, createUniformBuffer, GpuWait } from '@gripgen/sim-core';
import { mlpOutputSize } from '../mlp.js';
import type { GpuMlp } from './gpu-mlp.js';
import type { TrainingKernels } from './training-kernels.js';
import { LossConfig } from './wgsl/kernel-configs.js';

/** Loss buffer for `capacity` steps, the bound loss-reduce kernel and a reusable staging buffer. */
export class GpuLossLog {
  /** One f32 per step. */
  readonly buffer: GPUBuffer;
  readonly capacity: number;
  private readonly config: GPUBuffer;
  private readonly bindGroup: GPUBindGroup;
  private readonly pipeline: GPUComputePipeline;
  private readonly staging: GPUBuffer;
  private readonly stagingEntries: number;
  /** The readback sleeps before it waits (see GpuWait). */
  private readonly waits = new GpuWait();

  /**
   * @param capacity steps whose loss is kept (a step past it is computed but not stored)
   * @param maxRead most entries one {@link read} copies (sizes the staging buffer)
   */
  constructor(
    private readonly device: GPUDevice,
    kernels: TrainingKernels,
    mlp: GpuMlp,
    stepState: GPUBuffer,
    capacity: number,
    maxRead: number,
  ) {
    this.capacity = Math.max(1, capacity);
    this.buffer = createStorageBuffer(device, this.capacity, 'policy loss log');
    this.config = createUniformBuffer(device, LossConfig, { count: mlp.batchSize * mlpOutputSize(mlp.spec) }, 'policy loss config');
    this.pipeline = kernels.lossReduce;
    this.bindGroup = bindBuffers(device, kernels.lossReduce, [this.config, mlp.output, mlp.target, this.buffer, stepState], 'policy loss reduce');
    this.stagingEntries = Math.max(1, Math.min(maxRead, this.capacity));
    this.staging = device.createBuffer({ label: 'policy loss staging', size: 4 * this.stagingEntries, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  }

  /** Encodes the loss of the current step into the log and the increment of the step counter. */
  encode(pass: GPUComputePassEncoder): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroup);
    pass.dispatchWorkgroups(1);
  }

  /**
   * Copies the losses of steps `from … to − 1` (at most `maxRead` of them) into `dst` at the same
   * indices, after all submitted work. Resolves when they are there.
   */
  async read(from: number, to: number, dst: Float32Array): Promise<void> {
    const count = to - from;
    if (count <= 0) return;
    if (count > this.stagingEntries || to > this.capacity) {
      throw new Error(`GpuLossLog.read: steps ${from}…${to - 1} exceed the staging (${this.stagingEntries}) or capacity (${this.capacity})`);
    }
    const encoder = this.device.createCommandEncoder({ label: 'policy loss readback' });
    encoder.copyBufferToBuffer(this.buffer, 4 * from, this.staging, 0, 4 * count);
    this.device.queue.submit([encoder.finish()]);
    await this.waits.run('losses', () => this.staging.mapAsync(GPUMapMode.READ, 0, 4 * count));
    dst.set(new Float32Array(this.staging.getMappedRange(0, 4 * count)), from);
    this.staging.unmap();
  }

  /** Releases the buffers. */
  destroy(): void {
    for (const b of [this.buffer, this.config, this.staging]) b.destroy();
  }
}
