/**
 * Compiles the kernels of a GPU policy evaluation: the training `dense_forward` kernel (the
 * same WGSL the trainer runs) and the evaluation-only stages (wgsl/).
 */
import { composeWgsl, type AssembledShader, type StructLayout } from '@gripgen/shaders';
import { createComputePipeline, INVOCATION_WGSL } from '@gripgen/sim-core';
import { trainingKernelSources } from '../../policy/gpu/training-kernels.js';
import { StepState } from '../../policy/gpu/wgsl/kernel-configs.js';
import { ChunkConfig, LatchConfig, ObsNormalizeConfig } from './wgsl/eval-configs.js';
import { EXECUTE_CHUNK_WGSL } from './wgsl/execute-chunk.js';
import { LATCH_OUTCOMES_WGSL } from './wgsl/latch-outcomes.js';
import { NORMALIZE_OBS_WGSL } from './wgsl/normalize-obs.js';
import { RECORD_CHUNK_WGSL } from './wgsl/record-chunk.js';

/** The compute pipelines of one evaluation step, each with its own (`auto`) bind-group layout. */
export interface EvaluationKernels {
  readonly normalizeObs: GPUComputePipeline;
  readonly denseForward: GPUComputePipeline;
  readonly recordChunk: GPUComputePipeline;
  readonly executeChunk: GPUComputePipeline;
  readonly latchOutcomes: GPUComputePipeline;
}

function kernelModule(name: string, structs: readonly StructLayout[], origin: string, text: string): AssembledShader {
  return composeWgsl(name, structs, [
    { origin: 'invocation', text: INVOCATION_WGSL },
    { origin, text },
  ]);
}

/** The assembled WGSL of every evaluation kernel, by entry point (exposed for tests and tooling). */
export function evaluationKernelSources(): Record<keyof EvaluationKernels, { shader: AssembledShader; entryPoint: string }> {
  return {
    normalizeObs: { shader: kernelModule('eval-normalize-obs', [ObsNormalizeConfig], 'normalize-obs', NORMALIZE_OBS_WGSL), entryPoint: 'normalize_obs' },
    denseForward: trainingKernelSources().denseForward,
    recordChunk: { shader: kernelModule('eval-record-chunk', [ChunkConfig, StepState], 'record-chunk', RECORD_CHUNK_WGSL), entryPoint: 'record_chunk' },
    executeChunk: { shader: kernelModule('eval-execute-chunk', [ChunkConfig, StepState], 'execute-chunk', EXECUTE_CHUNK_WGSL), entryPoint: 'execute_chunk' },
    latchOutcomes: { shader: kernelModule('eval-latch-outcomes', [LatchConfig, StepState], 'latch-outcomes', LATCH_OUTCOMES_WGSL), entryPoint: 'latch_outcomes' },
  };
}

/**
 * Compiles every evaluation kernel on `device` (in parallel). Throws `ShaderCompileError` naming
 * the kernel, file piece and line on a compile error.
 */
export async function createEvaluationKernels(device: GPUDevice): Promise<EvaluationKernels> {
  const sources = evaluationKernelSources();
  const names = Object.keys(sources) as (keyof EvaluationKernels)[];
  const pipelines = await Promise.all(names.map((n) => createComputePipeline(device, sources[n].shader, sources[n].entryPoint)));
  return Object.fromEntries(names.map((n, i) => [n, pipelines[i]])) as unknown as EvaluationKernels;
}
