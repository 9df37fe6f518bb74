/**
 * The forward pass of the policy MLP over caller-owned buffers: one `dense_forward` dispatch per
 * layer, each with its layer uniform and bind group created once. The trainer (`GpuMlp`) and
 * the GPU policy evaluator both encode their forward pass through it.
 */
import { bindBuffers, createUniformBuffer, dispatchLinear } from '@gripgen/sim-core';
import { mlpLayerOffsets, mlpWidths, type MlpSpec } from '../mlp.js';
import { DenseLayerConfig } from './wgsl/kernel-configs.js';

/** A bound kernel: pipeline, bind group 0 and how many invocations to dispatch. */
export interface BoundDispatch {
  readonly pipeline: GPUComputePipeline;
  readonly bindGroup: GPUBindGroup;
  readonly invocations: number;
}

/** Encodes `d` into `pass` (a linear dispatch of at least `d.invocations` invocations). */
export function encodeDispatch(pass: GPUComputePassEncoder, d: BoundDispatch): void {
  pass.setPipeline(d.pipeline);
  pass.setBindGroup(0, d.bindGroup);
  dispatchLinear(pass, d.invocations);
}

const blocks = (n: number) => Math.ceil(n / 4);

/**
 * Forward dispatches of `spec` for batches of `batchSize` rows: layer `l` reads
 * `activations[l]` (`batchSize × widths[l]`) and the flat `params` (mlp.ts layout) and writes
 * `activations[l + 1]`, ReLU on hidden layers.
 */
export class GpuDenseForward {
  /** One {@link DenseLayerConfig} uniform per layer, input side first (the backward kernels bind them too). */
  readonly layerUniforms: readonly GPUBuffer[];
  private readonly dispatches: readonly BoundDispatch[];

  /** `denseForward`: the compiled `dense_forward` kernel (`TrainingKernels.denseForward`). */
  constructor(
    device: GPUDevice,
    denseForward: GPUComputePipeline,
    spec: MlpSpec,
    batchSize: number,
    params: GPUBuffer,
    activations: readonly GPUBuffer[],
    label = 'policy',
  ) {
    const layers = mlpLayerOffsets(spec);
    if (activations.length !== mlpWidths(spec).length) {
      throw new Error(`GpuDenseForward: ${activations.length} activation buffers, the spec needs ${mlpWidths(spec).length}`);
    }
    this.layerUniforms = layers.map((layer, l) =>
      createUniformBuffer(
        device,
        DenseLayerConfig,
        {
          batch: batchSize,
          fanIn: layer.fanIn,
          fanOut: layer.fanOut,
          weightOffset: layer.weight,
          biasOffset: layer.bias,
          relu: l + 1 < layers.length ? 1 : 0,
        },
        `${label} layer ${l}`,
      ),
    );
    this.dispatches = layers.map((layer, l) => ({
      pipeline: denseForward,
      bindGroup: bindBuffers(device, denseForward, [this.layerUniforms[l], params, activations[l], activations[l + 1]], `${label} forward ${l}`),
      invocations: blocks(batchSize) * blocks(layer.fanOut),
    }));
  }

  /** Encodes every layer, input side first. */
  encode(pass: GPUComputePassEncoder): void {
    for (const d of this.dispatches) encodeDispatch(pass, d);
  }

  /** Releases the layer uniforms (the parameter and activation buffers belong to the caller). */
  destroy(): void {
    for (const b of this.layerUniforms) b.destroy();
  }
}
