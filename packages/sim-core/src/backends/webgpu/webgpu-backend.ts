import {
  assembleShader,
  structView,
  CacheEntry,
  MAX_WORLD_CONTACTS,
  OUTPUT_FLAGS,
  SimConfig,
  WorldOutput,
  WorldState,
} from '@gripgen/shaders';
import { acquireGpu, compileShader, type AcquireGpuOptions, type GpuContext } from '../../gpu/index.js';
import type { GpuAdapterDescription } from '../../gpu/adapter-info.js';
import { ACTION_SIZE, type ActionMode } from '../../controller/ee-controller.js';
import type { SimBuffers } from '../../sim/buffers.js';
import type { Randomization } from '../../random/randomization.js';
import type { Task } from '../../tasks/task.js';
import { stateObject, typedArrayField, u32Field } from '../../sim/state-fields.js';
import type { PhysicsSettings } from '../rapier/physics-settings.js';
import { CONTACT_MODEL, physicsCoefficients } from './physics-coefficients.js';
import { readBuffer } from '../../gpu/buffers.js';
import { GpuWait } from '../../gpu/gpu-wait.js';
import type { SimBackend } from '../../sim/sim-backend.js';
import type { SimGpuAccess } from '../../sim/gpu-access.js';
import type { ContactPoint } from '../../sim/contacts.js';
import { GripperWorld } from './reference/gripper-world.js';
import { checkedWorkgroupSize, dispatchWorlds, worldBuffer } from './world-dispatch.js';
import { checkWorldBuffers } from './buffer-limits.js';
import { formatAdapter } from '../../gpu/adapter-info.js';

/** Steps without readback that may be queued on the GPU; the next one waits until all have run (`GpuWait.afterSubmit`). */
const MAX_STEPS_IN_FLIGHT = 3;
/** Bytes of one world in `getState`: its WorldState row, its warm-start cache, its output row. */
const WORLD_BYTES = WorldState.size + CacheEntry.size * MAX_WORLD_CONTACTS + WorldOutput.size;
/** Marks a world that `resetWorlds` leaves alone. */
const KEEP_WORLD = 0xffffffff;

/** What the WebGPU backend needs to start. */
export interface WebGpuBackendInit {
  /** The task; it must have a GPU program (`task.gpu`). */
  task: Task;
  randomization: unknown;
  seed: number;
  actionMode: ActionMode;
  maxEpisodeSteps: number;
  physics: PhysicsSettings;
  numWorlds: number;
  numSignals: number;
  /** The Sim's host buffers: actions are read from them, results written into them. */
  buffers: SimBuffers;
  gpu?: AcquireGpuOptions;
  /** Invocations (worlds) per workgroup, 1–256; default 64 (`DEFAULT_WORKGROUP_SIZE` in world-dispatch.ts). */
  workgroupSize?: number;
}

/** One world's complete GPU state (`getState` / `setState`). */
export interface GpuWorldState {
  /** WorldState row, then the world's warm-start cache rows. */
  bytes: Uint8Array<ArrayBuffer>;
  params: Float32Array;
  episode: number;
  stepCount: number;
}

/**
 * The WebGPU backend: every world of the batch in GPU buffers, reset and stepped by the
 * `sim-step` kernels (one invocation per world, all physics substeps in one dispatch).
 * After each reset or step only the per-world output rows (observation, reward, flags,
 * episode, step count) come back, through two staging buffers used in turn; parameters come
 * back after resets, full state on demand. A step without readback only submits its work
 * (at most {@link MAX_STEPS_IN_FLIGHT} queued); the next readback orders after it.
 */
export class WebGpuBackend implements SimBackend {
  readonly kind = 'webgpu' as const;
  readonly threads = 0;
  /** Contacts per world the pick-place kernel keeps. */
  readonly contactCapacity = MAX_WORLD_CONTACTS;
  private readonly outputsHost: ArrayBuffer;
  private readonly outputsF32: Float32Array;
  private readonly outputsU32: Uint32Array;
  private readonly outputsBytes: Uint8Array;
  private readonly resetHost: Uint32Array<ArrayBuffer>;
  private readonly configBytes: ArrayBuffer;
  private staging = 0;
  private started = false;
  /** Readbacks and steps without readback ('flight') wait through it: it sleeps before it waits (see GpuWait). */
  private readonly waits = new GpuWait();
  /** A step without readback ran since the parameters were read (a fault there redraws them). */
  private paramsStale = false;
  private access: Omit<SimGpuAccess, 'workspace' | 'countContactOverflow'> | undefined;

