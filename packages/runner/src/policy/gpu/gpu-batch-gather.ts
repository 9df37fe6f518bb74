/**
 * The normalized, flattened training set on the GPU and the bound batch-gather kernel that fills
 * the MLP's input and target buffers with the mini-batch of the current step (sample indices
 * derived on the GPU from the seed and the GPU step counter: nothing is uploaded per step).
 */
import { bindBuffers, createStorageBufferWithData, createUniformBuffer, dispatchLinear } from '@gripgen/sim-core';
import { mlpInputSize, mlpOutputSize } from '../mlp.js';
import { SAMPLING_STREAM, type FlatDataset } from '../train.js';
import type { GpuMlp } from './gpu-mlp.js';
import type { TrainingKernels } from './training-kernels.js';
import { GatherConfig } from './wgsl/kernel-configs.js';

/** Largest dataset the sample-index arithmetic reproduces exactly (see batch-gather.ts). */
export const MAX_GPU_SAMPLES = 2 ** 29 - 1;

/** Dataset buffers and the gather kernel bound to one {@link GpuMlp}. */
export class GpuBatchGather {
  private readonly buffers: GPUBuffer[];
  private readonly bindGroup: GPUBindGroup;
  private readonly pipeline: GPUComputePipeline;
  private readonly invocations: number;

  /** Uploads `data` (once) and binds the gather to `mlp`'s input and target buffers. */
  constructor(device: GPUDevice, kernels: TrainingKernels, data: FlatDataset, mlp: GpuMlp, stepState: GPUBuffer, seed: number) {
    const { spec, batchSize } = mlp;
    if (data.samples > MAX_GPU_SAMPLES) throw new Error(`GpuBatchGather: ${data.samples} samples exceed ${MAX_GPU_SAMPLES}`);
    const inputSize = mlpInputSize(spec);
    if (data.obs.length !== data.samples * inputSize || data.actions.length !== data.samples * spec.actionSize) {
      throw new Error('GpuBatchGather: dataset shapes do not match the MLP spec');
    }
    const config = createUniformBuffer(
      device,
      GatherConfig,
      {
        seed: seed >>> 0,
        stream: SAMPLING_STREAM,
        samples: data.samples,
        batch: batchSize,
        // The gather copies whole input rows (an observation history row where the policy reads one).
        obsSize: inputSize,
        actionSize: spec.actionSize,
        chunk: spec.chunk,
      },
      'policy gather config',
    );
    const obs = createStorageBufferWithData(device, data.obs, 'policy dataset obs');
    const actions = createStorageBufferWithData(device, data.actions, 'policy dataset actions');
    const lastIndex = createStorageBufferWithData(device, data.lastIndex, 'policy dataset last index');
    this.buffers = [config, obs, actions, lastIndex];
    this.pipeline = kernels.batchGather;
    this.bindGroup = bindBuffers(device, kernels.batchGather, [config, stepState, obs, actions, lastIndex, mlp.activations[0], mlp.target], 'policy gather');
    this.invocations = batchSize * (inputSize + mlpOutputSize(spec));
  }

  /** Encodes the gather of the current step's mini-batch into the MLP's input and target. */
  encode(pass: GPUComputePassEncoder): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroup);
    dispatchLinear(pass, this.invocations);
  }

  /** Releases the dataset buffers. */
  destroy(): void {
    for (const b of this.buffers) b.destroy();
  }
}
