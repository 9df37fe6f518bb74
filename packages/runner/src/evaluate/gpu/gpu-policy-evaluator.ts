/**
 * Closed-loop policy evaluation fused into a webgpu Sim's step loop: observations, the policy
 * network, action chunks and outcomes stay on the GPU, and nothing is read back until the end.
 */
import { bindBuffers, createStorageBuffer, createStorageBufferWithData, createUniformBuffer, type Sim, type SimGpuAccess } from '@gripgen/sim-core';
import { binaryActionTable } from '../../policy/binary-actions.js';
import { mlpHistory, mlpOutputSize, mlpWidths } from '../../policy/mlp.js';
import type { BcPolicy } from '../../policy/policy.js';
import { encodeDispatch, GpuDenseForward, type BoundDispatch } from '../../policy/gpu/gpu-dense-forward.js';
import { GpuStepCounter } from '../../policy/gpu/step-counter.js';
import { CHUNK_EXECUTIONS, ENSEMBLE_DECAY, type ChunkExecution } from '../chunk-executor.js';
import { createEvaluationKernels } from './evaluation-kernels.js';
import { CHUNK_MODE_CODES, ChunkConfig, ObsNormalizeConfig } from './wgsl/eval-configs.js';
import { GpuOutcomeLatch, STEPS_IN_FLIGHT, type GpuEpisodeOutcomes } from './outcome-latch.js';

/**
 * Runs a {@link BcPolicy} in every world of a webgpu Sim, one episode from the Sim's last reset.
 * Each control step is one command buffer (see {@link encodeStep}):
 *
 * 1. `normalize_obs`: the Sim's observation rows → `(obs − mean) / std` (the network input);
 * 2. `dense_forward` per layer: the trainer's forward kernel (ReLU hidden layers, linear output);
 * 3. `record_chunk`: `y · std + mean` into the chunk history (the slot of this step);
 * 4. `execute_chunk`: this step's action (`first` / `open-loop` / `ensemble`, the maths of
 *    `ChunkExecutor`) written into the Sim's action buffer;
 * 5. the Sim's step kernel (`SimGpuAccess.encodeStep`);
 * 6. `latch_outcomes`: OR the flags into a per-world latch, count faults, advance the step counter.
 *
 * Steps 1–3 are skipped on the steps where `open-loop` plays a stored chunk. The step counter
 * lives on the GPU; buffers, uniforms and bind groups are created once, so a step allocates no
 * GPU object and uploads nothing. {@link readOutcomes} reads the latches back.
 *
 * A non-finite action (a policy output of NaN or ±∞) is not executed: the Sim's step kernel
 * drops it (the world holds its controller target) and flags it; the latch keeps the flag, so
 * the caller can reject the run as the CPU loop's `Sim.step` would (see `evaluatePolicy`).
 */
export class GpuPolicyEvaluator {
  /** Steps {@link run} lets run ahead of the host (see `GpuOutcomeLatch.runSteps`). */
  static readonly STEPS_IN_FLIGHT = STEPS_IN_FLIGHT;
  private step = 0;

  private constructor(
    private readonly access: SimGpuAccess,
    /** How action chunks are executed. */
    readonly execution: ChunkExecution,
    private readonly chunk: number,
    private readonly forward: GpuDenseForward,
    private readonly dispatches: Readonly<Record<'normalize' | 'record' | 'execute', BoundDispatch>>,
    private readonly latch: GpuOutcomeLatch,
    private readonly owned: readonly { destroy(): void }[],
  ) {}

