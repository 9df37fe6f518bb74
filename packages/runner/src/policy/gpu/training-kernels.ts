/**
 * Compiles the WGSL training kernels of the behaviour-cloning MLP into compute pipelines, once
 * per device; the `Gpu*` stages bind their buffers to them.
 */
import { composeWgsl, shaderSource, type AssembledShader, type StructLayout } from '@gripgen/shaders';
import { createComputePipeline, INVOCATION_WGSL } from '@gripgen/sim-core';
import { ADAM_UPDATE_WGSL } from './wgsl/adam-update.js';
import { BATCH_GATHER_WGSL, SAMPLE_INDEX_WGSL } from './wgsl/batch-gather.js';
import { DENSE_FORWARD_WGSL } from './wgsl/dense-forward.js';
import { DENSE_INPUT_DELTA_WGSL } from './wgsl/dense-input-delta.js';
import { DENSE_PARAM_GRADS_WGSL } from './wgsl/dense-param-grads.js';
import { AdamConfig, DenseLayerConfig, GatherConfig, LossConfig, MseConfig, StepState } from './wgsl/kernel-configs.js';
import { LOSS_REDUCE_WGSL } from './wgsl/loss-reduce.js';
import { MSE_DELTA_WGSL } from './wgsl/mse-delta.js';

/** The compute pipelines of one training step, each with its own (`auto`) bind-group layout. */
export interface TrainingKernels {
  readonly denseForward: GPUComputePipeline;
  readonly denseParamGrads: GPUComputePipeline;
  readonly denseInputDelta: GPUComputePipeline;
  readonly mseDelta: GPUComputePipeline;
  readonly lossReduce: GPUComputePipeline;
  readonly adamUpdate: GPUComputePipeline;
  readonly batchGather: GPUComputePipeline;
}

/** A kernel module: its structs, then the invocation helpers, then its own WGSL. */
function kernelModule(name: string, structs: readonly StructLayout[], ...pieces: [origin: string, text: string][]): AssembledShader {
  return composeWgsl(name, structs, [
    { origin: 'invocation', text: INVOCATION_WGSL },
    ...pieces.map(([origin, text]) => ({ origin, text })),
  ]);
}

/** The assembled WGSL of every training kernel, by entry point (exposed for tests and tooling). */
export function trainingKernelSources(): Record<keyof TrainingKernels, { shader: AssembledShader; entryPoint: string }> {
  return {
    denseForward: { shader: kernelModule('policy-dense-forward', [DenseLayerConfig], ['dense-forward', DENSE_FORWARD_WGSL]), entryPoint: 'dense_forward' },
    denseParamGrads: {
      shader: kernelModule('policy-dense-param-grads', [DenseLayerConfig], ['dense-param-grads', DENSE_PARAM_GRADS_WGSL]),
      entryPoint: 'dense_param_grads',
    },
    denseInputDelta: {
      shader: kernelModule('policy-dense-input-delta', [DenseLayerConfig], ['dense-input-delta', DENSE_INPUT_DELTA_WGSL]),
      entryPoint: 'dense_input_delta',
    },
    mseDelta: { shader: kernelModule('policy-mse-delta', [MseConfig], ['mse-delta', MSE_DELTA_WGSL]), entryPoint: 'mse_delta' },
    lossReduce: { shader: kernelModule('policy-loss-reduce', [LossConfig, StepState], ['loss-reduce', LOSS_REDUCE_WGSL]), entryPoint: 'loss_reduce' },
    adamUpdate: { shader: kernelModule('policy-adam-update', [AdamConfig, StepState], ['adam-update', ADAM_UPDATE_WGSL]), entryPoint: 'adam_update' },
    batchGather: {
      shader: kernelModule(
        'policy-batch-gather',
        [GatherConfig, StepState],
        ['hash-prng.wgsl', shaderSource('hash-prng')],
        ['sample-index', SAMPLE_INDEX_WGSL],
        ['batch-gather', BATCH_GATHER_WGSL],
      ),
      entryPoint: 'batch_gather',
    },
  };
}

/**
 * Compiles every training kernel on `device` (in parallel). Throws `ShaderCompileError` naming
 * the kernel, file piece and line on a compile error.
 */
export async function createTrainingKernels(device: GPUDevice): Promise<TrainingKernels> {
  const sources = trainingKernelSources();
  const names = Object.keys(sources) as (keyof TrainingKernels)[];
  const pipelines = await Promise.all(names.map((n) => createComputePipeline(device, sources[n].shader, sources[n].entryPoint)));
  return Object.fromEntries(names.map((n, i) => [n, pipelines[i]])) as unknown as TrainingKernels;
}
