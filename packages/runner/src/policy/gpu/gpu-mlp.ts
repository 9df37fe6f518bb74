/**
 * The policy MLP on the GPU for a fixed batch size: parameter, gradient, activation and delta
 * buffers (same layouts as mlp.ts), with the bind groups of the forward and backward kernels
 * created once, so encoding a pass allocates no GPU object.
 */
import { bindBuffers, createStorageBuffer, createUniformBuffer } from '@gripgen/sim-core';
import { mlpLayerOffsets, mlpOutputSize, mlpParameterCount, mlpWidths, validateMlpSpec, type MlpSpec } from '../mlp.js';
import { encodeDispatch, GpuDenseForward, type BoundDispatch } from './gpu-dense-forward.js';
import type { TrainingKernels } from './training-kernels.js';
import { MseConfig } from './wgsl/kernel-configs.js';

const blocks = (n: number) => Math.ceil(n / 4);

/**
 * Buffers and bound kernels of one MLP. Layout of every buffer is row-major by batch row:
 * `activations[l]` holds `batchSize × widths[l]` values (`activations[0]` the input, written by
 * the caller or the batch gather; the last one the output), `deltas[l]` the loss gradient
 * w.r.t. `activations[l + 1]`, `target` the `batchSize × chunk × actionSize` targets.
 */
export class GpuMlp {
  readonly spec: MlpSpec;
  readonly batchSize: number;
  readonly parameterCount: number;
  /** Flat parameters, layout of mlp.ts. */
  readonly params: GPUBuffer;
  /** Loss gradient of every parameter (overwritten by each backward pass). */
  readonly grads: GPUBuffer;
  readonly activations: readonly GPUBuffer[];
  readonly deltas: readonly GPUBuffer[];
  readonly target: GPUBuffer;
  private readonly uniforms: GPUBuffer[] = [];
  private readonly forward: GpuDenseForward;
  private readonly backward: BoundDispatch[] = [];

  constructor(device: GPUDevice, kernels: TrainingKernels, spec: MlpSpec, batchSize: number) {
    validateMlpSpec(spec);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`GpuMlp: batchSize must be a positive integer, got ${batchSize}`);
    this.spec = spec;
    this.batchSize = batchSize;
    this.parameterCount = mlpParameterCount(spec);
    this.params = createStorageBuffer(device, this.parameterCount, 'policy params');
    this.grads = createStorageBuffer(device, this.parameterCount, 'policy grads');
    const widths = mlpWidths(spec);
    this.activations = widths.map((w, l) => createStorageBuffer(device, batchSize * w, `policy activations ${l}`));
    this.deltas = widths.slice(1).map((w, l) => createStorageBuffer(device, batchSize * w, `policy deltas ${l + 1}`));
    const outputCount = batchSize * mlpOutputSize(spec);
    this.target = createStorageBuffer(device, outputCount, 'policy target');

    const layers = mlpLayerOffsets(spec);
    this.forward = new GpuDenseForward(device, kernels.denseForward, spec, batchSize, this.params, this.activations);
    const layerUniforms = this.forward.layerUniforms;

    const mseUniform = createUniformBuffer(device, MseConfig, { count: outputCount, scale: 2 / outputCount }, 'policy mse');
    this.uniforms.push(mseUniform);
    const last = layers.length;
    this.backward.push({
      pipeline: kernels.mseDelta,
      bindGroup: bindBuffers(device, kernels.mseDelta, [mseUniform, this.activations[last], this.target, this.deltas[last - 1]], 'policy mse delta'),
      invocations: outputCount,
    });
    for (let l = last - 1; l >= 0; l--) {
      const layer = layers[l];
      this.backward.push({
        pipeline: kernels.denseParamGrads,
        bindGroup: bindBuffers(device, kernels.denseParamGrads, [layerUniforms[l], this.activations[l], this.deltas[l], this.grads], `policy param grads ${l}`),
        invocations: blocks(layer.fanOut) * blocks(layer.fanIn),
      });
      if (l > 0) {
        this.backward.push({
          pipeline: kernels.denseInputDelta,
          bindGroup: bindBuffers(
            device,
            kernels.denseInputDelta,
            [layerUniforms[l], this.params, this.activations[l], this.deltas[l], this.deltas[l - 1]],
            `policy input delta ${l}`,
          ),
          invocations: blocks(batchSize) * blocks(layer.fanIn),
        });
      }
    }
  }

  /** The network output buffer (`batchSize × chunk × actionSize`). */
  get output(): GPUBuffer {
    return this.activations[this.activations.length - 1];
  }

  /** Encodes the forward pass: `activations[0]` → every layer → {@link output}. */
  encodeForward(pass: GPUComputePassEncoder): void {
    this.forward.encode(pass);
  }

  /**
   * Encodes the backward pass of the mean-squared error against {@link target}: output delta,
   * then per layer (output side first) its parameter gradients into {@link grads} and, except
   * for the first layer, the delta of its input. Encode after {@link encodeForward}.
   */
  encodeBackward(pass: GPUComputePassEncoder): void {
    for (const d of this.backward) encodeDispatch(pass, d);
  }

  /** Releases every buffer. */
  destroy(): void {
    for (const b of [this.params, this.grads, ...this.activations, ...this.deltas, this.target, ...this.uniforms]) b.destroy();
    this.forward.destroy();
  }
}
