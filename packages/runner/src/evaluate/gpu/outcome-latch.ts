/**
 * Per-world outcomes of an episode run on the GPU, latched after every step: the OR of each
 * world's output flags (success and sub-signals "set at some step", rejected actions) and its
 * fault count, read back once at the end. Used by the GPU loops that fuse their own kernels into
 * a webgpu Sim's steps (policy evaluation, the scripted expert).
 */
import { bindBuffers, createStorageBuffer, createUniformBuffer, GpuWait, type SimGpuAccess } from '@gripgen/sim-core';
import { encodeDispatch, type BoundDispatch } from '../../policy/gpu/gpu-dense-forward.js';
import { LatchConfig } from './wgsl/eval-configs.js';

/** What a GPU loop read back at its end, per world. */
export interface GpuEpisodeOutcomes {
  /**
   * OR over the episode's steps of each world's output flags: success, sub-signal `k` and
   * `actionRejected` set at some step (bit indices in `SimOutputLayout.flagBits`).
   */
  readonly flags: Uint32Array;
  /** Faults (blow-ups, after which the backend reset the world) of each world. */
  readonly faults: Uint32Array;
  /** Steps of each world that found more contacts than the solver keeps (`StepResult.overflow`). */
  readonly overflows: Uint32Array;
}

/** Steps a GPU loop lets run ahead of the host (see {@link GpuOutcomeLatch.runSteps}). */
export const STEPS_IN_FLIGHT = 3;

/** The latch buffers and the `latch_outcomes` dispatch of one loop, and the loop's submissions. */
export class GpuOutcomeLatch {
  /** The steps' and the readback's waits (they sleep before they wait: see GpuWait). */
  private readonly waits = new GpuWait();

  private constructor(
    private readonly access: SimGpuAccess,
    private readonly dispatch: BoundDispatch,
    private readonly latch: GPUBuffer,
    private readonly staging: GPUBuffer,
    private readonly config: GPUBuffer,
  ) {}

  /**
   * Latches the Sim of `access` with the compiled `latch_outcomes` pipeline; `counter` is the
   * loop's step counter (`StepState`), which the kernel advances once per dispatch.
   */
  static create(access: SimGpuAccess, pipeline: GPUComputePipeline, counter: GPUBuffer): GpuOutcomeLatch {
    const { device, numWorlds, outputLayout } = access;
    const latch = createStorageBuffer(device, 3 * numWorlds, 'latch');
    const staging = device.createBuffer({ label: 'latch staging', size: latch.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const config = createUniformBuffer(
      device,
      LatchConfig,
      {
        numWorlds,
        outputStride: outputLayout.strideWords,
        flagsOffset: outputLayout.flagsOffsetWords,
        faultBit: outputLayout.flagBits.fault,
        overflowBit: outputLayout.flagBits.overflow,
      },
      'latch config',
    );
    const dispatch: BoundDispatch = { pipeline, bindGroup: bindBuffers(device, pipeline, [config, access.outputs, latch, counter], 'latch'), invocations: numWorlds };
    return new GpuOutcomeLatch(access, dispatch, latch, staging, config);
  }

  /** Encodes the latch of the step just encoded (its own compute pass). */
  encode(encoder: GPUCommandEncoder): void {
    const pass = encoder.beginComputePass();
    encodeDispatch(pass, this.dispatch);
    pass.end();
  }

  /**
   * Submits `steps` control steps, one command buffer each (`encodeStep` fills it; the loop's
   * step ends with {@link encode}), keeping at most {@link STEPS_IN_FLIGHT} in flight: after the
   * next submit it waits until every submitted step has run (`GpuWait.afterSubmit`), so when
   * `onStep(done)` is called at least `done − STEPS_IN_FLIGHT` have run. Resolves once the last
   * one is submitted ({@link read} waits for them). Throws on a WebGPU validation or memory
   * error, naming `label`.
   */
  async runSteps(steps: number, encodeStep: (encoder: GPUCommandEncoder) => void, onStep: ((done: number, total: number) => void) | undefined, label: string): Promise<void> {
    const { device } = this.access;
    device.pushErrorScope('validation');
    device.pushErrorScope('out-of-memory');
    try {
      for (let s = 0; s < steps; s++) {
        const encoder = device.createCommandEncoder();
        encodeStep(encoder);
        device.queue.submit([encoder.finish()]);
        await this.waits.afterSubmit(device.queue, 'step', STEPS_IN_FLIGHT);
        onStep?.(s + 1, steps);
      }
    } finally {
      const oom = await device.popErrorScope();
      const invalid = await device.popErrorScope();
      const error = oom ?? invalid;
      if (error) throw new Error(`${label}: ${error.message}`);
    }
  }

  /** Reads every world's latched flags, fault and overflow counts (one readback; waits for the submitted steps). */
  async read(): Promise<GpuEpisodeOutcomes> {
    const { device, numWorlds } = this.access;
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(this.latch, 0, this.staging, 0, this.latch.size);
    device.queue.submit([encoder.finish()]);
    await this.waits.run('outcomes', () => this.staging.mapAsync(GPUMapMode.READ));
    this.waits.settled('step');
    const words = new Uint32Array(this.staging.getMappedRange().slice(0, 12 * numWorlds));
    this.staging.unmap();
    const flags = new Uint32Array(numWorlds);
    const faults = new Uint32Array(numWorlds);
    const overflows = new Uint32Array(numWorlds);
    for (let w = 0; w < numWorlds; w++) {
      flags[w] = words[3 * w];
      faults[w] = words[3 * w + 1];
      overflows[w] = words[3 * w + 2];
    }
    return { flags, faults, overflows };
  }

  /** Releases the latch's buffers. */
  destroy(): void {
    this.latch.destroy();
    this.staging.destroy();
    this.config.destroy();
  }
}