  /**
   * Compiles the kernels and uploads the policy (parameters and normalization) to the Sim's
   * device. Create it right after `sim.reset()`: step 0 of the evaluation is the step after
   * that reset, for every world. Throws if the Sim is not on the webgpu backend or the policy's
   * shapes differ from the task's.
   */
  static async create(sim: Sim, policy: BcPolicy, execution: ChunkExecution): Promise<GpuPolicyEvaluator> {
    if (!CHUNK_EXECUTIONS.includes(execution)) {
      throw new Error(`chunk execution must be one of ${CHUNK_EXECUTIONS.join(', ')}, got ${String(execution)}`);
    }
    const access = sim.gpuAccess();
    const { device, numWorlds, outputLayout } = access;
    const { spec } = policy;
    if (mlpHistory(spec) !== 1) {
      throw new Error(`GpuPolicyEvaluator: the GPU loop has no observation history yet; this policy reads ${mlpHistory(spec)} steps (evaluate it on the CPU loop)`);
    }
    if (spec.obsSize !== outputLayout.obsSize || spec.actionSize !== access.actionSize) {
      throw new Error(
        `policy maps ${spec.obsSize} observations to ${spec.actionSize} actions; the Sim has ${outputLayout.obsSize} and ${access.actionSize}`,
      );
    }
    const kernels = await createEvaluationKernels(device);
    device.pushErrorScope('validation');
    device.pushErrorScope('out-of-memory');
    const k = spec.chunk;
    const a = spec.actionSize;
    const slots = execution === 'ensemble' ? k : 1;
    const stats = (mean: Float32Array, std: Float32Array) => {
      const out = new Float32Array(2 * mean.length);
      out.set(mean);
      out.set(std, mean.length);
      return out;
    };
    const params = createStorageBufferWithData(device, policy.params, 'eval policy params');
    const obsStats = createStorageBufferWithData(device, stats(policy.normalization.obs.mean, policy.normalization.obs.std), 'eval obs stats');
    const actionStats = createStorageBufferWithData(
      device,
      stats(policy.normalization.action.mean, policy.normalization.action.std),
      'eval action stats',
    );
    const levels = createStorageBufferWithData(device, binaryActionTable(policy.binaryActions, a), 'eval action levels');
    const activations = mlpWidths(spec).map((w, l) => createStorageBuffer(device, numWorlds * w, `eval activations ${l}`));
    const history = createStorageBuffer(device, slots * numWorlds * mlpOutputSize(spec), 'eval chunk history');
    const counter = new GpuStepCounter(device);
    const normalizeConfig = createUniformBuffer(
      device,
      ObsNormalizeConfig,
      { numWorlds, obsSize: spec.obsSize, outputStride: outputLayout.strideWords, obsOffset: outputLayout.obsOffsetWords },
      'eval normalize config',
    );
    const chunkConfig = createUniformBuffer(
      device,
      ChunkConfig,
      { numWorlds, chunk: k, actionSize: a, mode: CHUNK_MODE_CODES[execution], slots, decay: ENSEMBLE_DECAY },
      'eval chunk config',
    );
    const forward = new GpuDenseForward(device, kernels.denseForward, spec, numWorlds, params, activations, 'eval policy');
    const bound = (pipeline: GPUComputePipeline, buffers: GPUBuffer[], invocations: number, label: string): BoundDispatch => ({
      pipeline,
      bindGroup: bindBuffers(device, pipeline, buffers, label),
      invocations,
    });
    const normalize = bound(kernels.normalizeObs, [normalizeConfig, access.outputs, obsStats, activations[0]], numWorlds * spec.obsSize, 'eval normalize');
    const record = bound(
      kernels.recordChunk,
      [chunkConfig, activations[activations.length - 1], actionStats, counter.buffer, history],
      numWorlds * k * a,
      'eval record chunk',
    );
    const execute = bound(kernels.executeChunk, [chunkConfig, history, counter.buffer, access.actions, levels], numWorlds * a, 'eval execute chunk');
    const latch = GpuOutcomeLatch.create(access, kernels.latchOutcomes, counter.buffer);
    const owned = [params, obsStats, actionStats, levels, ...activations, history, latch, counter, normalizeConfig, chunkConfig, forward];
    const oom = await device.popErrorScope();
    const invalid = await device.popErrorScope();
    const error = oom ?? invalid;
    if (error) {
      for (const o of owned) o.destroy();
      throw new Error(`GpuPolicyEvaluator: allocating ${numWorlds} worlds of policy buffers failed: ${error.message}`);
    }
    const dispatches = { normalize, record, execute };
    return new GpuPolicyEvaluator(access, execution, k, forward, dispatches, latch, owned);
  }

  /** Control steps encoded so far (the GPU step counter equals it once they have run). */
  get stepsEncoded(): number {
    return this.step;
  }

  /** Whether step {@link stepsEncoded} runs the policy (every step, except `open-loop` between queries). */
  private queriesNow(): boolean {
    return this.execution !== 'open-loop' || this.step % this.chunk === 0;
  }

  /**
   * Encodes the next control step (policy → action buffer → Sim step → latch) into `encoder`:
   * three compute passes, no upload, no readback. The caller submits; steps run in the order
   * they are submitted.
   */
  encodeStep(encoder: GPUCommandEncoder): void {
    const pass = encoder.beginComputePass();
    if (this.queriesNow()) {
      encodeDispatch(pass, this.dispatches.normalize);
      this.forward.encode(pass);
      encodeDispatch(pass, this.dispatches.record);
    }
    encodeDispatch(pass, this.dispatches.execute);
    pass.end();
    this.access.encodeStep(encoder);
    this.latch.encode(encoder);
    this.step++;
  }

  /**
   * Submits `steps` control steps, one command buffer each, keeping at most
   * {@link STEPS_IN_FLIGHT} in flight; calls `onStep(done, steps)` after each submit. Resolves
   * once the last one is submitted ({@link readOutcomes} waits for them). Throws on a WebGPU
   * validation or memory error.
   */
  run(steps: number, onStep?: (done: number, total: number) => void): Promise<void> {
    return this.latch.runSteps(steps, (encoder) => this.encodeStep(encoder), onStep, 'GpuPolicyEvaluator.run');
  }

  /** Reads every world's latched flags, fault and overflow counts (one readback; waits for the submitted steps). */
  readOutcomes(): Promise<GpuEpisodeOutcomes> {
    return this.latch.read();
  }

  /** Releases the evaluator's buffers (not the Sim's). */
  destroy(): void {
    for (const o of this.owned) o.destroy();
  }
}
