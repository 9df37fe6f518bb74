/**
 * The GPU waypoint follower: MimicGen's per-step follower and the recording of each step's row,
 * fused into a webgpu Sim's step loop. The host hands it up to `chunkSteps` waypoints per world;
 * {@link GpuFollower.runChunk} then runs `chunkSteps` control steps in one submission —
 * `follow_waypoints` → the Sim's step → `record_step` each — and reads back what they recorded.
 * A world whose waypoints run out (or whose attempt ends) is held still by the Sim's step until
 * the host gives it more, so a world's trajectory does not depend on the chunk size.
 */
import { composeWgsl, shaderSource } from '@gripgen/shaders';
import {
  bindBuffers,
  checkWorldBuffers,
  CONTROL_LIMITS,
  createComputePipeline,
  createStorageBuffer,
  createStorageBufferWithData,
  createUniformBuffer,
  dispatchLinear,
  GpuWait,
  INVOCATION_WGSL,
  obsPoseSlot,
  type Sim,
  type SimGpuAccess,
} from '@gripgen/sim-core';
import { STREAM } from '../../random-stream.js';
import { FollowerConfig, FollowState, NO_QUAT, rowWords, STATE_WORD, WAYPOINT_WORDS } from './follower-layouts.js';
import { FOLLOW_WAYPOINTS_WGSL, RECORD_STEP_WGSL } from './follower-wgsl.js';

/** The follower's kernels as assembled WGSL, by entry point (exposed for tests and tooling). */
export function followerKernelSources() {
  const pieces = (origin: string, text: string) => [
    { origin: 'invocation', text: INVOCATION_WGSL },
    { origin: 'quat.wgsl', text: shaderSource('quat') },
    { origin: 'hash-prng.wgsl', text: shaderSource('hash-prng') },
    { origin, text },
  ];
  return {
    follow: { shader: composeWgsl('follow-waypoints', [FollowerConfig, FollowState], pieces('follow-waypoints', FOLLOW_WAYPOINTS_WGSL)), entryPoint: 'follow_waypoints' },
    record: { shader: composeWgsl('record-step', [FollowerConfig, FollowState], pieces('record-step', RECORD_STEP_WGSL)), entryPoint: 'record_step' },
  };
}

/** Per-world inputs and outputs of one chunk, in host memory. */
export interface FollowerChunk {
  /** `numWorlds × chunkSteps × WAYPOINT_WORDS` f32 the host fills (rows past a world's count are ignored). */
  readonly waypoints: Float32Array<ArrayBuffer>;
  /** One {@link FollowState} per world, as u32 words (`FollowState.size / 4` each): the host sets attempt, t, count. */
  readonly states: Uint32Array<ArrayBuffer>;
  /** After {@link GpuFollower.runChunk}: the ring (see follower-layouts.ts) as f32 and as u32 words. */
  readonly ring: Float32Array<ArrayBuffer>;
  readonly ringU32: Uint32Array<ArrayBuffer>;
}

/** Runs chunks of follower steps on a webgpu Sim (see the module comment). */
export class GpuFollower {
  /** u32 words of one world's {@link FollowState}. */
  static readonly STATE_WORDS = FollowState.size / 4;
  readonly chunk: FollowerChunk;
  private readonly waits = new GpuWait();

  private constructor(
    private readonly access: SimGpuAccess,
    /** Control steps per chunk (R). */
    readonly chunkSteps: number,
    private readonly buffers: Record<'waypoints' | 'follow' | 'ring', GPUBuffer>,
    private readonly staging: GPUBuffer,
    private readonly followBind: GPUBindGroup,
    private readonly recordBind: GPUBindGroup,
    private readonly pipelines: { follow: GPUComputePipeline; record: GPUComputePipeline },
    private readonly owned: readonly { destroy(): void }[],
  ) {
    const n = access.numWorlds;
    const ringHost = new ArrayBuffer(buffers.ring.size);
    this.chunk = {
      waypoints: new Float32Array(n * chunkSteps * WAYPOINT_WORDS),
      states: new Uint32Array(n * GpuFollower.STATE_WORDS),
      ring: new Float32Array(ringHost),
      ringU32: new Uint32Array(ringHost),
    };
  }