  private constructor(
    private readonly init: WebGpuBackendInit,
    private readonly gpu: GpuContext,
    private readonly resetPipeline: GPUComputePipeline,
    private readonly stepPipeline: GPUComputePipeline,
    private readonly bindGroup: GPUBindGroup,
    private readonly gpuBuffers: Record<'config' | 'ranges' | 'actions' | 'params' | 'states' | 'cache' | 'outputs' | 'resetEpisodes' | 'holds', GPUBuffer>,
    private readonly stagingBuffers: [GPUBuffer, GPUBuffer],
    private readonly paramsStaging: GPUBuffer,
  ) {
    const n = init.numWorlds;
    this.outputsHost = new ArrayBuffer(WorldOutput.byteSize(n));
    this.outputsF32 = new Float32Array(this.outputsHost);
    this.outputsU32 = new Uint32Array(this.outputsHost);
    this.outputsBytes = new Uint8Array(this.outputsHost);
    this.resetHost = new Uint32Array(2 * n);
    this.configBytes = new ArrayBuffer(SimConfig.size);
  }

  /** The adapter the worlds run on. */
  get adapter(): GpuAdapterDescription {
    return this.gpu.adapterInfo;
  }

  /** Acquires a device, compiles the kernels and allocates every world's buffers. */
  static async create(init: WebGpuBackendInit): Promise<WebGpuBackend> {
    const program = init.task.gpu;
    if (!program) {
      throw new Error(
        `backend "webgpu" has no GPU program for task "${init.task.id}" yet (the WGSL solver runs the tasks that declare one); use backend "rapier" or "mujoco"`,
      );
    }
    const workgroupSize = checkedWorkgroupSize(init.workgroupSize);
    // The adapter's own limits (a device gets WebGPU's defaults otherwise: 128 MiB per binding).
    const gpu = await acquireGpu({ requiredLimits: 'adapter', ...init.gpu });
    try {
      const device = gpu.device;
      const n = init.numWorlds;
      const numParams = init.task.paramNames.length;
      checkWorldBuffers(
        device.limits,
        n,
        [
          { label: 'actions', bytesPerWorld: 4 * 7 },
          { label: 'params', bytesPerWorld: 4 * numParams },
          { label: 'states', bytesPerWorld: WorldState.size },
          { label: 'cache', bytesPerWorld: CacheEntry.size * MAX_WORLD_CONTACTS },
          { label: 'outputs', bytesPerWorld: WorldOutput.size },
          { label: 'resetEpisodes', bytesPerWorld: 8 },
          { label: 'holds', bytesPerWorld: 4 },
        ],
        formatAdapter(gpu.adapterInfo),
      );
      const assembled = assembleShader(program.shader);
      const module = await compileShader(device, {
        name: assembled.name,
        code: assembled.code + program.wgslConstants(),
        locate: assembled.locate,
      });
      const S = GPUBufferUsage.STORAGE;
      const entries: GPUBindGroupLayoutEntry[] = [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 3, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
        { binding: 4, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
        { binding: 5, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
        { binding: 6, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
        { binding: 7, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 8, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
      ];
      const bindGroupLayout = device.createBindGroupLayout({ label: 'sim-step', entries });
      const layout = device.createPipelineLayout({ label: 'sim-step', bindGroupLayouts: [bindGroupLayout] });
      const [resetPipeline, stepPipeline] = await Promise.all(
        ['resetWorlds', 'stepWorlds'].map((entryPoint) =>
          device.createComputePipelineAsync({
            label: `sim-step:${entryPoint}`,
            layout,
            compute: { module, entryPoint, constants: { WORKGROUP_SIZE: workgroupSize } },
          }),
        ),
      );
      const make = (label: string, size: number, usage: number) => worldBuffer(device, label, size, usage);
      const buffers = {
        config: make('config', SimConfig.size, GPUBufferUsage.UNIFORM),
        ranges: make('ranges', 16 * (numParams + 1), S),
        actions: make('actions', 4 * 7 * n, S),
        params: make('params', 4 * numParams * n, S),
        states: make('states', WorldState.byteSize(n), S),
        cache: make('cache', CacheEntry.byteSize(n * MAX_WORLD_CONTACTS), S),
        outputs: make('outputs', WorldOutput.byteSize(n), S),
        resetEpisodes: make('resetEpisodes', 8 * n, S),
        holds: make('holds', 4 * n, S),
      };
      const staging = (label: string, size: number) =>
        device.createBuffer({ label, size: Math.ceil(size / 16) * 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      const stagingBuffers: [GPUBuffer, GPUBuffer] = [
        staging('outputs staging A', WorldOutput.byteSize(n)),
        staging('outputs staging B', WorldOutput.byteSize(n)),
      ];
      const paramsStaging = staging('params staging', 4 * numParams * n);
      const bindGroup = device.createBindGroup({
        label: 'sim-step',
        layout: bindGroupLayout,
        entries: (Object.keys(buffers) as (keyof typeof buffers)[]).map((name, binding) => ({ binding, resource: { buffer: buffers[name] } })),
      });
      const backend = new WebGpuBackend(init, gpu, resetPipeline, stepPipeline, bindGroup, buffers, stagingBuffers, paramsStaging);
      backend.writeConstants();
      gpu.check();
      return backend;
    } catch (e) {
      gpu.release();
      throw e;
    }
  }

  private writeConstants(): void {
    const { init } = this;
    const k = physicsCoefficients(init.physics);
    const view = structView(SimConfig, this.configBytes);
    const u = (name: Parameters<typeof view.write>[1], v: number) => view.write(0, name, v);
    u('numWorlds', init.numWorlds);
    u('seed', init.seed >>> 0);
    u('opaqueZero', 0);
    u('absoluteActions', init.actionMode === 'absolute' ? 1 : 0);
    u('maxEpisodeSteps', init.maxEpisodeSteps);
    u('substeps', init.physics.substeps);
    u('iterations', init.physics.solverIterations);
    u('numParams', init.task.paramNames.length);
    u('dt', k.dt);
    u('h', k.h);
    u('erpInvDt', k.erpInvDt);
    u('cfmFactor', k.cfmFactor);
    u('allowedError', init.physics.allowedLinearError);
    u('predictionDistance', CONTACT_MODEL.predictionDistance);
    u('maxCorrectiveVelocity', CONTACT_MODEL.maxCorrectiveVelocity);
    u('warmStartRadius', CONTACT_MODEL.warmStartRadius);
    u('driveErpInvDt', k.driveErpInvDt);
    u('driveCfm', k.driveCfm);
    u('driveMaxImpulse', k.driveMaxImpulse);
    u('pushingImpulse', CONTACT_MODEL.pushingImpulse);
    const q = this.gpu.device.queue;
    q.writeBuffer(this.gpuBuffers.config, 0, this.configBytes);
    q.writeBuffer(this.gpuBuffers.ranges, 0, gradedRanges(init.task.paramNames, init.randomization as Randomization));
  }

  private dispatch(encoder: GPUCommandEncoder, pipeline: GPUComputePipeline): void {
    dispatchWorlds(encoder, pipeline, this.bindGroup, this.init.numWorlds, checkedWorkgroupSize(this.init.workgroupSize));
  }

  /** Starts the next episode (or `explicitEpisodes`) in every world, or in those with mask = 1. */
  async reset(all: boolean, explicitEpisodes: Uint32Array | null): Promise<void> {
    this.gpu.check();
    const b = this.init.buffers;
    for (let w = 0; w < this.init.numWorlds; w++) {
      // (episode, world key) pairs; the key is the Sim's worldId buffer.
      if (!all && b.mask[w] === 0) this.resetHost[2 * w] = KEEP_WORLD;
      else if (explicitEpisodes) this.resetHost[2 * w] = explicitEpisodes[w];
      else this.resetHost[2 * w] = this.started ? b.episode[w] + 1 : b.episode[w];
      this.resetHost[2 * w + 1] = b.worldId[w];
    }
    this.started = true;
    this.gpu.device.queue.writeBuffer(this.gpuBuffers.resetEpisodes, 0, this.resetHost);
    const encoder = this.gpu.device.createCommandEncoder();
    this.dispatch(encoder, this.resetPipeline);
    await this.readResults(encoder, true);
  }

  /**
   * Steps every world once with the actions in the host buffer. Without `readback`, submits
   * the step and returns; past {@link MAX_STEPS_IN_FLIGHT} queued steps it waits until they have run.
   */
  async step(readback: boolean): Promise<void> {
    this.gpu.check();
    const q = this.gpu.device.queue;
    const actions = this.init.buffers.actions;
    q.writeBuffer(this.gpuBuffers.actions, 0, actions.buffer, actions.byteOffset, actions.byteLength);
    const encoder = this.gpu.device.createCommandEncoder();
    // A GPU caller may have left worlds held (SimGpuAccess.holds); the host's step moves every world.
    if (this.access) encoder.clearBuffer(this.gpuBuffers.holds);
    this.dispatch(encoder, this.stepPipeline);
    if (readback) {
      await this.readResults(encoder, false);
      return;
    }
    q.submit([encoder.finish()]);
    this.paramsStale = true;
    await this.waits.afterSubmit(q, 'flight', MAX_STEPS_IN_FLIGHT);
  }

  /** The device, the action and output buffers, and a step encoder for GPU-side callers (see {@link SimGpuAccess}). */
  gpuAccess(): Omit<SimGpuAccess, 'workspace' | 'countContactOverflow'> {
    if (this.access) return this.access;
    const field = (name: Parameters<typeof WorldOutput.field>[0]) => WorldOutput.field(name).offset / 4;
    this.access = {
      device: this.gpu.device,
      numWorlds: this.init.numWorlds,
      actionSize: ACTION_SIZE,
      actions: this.gpuBuffers.actions,
      params: this.gpuBuffers.params,
      holds: this.gpuBuffers.holds,
      outputs: this.gpuBuffers.outputs,
      outputLayout: {
        strideWords: WorldOutput.size / 4,
        obsOffsetWords: field('obs'),
        obsSize: WorldOutput.field('obs').length ?? 0,
        rewardOffsetWords: field('reward'),
        episodeOffsetWords: field('episode'),
        stepCountOffsetWords: field('stepCount'),
        flagsOffsetWords: field('flags'),
        flagBits: { ...OUTPUT_FLAGS },
        numSignals: this.init.numSignals,
      },
      encodeStep: (encoder) => {
        this.gpu.check();
        this.dispatch(encoder, this.stepPipeline);
        this.paramsStale = true;
      },
    };
    return this.access;
  }

  /** Copies the outputs (and the parameters after a reset or a fault) back and unpacks them. */
  private async readResults(encoder: GPUCommandEncoder, withParams: boolean): Promise<void> {
    const staging = this.stagingBuffers[this.staging];
    this.staging ^= 1;
    encoder.copyBufferToBuffer(this.gpuBuffers.outputs, 0, staging, 0, this.outputsHost.byteLength);
    const device = this.gpu.device;
    device.queue.submit([encoder.finish()]);
    await this.waits.run(withParams ? 'reset' : 'step', () => staging.mapAsync(GPUMapMode.READ, 0, this.outputsHost.byteLength));
    this.outputsBytes.set(new Uint8Array(staging.getMappedRange(0, this.outputsHost.byteLength)));
    staging.unmap();
    this.waits.settled('flight');
    const faulted = this.unpackOutputs();
    if (withParams || faulted || this.paramsStale) await this.readParams();
    this.paramsStale = false;
    this.gpu.check();
  }

  private async readParams(): Promise<void> {
    const params = this.init.buffers.params;
    const encoder = this.gpu.device.createCommandEncoder();
    encoder.copyBufferToBuffer(this.gpuBuffers.params, 0, this.paramsStaging, 0, params.byteLength);
    this.gpu.device.queue.submit([encoder.finish()]);
    await this.waits.run('params', () => this.paramsStaging.mapAsync(GPUMapMode.READ, 0, params.byteLength));
    params.set(new Float32Array(this.paramsStaging.getMappedRange(0, params.byteLength)));
    this.paramsStaging.unmap();
  }

  /** Writes the output rows into the Sim's buffers; returns whether any world faulted. */
  private unpackOutputs(): boolean {
    const b = this.init.buffers;
    const n = this.init.numWorlds;
    const ns = this.init.numSignals;
    const obsSize = b.obs.length / n;
    const stride = WorldOutput.size / 4;
    const obsOffset = WorldOutput.field('obs').offset / 4;
    const rewardOffset = WorldOutput.field('reward').offset / 4;
    const flagsOffset = WorldOutput.field('flags').offset / 4;
    const episodeOffset = WorldOutput.field('episode').offset / 4;
    const stepOffset = WorldOutput.field('stepCount').offset / 4;
    const keyOffset = WorldOutput.field('worldKey').offset / 4;
    let faulted = false;
    for (let w = 0; w < n; w++) {
      const o = w * stride;
      for (let i = 0; i < obsSize; i++) b.obs[w * obsSize + i] = this.outputsF32[o + obsOffset + i];
      b.reward[w] = this.outputsF32[o + rewardOffset];
      const flags = this.outputsU32[o + flagsOffset];
      b.success[w] = (flags >>> OUTPUT_FLAGS.success) & 1;
      b.terminated[w] = (flags >>> OUTPUT_FLAGS.terminated) & 1;
      b.truncated[w] = (flags >>> OUTPUT_FLAGS.truncated) & 1;
      b.fault[w] = (flags >>> OUTPUT_FLAGS.fault) & 1;
      b.overflow[w] = (flags >>> OUTPUT_FLAGS.overflow) & 1;
      if (b.fault[w]) faulted = true;
      for (let s = 0; s < ns; s++) b.signals[w * ns + s] = (flags >>> (OUTPUT_FLAGS.firstSignal + s)) & 1;
      b.episode[w] = this.outputsU32[o + episodeOffset];
      b.stepCount[w] = this.outputsU32[o + stepOffset];
      b.worldId[w] = this.outputsU32[o + keyOffset];
    }
    return faulted;
  }

  /** Every world's complete state (one readback of the state and cache buffers). */
  async getState(): Promise<unknown[]> {
    this.gpu.check();
    const device = this.gpu.device;
    const n = this.init.numWorlds;
    const states = new Uint8Array(await readBuffer(device, this.gpuBuffers.states, WorldState.byteSize(n)));
    const cache = new Uint8Array(await readBuffer(device, this.gpuBuffers.cache, CacheEntry.byteSize(n * MAX_WORLD_CONTACTS)));
    const b = this.init.buffers;
    const np = this.init.task.paramNames.length;
    const out: GpuWorldState[] = [];
    for (let w = 0; w < n; w++) {
      const bytes = new Uint8Array(WORLD_BYTES);
      bytes.set(states.subarray(w * WorldState.size, (w + 1) * WorldState.size), 0);
      const cacheRow = CacheEntry.size * MAX_WORLD_CONTACTS;
      bytes.set(cache.subarray(w * cacheRow, (w + 1) * cacheRow), WorldState.size);
      bytes.set(this.outputsBytes.subarray(w * WorldOutput.size, (w + 1) * WorldOutput.size), WorldState.size + cacheRow);
      out.push({ bytes, params: b.params.slice(w * np, (w + 1) * np), episode: b.episode[w], stepCount: b.stepCount[w] });
    }
    return out;
  }

  /**
   * World `w`'s contacts of its last physics step: reads back that world's state row and
   * warm-start cache rows only, and expands them on the CPU (`GripperWorld.cachedContacts`).
   */
  async contacts(w: number): Promise<ContactPoint[]> {
    this.gpu.check();
    const device = this.gpu.device;
    const cacheRow = CacheEntry.size * MAX_WORLD_CONTACTS;
    const [state, cache] = await Promise.all([
      readBuffer(device, this.gpuBuffers.states, WorldState.size, w * WorldState.size),
      readBuffer(device, this.gpuBuffers.cache, cacheRow, w * cacheRow),
    ]);
    const bytes = new Uint8Array(WorldState.size + cacheRow);
    bytes.set(new Uint8Array(state), 0);
    bytes.set(new Uint8Array(cache), WorldState.size);
    const world = new GripperWorld(this.init.physics);
    world.loadGpuState(bytes);
    return world.cachedContacts();
  }

  /** Restores `getState` output exactly (state, warm-start cache, outputs, parameters). */
  async setState(input: unknown[]): Promise<void> {
    const np = this.init.task.paramNames.length;
    // Checked before any write, so a bad state changes no world (JSON-revived arrays accepted).
    const states: GpuWorldState[] = input.map((value, w) => {
      const s = stateObject(value, w);
      return {
        bytes: typedArrayField(s.bytes, w, 'bytes', Uint8Array, WORLD_BYTES) as Uint8Array<ArrayBuffer>,
        params: typedArrayField(s.params, w, 'params', Float32Array, np),
        episode: u32Field(s.episode, w, 'episode'),
        stepCount: u32Field(s.stepCount, w, 'stepCount'),
      };
    });
    this.gpu.check();
    const q = this.gpu.device.queue;
    const b = this.init.buffers;
    const cacheRow = CacheEntry.size * MAX_WORLD_CONTACTS;
    states.forEach((s, w) => {
      b.params.set(s.params, w * np);
      q.writeBuffer(this.gpuBuffers.states, w * WorldState.size, s.bytes, 0, WorldState.size);
      q.writeBuffer(this.gpuBuffers.cache, w * cacheRow, s.bytes, WorldState.size, cacheRow);
      this.outputsBytes.set(s.bytes.subarray(WorldState.size + cacheRow), w * WorldOutput.size);
    });
    q.writeBuffer(this.gpuBuffers.params, 0, b.params.buffer, b.params.byteOffset, b.params.byteLength);
    q.writeBuffer(this.gpuBuffers.outputs, 0, this.outputsHost);
    this.unpackOutputs();
    this.started = true;
    this.gpu.check();
  }

  /** Sets the cube's velocity in world `w` (the only free body on this backend). */
  async perturb(w: number, _body: number, bodyName: string, linvel: number[], angvel: number[]): Promise<void> {
    if (bodyName !== 'cube') throw new Error(`perturb: backend "webgpu" can only perturb the cube (got "${bodyName}")`);
    this.gpu.check();
    const q = this.gpu.device.queue;
    const row = w * WorldState.size;
    q.writeBuffer(this.gpuBuffers.states, row + WorldState.field('cubeVel').offset, Float32Array.from(linvel));
    q.writeBuffer(this.gpuBuffers.states, row + WorldState.field('cubeAngVel').offset, Float32Array.from(angvel));
  }

  /** Destroys the buffers and releases the device. */
  async close(): Promise<void> {
    for (const buffer of Object.values(this.gpuBuffers)) buffer.destroy();
    for (const buffer of this.stagingBuffers) buffer.destroy();
    this.paramsStaging.destroy();
    this.gpu.release();
  }
}

/**
 * The reset kernel's `ranges` table: per parameter its range at grade 0 and at grade 1, then
 * how the grade is drawn (ungraded: both grades equal, grade fixed at 0).
 */
export function gradedRanges(paramNames: readonly string[], randomization: Randomization): Float32Array<ArrayBuffer> {
  const n = paramNames.length;
  const out = new Float32Array(4 * (n + 1));
  const { grade } = randomization;
  paramNames.forEach((name, i) => {
    const from = randomization[name];
    const to = grade?.to[name] ?? from;
    out.set([from.min, from.max, to.min, to.max], 4 * i);
  });
  // The grade entry: (t.min, t.max, 0, 0) for a clamped uniform grade, (0, 0, 1, weight) for a mixture.
  if (grade?.weight !== undefined) out.set([0, 0, 1, grade.weight], 4 * n);
  else out.set([grade?.t?.min ?? 0, grade?.t?.max ?? 0, 0, 0], 4 * n);
  return out;
}
