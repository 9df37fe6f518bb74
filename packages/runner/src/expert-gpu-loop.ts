/**
 * A task's scripted expert run on the GPU, fused into a webgpu Sim's step loop: each control
 * step is `expert_act` (the task's WGSL expert, `Task.gpuExpert`) → the Sim's step →
 * `latch_outcomes`, and nothing comes back until the end. `runExpertEpisode` uses it on the
 * webgpu backend where the task has a GPU expert.
 */
import { composeWgsl, shaderSource } from '@gripgen/shaders';
import { bindBuffers, createComputePipeline, createStorageBuffer, createUniformBuffer, dispatchLinear, ExpertConfig, INVOCATION_WGSL, type GpuExpertProgram, type Sim, type SimGpuAccess } from '@gripgen/sim-core';
import { evaluationKernelSources } from './evaluate/gpu/evaluation-kernels.js';
import { GpuOutcomeLatch, STEPS_IN_FLIGHT, type GpuEpisodeOutcomes } from './evaluate/gpu/outcome-latch.js';
import { GpuStepCounter } from './policy/gpu/step-counter.js';

/** Runs a Sim's task expert on the GPU for one episode from the Sim's last reset. */
export class GpuExpertLoop {
  /** Steps {@link run} lets run ahead of the host (see `GpuOutcomeLatch.runSteps`). */
  static readonly STEPS_IN_FLIGHT = STEPS_IN_FLIGHT;

  private constructor(
    private readonly access: SimGpuAccess,
    private readonly act: { pipeline: GPUComputePipeline; bindGroup: GPUBindGroup },
    private readonly latch: GpuOutcomeLatch,
    private readonly owned: readonly { destroy(): void }[],
  ) {}

  /**
   * Compiles the task's expert and the latch on the Sim's device. Throws unless the Sim is on the
   * webgpu backend (its task kernel) and its task has a GPU expert.
   */
  static async create(sim: Sim, task: { id: string; gpuExpert?: GpuExpertProgram }, seed: number): Promise<GpuExpertLoop> {
    const program = task.gpuExpert;
    if (!program) throw new Error(`task "${task.id}" has no GPU expert; run its expert on the host`);
    const access = sim.gpuAccess();
    const { device, numWorlds, outputLayout } = access;
    const shader = composeWgsl(`${task.id}-expert`, program.structs, [
      { origin: 'invocation', text: INVOCATION_WGSL },
      { origin: 'quat.wgsl', text: shaderSource('quat') },
      { origin: 'hash-prng.wgsl', text: shaderSource('hash-prng') },
      { origin: `${task.id} expert`, text: program.wgsl() },
    ]);
    const latchSource = evaluationKernelSources().latchOutcomes;
    const [actPipeline, latchPipeline] = await Promise.all([
      createComputePipeline(device, shader, 'expert_act'),
      createComputePipeline(device, latchSource.shader, latchSource.entryPoint),
    ]);
    device.pushErrorScope('validation');
    device.pushErrorScope('out-of-memory');
    const config = createUniformBuffer(
      device,
      ExpertConfig,
      {
        numWorlds,
        seed: seed >>> 0,
        opaqueZero: 0,
        numParams: sim.spec.paramNames.length,
        outputStride: outputLayout.strideWords,
        obsOffset: outputLayout.obsOffsetWords,
        episodeOffset: outputLayout.episodeOffsetWords,
        stepCountOffset: outputLayout.stepCountOffsetWords,
      },
      'expert config',
    );
    const states = createStorageBuffer(device, (numWorlds * program.stateBytes) / 4, 'expert states');
    const bindGroup = bindBuffers(device, actPipeline, [config, access.outputs, access.params, states, access.actions], 'expert act');
    const counter = new GpuStepCounter(device);
    const latch = GpuOutcomeLatch.create(access, latchPipeline, counter.buffer);
    const owned = [config, states, counter, latch];
    const oom = await device.popErrorScope();
    const invalid = await device.popErrorScope();
    const error = oom ?? invalid;
    if (error) {
      for (const o of owned) o.destroy();
      throw new Error(`GpuExpertLoop: allocating ${numWorlds} worlds of expert buffers failed: ${error.message}`);
    }
    return new GpuExpertLoop(access, { pipeline: actPipeline, bindGroup }, latch, owned);
  }

  /**
   * Submits `steps` control steps (`expert_act` → the Sim's step → the latch), one command buffer
   * each, keeping at most {@link STEPS_IN_FLIGHT} in flight; calls `onStep(done, steps)` after each submit.
   */
  run(steps: number, onStep?: (done: number, total: number) => void): Promise<void> {
    const { numWorlds } = this.access;
    return this.latch.runSteps(
      steps,
      (encoder) => {
        const pass = encoder.beginComputePass();
        pass.setPipeline(this.act.pipeline);
        pass.setBindGroup(0, this.act.bindGroup);
        dispatchLinear(pass, numWorlds);
        pass.end();
        this.access.encodeStep(encoder);
        this.latch.encode(encoder);
      },
      onStep,
      'GpuExpertLoop.run',
    );
  }

  /** Every world's latched flags, faults and contact overflows (waits for the submitted steps). */
  readOutcomes(): Promise<GpuEpisodeOutcomes> {
    return this.latch.read();
  }

  /** Releases the loop's buffers (not the Sim's). */
  destroy(): void {
    for (const o of this.owned) o.destroy();
  }
}
