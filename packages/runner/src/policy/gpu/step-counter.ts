/**
 * The GPU-resident step counter of a training run ({@link StepState}): read by the batch-gather
 * and Adam kernels, incremented by the loss-reduce kernel at the end of each step.
 */
import { createStorageBufferWithData } from '@gripgen/sim-core';
import { StepState } from './wgsl/kernel-configs.js';

/** Owns the step-state buffer. */
export class GpuStepCounter {
  /** One {@link StepState} struct. */
  readonly buffer: GPUBuffer;
  private readonly word = new Uint32Array(StepState.size / 4);

  constructor(
    private readonly device: GPUDevice,
    step = 0,
  ) {
    this.word[0] = step;
    this.buffer = createStorageBufferWithData(device, this.word, 'policy step state');
  }

  /** Sets the step the next encoded work starts at (queued write, ordered before later submits). */
  set(step: number): void {
    this.word[0] = step;
    this.device.queue.writeBuffer(this.buffer, 0, this.word);
  }

  /** Releases the buffer. */
  destroy(): void {
    this.buffer.destroy();
  }
}