  /**
   * Compiles the kernels and allocates the buffers on the Sim's device. Throws unless the Sim
   * is on the webgpu backend with its own step kernel (`sim.gpuAccess()`), or when a buffer
   * would exceed the device's limits (naming it and the most worlds that fit).
   */
  static async create(sim: Sim, chunkSteps: number): Promise<GpuFollower> {
    if (!Number.isInteger(chunkSteps) || chunkSteps < 1 || chunkSteps > 1024) {
      throw new Error(`gpuChunkSteps must be an integer in [1, 1024], got ${chunkSteps}`);
    }
    const access = sim.gpuAccess();
    const { device, numWorlds: n, outputLayout: out } = access;
    const obsSize = out.obsSize;
    if (obsSize !== sim.spec.obsSize) throw new Error(`GpuFollower: the Sim's output rows hold ${obsSize} observations, its spec ${sim.spec.obsSize}`);
    const W = rowWords(obsSize);
    checkWorldBuffers(
      device.limits,
      n,
      [
        { label: 'follower ring', bytesPerWorld: 4 * chunkSteps * W, note: `gpuChunkSteps ${chunkSteps} × ${W} words`, remedy: 'a lower gpuChunkSteps' },
        { label: 'follower waypoints', bytesPerWorld: 4 * chunkSteps * WAYPOINT_WORDS, remedy: 'a lower gpuChunkSteps' },
        // Read back in one piece: the ring, then the states.
        { label: 'follower staging', bytesPerWorld: 4 * chunkSteps * W + FollowState.size, remedy: 'a lower gpuChunkSteps' },
      ],
      sim.spec.adapter?.description ?? 'the adapter',
    );
    const eef = obsPoseSlot(sim.spec.obsNames, 'ee');
    const workspace = access.workspace;
    const sources = followerKernelSources();
    const [follow, record] = await Promise.all([
      createComputePipeline(device, sources.follow.shader, sources.follow.entryPoint),
      createComputePipeline(device, sources.record.shader, sources.record.entryPoint),
    ]);
    device.pushErrorScope('validation');
    device.pushErrorScope('out-of-memory');
    const config = createUniformBuffer(
      device,
      FollowerConfig,
      {
        numWorlds: n,
        chunkSteps,
        obsSize,
        outputStride: out.strideWords,
        obsOffset: out.obsOffsetWords,
        rewardOffset: out.rewardOffsetWords,
        flagsOffset: out.flagsOffsetWords,
        successBit: out.flagBits.success,
        faultBit: out.flagBits.fault,
        eefPos: eef.pos,
        eefQuat: eef.quat < 0 ? NO_QUAT : eef.quat,
        seed: sim.spec.seed >>> 0,
        noiseStream: STREAM.noise,
        numObjects: workspace?.objects.length ?? 0,
        maxDeltaPosition: CONTROL_LIMITS.maxDeltaPosition,
        maxDeltaRotation: CONTROL_LIMITS.maxDeltaRotation,
        // Rounded inward to f32, so that an f32 coordinate is inside on the GPU iff it is on the host.
        minX: f32AtLeast(workspace?.min[0] ?? 0),
        minY: f32AtLeast(workspace?.min[1] ?? 0),
        minZ: f32AtLeast(workspace?.min[2] ?? 0),
        maxX: f32AtMost(workspace?.max[0] ?? 0),
        maxY: f32AtMost(workspace?.max[1] ?? 0),
        maxZ: f32AtMost(workspace?.max[2] ?? 0),
      },
      'follower config',
    );
    const positions = createStorageBufferWithData(device, Uint32Array.from((workspace?.positions ?? [[0, 0, 0]]).flat()), 'follower workspace positions');
    const buffers = {
      waypoints: createStorageBuffer(device, n * chunkSteps * WAYPOINT_WORDS, 'follower waypoints'),
      follow: createStorageBuffer(device, n * GpuFollower.STATE_WORDS, 'follower states'),
      ring: createStorageBuffer(device, n * chunkSteps * W, 'follower ring'),
    };
    const staging = device.createBuffer({ label: 'follower staging', size: buffers.ring.size + buffers.follow.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const followBind = bindBuffers(device, follow, [config, access.outputs, buffers.waypoints, buffers.follow, access.actions, access.holds], 'follower follow');
    const recordBind = bindBuffers(device, record, [config, access.outputs, access.actions, access.holds, buffers.follow, buffers.ring, positions], 'follower record');
    const owned = [config, positions, ...Object.values(buffers), staging];
    const oom = await device.popErrorScope();
    const invalid = await device.popErrorScope();
    const error = oom ?? invalid;
    if (error) {
      for (const o of owned) o.destroy();
      throw new Error(`GpuFollower: allocating ${n} worlds of follower buffers (gpuChunkSteps ${chunkSteps}) failed: ${error.message}`);
    }
    return new GpuFollower(access, chunkSteps, buffers, staging, followBind, recordBind, { follow, record }, owned);
  }

  /**
   * Uploads `chunk.waypoints` and `chunk.states`, runs `chunkSteps` control steps (one command
   * buffer) and reads the ring and the states back into `chunk` (`done`, `end`, `object` per
   * world). Throws on a WebGPU validation or memory error.
   */
  async runChunk(): Promise<void> {
    const { device, numWorlds: n } = this.access;
    const queue = device.queue;
    const { waypoints, follow, ring } = this.buffers;
    device.pushErrorScope('validation');
    device.pushErrorScope('out-of-memory');
    try {
      queue.writeBuffer(waypoints, 0, this.chunk.waypoints);
      queue.writeBuffer(follow, 0, this.chunk.states);
      const encoder = device.createCommandEncoder();
      for (let s = 0; s < this.chunkSteps; s++) {
        this.dispatch(encoder, this.pipelines.follow, this.followBind, n);
        this.access.encodeStep(encoder);
        this.dispatch(encoder, this.pipelines.record, this.recordBind, n);
      }
      encoder.copyBufferToBuffer(ring, 0, this.staging, 0, ring.size);
      encoder.copyBufferToBuffer(follow, 0, this.staging, ring.size, follow.size);
      queue.submit([encoder.finish()]);
      await this.waits.run('chunk', () => this.staging.mapAsync(GPUMapMode.READ));
      const bytes = this.staging.getMappedRange();
      new Uint8Array(this.chunk.ring.buffer).set(new Uint8Array(bytes, 0, ring.size));
      this.chunk.states.set(new Uint32Array(bytes, ring.size, this.chunk.states.length));
      this.staging.unmap();
    } finally {
      const oom = await device.popErrorScope();
      const invalid = await device.popErrorScope();
      const error = oom ?? invalid;
      if (error) throw new Error(`GpuFollower.runChunk: ${error.message}`);
    }
  }

  private dispatch(encoder: GPUCommandEncoder, pipeline: GPUComputePipeline, bindGroup: GPUBindGroup, worlds: number): void {
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    dispatchLinear(pass, worlds);
    pass.end();
  }

  /** Releases the follower's buffers (not the Sim's) and releases every world it held. */
  destroy(): void {
    this.access.device.queue.writeBuffer(this.access.holds, 0, new Uint32Array(this.access.numWorlds));
    for (const o of this.owned) o.destroy();
  }
}

/** Writes world `w`'s state words for a chunk: attempt, t, count; done, end and object zero. */
export function writeFollowState(states: Uint32Array, w: number, attempt: number, t: number, count: number): void {
  const o = w * GpuFollower.STATE_WORDS;
  states[o + STATE_WORD.attempt] = attempt;
  states[o + STATE_WORD.t] = t;
  states[o + STATE_WORD.count] = count;
  states[o + STATE_WORD.done] = 0;
  states[o + STATE_WORD.end] = 0;
  states[o + STATE_WORD.object] = 0;
}

/** The smallest f32 ≥ x. */
function f32AtLeast(x: number): number {
  const f = Math.fround(x);
  return f >= x ? f : nextF32(f, 1);
}

/** The largest f32 ≤ x. */
function f32AtMost(x: number): number {
  const f = Math.fround(x);
  return f <= x ? f : nextF32(f, -1);
}

/** The f32 next to f32 value `f` toward +∞ (direction 1) or −∞ (−1). */
function nextF32(f: number, direction: 1 | -1): number {
  const bits = new Float32Array([f]);
  const u = new Uint32Array(bits.buffer);
  if (f === 0) u[0] = direction > 0 ? 1 : 0x80000001;
  else if (f > 0 === direction > 0) u[0]++;
  else u[0]--;
  return bits[0];
}
