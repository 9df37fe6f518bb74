import { assembleShader, CacheEntry, SCENE_FLAGS, SceneConfig, SolverBody, SolverContact, SolverDrive, SolverWorld, structView } from '@gripgen/shaders';
import { acquireGpu, compileShader, type AcquireGpuOptions, type GpuContext } from '../../gpu/index.js';
import { formatAdapter, type GpuAdapterDescription } from '../../gpu/adapter-info.js';
import { applyAction, ACTION_SIZE, CONTROLLER_STATE_SIZE, type ActionMode } from '../../controller/ee-controller.js';
import { commandedTravel } from '../../agents/parallel-gripper/drive.js';
import { BODY_STATE_SIZE } from '../../scene/scene-desc.js';
import type { SimBuffers } from '../../sim/buffers.js';
import type { SimBackend } from '../../sim/sim-backend.js';
import type { ContactPoint } from '../../sim/contacts.js';
import { FAULT_LIMITS } from '../../sim/fault-limits.js';
import { readBuffer } from '../../gpu/buffers.js';
import { GpuWait } from '../../gpu/gpu-wait.js';
import { commonWorldState, stateObject, typedArrayField } from '../../sim/state-fields.js';
import type { Task, WorldView } from '../../tasks/task.js';
import type { PhysicsSettings } from '../rapier/physics-settings.js';
import { CONTACT_MODEL, physicsCoefficients } from './physics-coefficients.js';
import { BODY_ROLE, buildSolverModel, checkTopology, type SolverModel } from './solver/solver-model.js';
import { POSE_SIZE, solverWorldData } from './solver/solver-data.js';
import { coordStride, dataStride, solverModelWgsl } from './solver/solver-model-wgsl.js';
import { packWorldData, SCENE_BINDING_TYPES, sceneConfigBytes } from './solver/solver-buffers.js';
import { DEFAULT_CONTACT_CAPACITY } from './solver/solver-spec-world.js';
import { checkedWorkgroupSize, dispatchWorlds, worldBuffer } from './world-dispatch.js';
import { checkWorldBuffers, type WorldBufferSpec } from './buffer-limits.js';
import { planBufferShards, ShardedWorldBuffer } from './buffer-shards.js';

/** Steps without readback that may be queued on the GPU; the next one waits until all have run (`GpuWait.afterSubmit`). */
const MAX_STEPS_IN_FLIGHT = 3;

/** What the scene solver backend needs to start. */
export interface SceneGpuBackendInit {
  task: Task;
  /** The task's resolved randomization. */
  randomization: unknown;
  seed: number;
  actionMode: ActionMode;
  maxEpisodeSteps: number;
  physics: PhysicsSettings;
  numWorlds: number;
  /** The Sim's host buffers: actions are read from them, results written into them. */
  buffers: SimBuffers;
  gpu?: AcquireGpuOptions;
  /** Invocations (worlds) per workgroup, 1–256. */
  workgroupSize?: number;
  /** Contacts per world the solver keeps (more are dropped and flagged); default 64. */
  contactCapacity?: number;
  /** Sweeps per solve in a step where a free body touches a free body or a link; default `CONTACT_MODEL.movingPairPgsIterations`. */
  movingPairPgsIterations?: number;
  /** Worlds per buffer shard (default: as many as the device's buffer limits allow; see buffer-shards.ts). */
  worldsPerShard?: number;
}

/** One world's complete state on the scene solver (`getState` / `setState`). */
export interface SceneGpuWorldState {
  /** The world's rows of the bodies, worlds, coords and cache buffers, in that order. */
  bytes: Uint8Array<ArrayBuffer>;
  controller: Float64Array;
  params: Float32Array;
  episode: number;
  worldId: number;
  stepCount: number;
}

/** The per-world buffers, in binding order after the config uniform. */
const WORLD_BUFFERS = ['bodies', 'data', 'drives', 'worlds', 'coords', 'cache', 'contacts'] as const;
type BufferName = (typeof WORLD_BUFFERS)[number];

/**
 * The WebGPU backend for any task: the scene solver (`scene-step.wgsl`, specified by
 * `SolverSpecWorld`) steps every world's physics on the GPU from the task's Model (topology,
 * compiled into the kernel) and each world's Data (uploaded at reset). The host runs the
 * controller, builds each episode's scene (`task.buildScene`), and evaluates, observes and
 * rewards every world from the bodies it reads back after each step, with the task's own
 * functions, as the CPU backends do. A world that blows up is flagged by the kernel, left
 * alone, and reset by the host at the next readback.
 */
export class SceneGpuBackend implements SimBackend {
  readonly kind = 'webgpu' as const;
  readonly threads = 0;
  private readonly nb: number;
  private readonly dataStride: number;
  private readonly coordStride: number;
  /** Contacts per world the solver keeps. */
  readonly contactCapacity: number;
  private readonly drivesHost: ArrayBuffer;
  private readonly drivesF32: Float32Array;
  /** Float offsets of the fields the host reads and writes every step (SolverDrive, SolverBody, SolverWorld rows). */
  private readonly at = {
    fromPos: SolverDrive.field('fromPos').offset / 4,
    fromQuat: SolverDrive.field('fromQuat').offset / 4,
    toPos: SolverDrive.field('toPos').offset / 4,
    toQuat: SolverDrive.field('toQuat').offset / 4,
    commanded: SolverDrive.field('commanded').offset / 4,
    x: SolverBody.field('x').offset / 4,
    q: SolverBody.field('q').offset / 4,
    v: SolverBody.field('v').offset / 4,
    w: SolverBody.field('w').offset / 4,
    flags: SolverWorld.field('flags').offset / 4,
    contactCount: SolverWorld.field('contactCount').offset / 4,
  };
  /** The view the task evaluates, observes and rewards, moved from world to world. */
  private readonly view: WorldView;
  /** Readback: bodies, then coords, then worlds. */
  private readonly readHost: ArrayBuffer;
  private readonly bodiesF32: Float32Array;
  private readonly coordsF32: Float32Array;
  private readonly worldsU32: Uint32Array;
  private readonly staging: GPUBuffer;
  private readonly contactFlags: Uint8Array;
  private readonly travel: number[];
  private started = false;
  /** Readbacks and steps without readback ('flight') wait through it: it sleeps before it waits (see GpuWait). */
  private readonly waits = new GpuWait();

  private constructor(
    private readonly init: SceneGpuBackendInit,
    private readonly model: SolverModel,
    private readonly gpu: GpuContext,
    private readonly pipeline: GPUComputePipeline,
    /** The worlds' buffer shards; each is dispatched with its own bind group and config. */
    private readonly shards: readonly { first: number; count: number; bindGroup: GPUBindGroup; config: GPUBuffer }[],
    private readonly gpuBuffers: Record<BufferName, ShardedWorldBuffer>,
  ) {
    const n = init.numWorlds;
    this.nb = model.bodyNames.length;
    this.dataStride = dataStride(model);
    this.coordStride = coordStride(model);
    this.contactCapacity = init.contactCapacity ?? DEFAULT_CONTACT_CAPACITY;
    this.drivesHost = new ArrayBuffer(SolverDrive.byteSize(n));
    this.drivesF32 = new Float32Array(this.drivesHost);
    const bodyBytes = SolverBody.byteSize(n * this.nb);
    const coordBytes = 4 * n * this.coordStride;
    this.readHost = new ArrayBuffer(bodyBytes + coordBytes + SolverWorld.byteSize(n));
    this.bodiesF32 = new Float32Array(this.readHost, 0, bodyBytes / 4);
    this.coordsF32 = new Float32Array(this.readHost, bodyBytes, n * this.coordStride);
    this.worldsU32 = new Uint32Array(this.readHost, bodyBytes + coordBytes, SolverWorld.byteSize(n) / 4);
    this.staging = gpu.device.createBuffer({ label: 'scene readback', size: this.readHost.byteLength, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    this.contactFlags = new Uint8Array(Math.max(1, model.contactQueries.length));
    this.travel = model.joints.map(() => 0);
    const b = init.buffers;
    this.view = {
      bodies: b.bodies,
      bodiesOffset: 0,
      contacts: this.contactFlags,
      contactsOffset: 0,
      params: b.params,
      paramsOffset: 0,
      controller: b.controller,
      controllerOffset: 0,
      jointTravel: this.travel,
    };
  }

  /** The adapter the worlds run on. */
  get adapter(): GpuAdapterDescription {
    return this.gpu.adapterInfo;
  }

  /** Builds the task's Model, compiles the kernel for it, acquires a device and allocates every world's buffers. */
  static async create(init: SceneGpuBackendInit): Promise<SceneGpuBackend> {
    const workgroupSize = checkedWorkgroupSize(init.workgroupSize);
    const capacity = init.contactCapacity ?? DEFAULT_CONTACT_CAPACITY;
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`contactCapacity must be an integer ≥ 1 (got ${capacity})`);
    const task = init.task;
    const probe = task.buildScene(new Float32Array(task.paramNames.length).fill(0.05), 0);
    const model = buildSolverModel(probe);
    // The adapter's own limits (a device gets WebGPU's defaults otherwise: 128 MiB per binding).
    const gpu = await acquireGpu({ requiredLimits: 'adapter', ...init.gpu });
    try {
      const device = gpu.device;
      const n = init.numWorlds;
      const nb = model.bodyNames.length;
      const perContact = `contactCapacity ${capacity} × `;
      const specs: Record<BufferName, WorldBufferSpec> = {
        bodies: { label: 'scene bodies', bytesPerWorld: SolverBody.size * nb },
        data: { label: 'scene data', bytesPerWorld: 16 * dataStride(model) },
        drives: { label: 'scene drives', bytesPerWorld: SolverDrive.size },
        worlds: { label: 'scene worlds', bytesPerWorld: SolverWorld.size },
        coords: { label: 'scene coords', bytesPerWorld: 4 * coordStride(model) },
        cache: { label: 'scene cache', bytesPerWorld: CacheEntry.size * capacity, note: `${perContact}${CacheEntry.size} B`, remedy: 'a lower contactCapacity' },
        contacts: { label: 'scene contacts', bytesPerWorld: SolverContact.size * capacity, note: `${perContact}${SolverContact.size} B`, remedy: 'a lower contactCapacity' },
      };
      const rowBytes = (name: BufferName) => specs[name].bytesPerWorld;
      // Buffers larger than one binding or one buffer may hold are split into shards of worlds.
      const plan = planBufferShards(n, Object.values(specs), device.limits, formatAdapter(gpu.adapterInfo), init.worldsPerShard);
      // The host reads bodies, coords and worlds back through one staging buffer.
      checkWorldBuffers(
        { maxStorageBufferBindingSize: Infinity, maxBufferSize: device.limits.maxBufferSize },
        n,
        [{ label: 'scene readback', bytesPerWorld: rowBytes('bodies') + rowBytes('coords') + rowBytes('worlds') }],
        formatAdapter(gpu.adapterInfo),
      );
      const assembled = assembleShader('scene-step');
      const module = await compileShader(device, { name: assembled.name, code: assembled.code + solverModelWgsl(model, capacity), locate: assembled.locate });
      const S = GPUBufferUsage.STORAGE;
      const bindGroupLayout = device.createBindGroupLayout({
        label: 'scene-step',
        entries: SCENE_BINDING_TYPES.map((type, binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type } })),
      });
      const pipeline = await device.createComputePipelineAsync({
        label: 'scene-step',
        layout: device.createPipelineLayout({ label: 'scene-step', bindGroupLayouts: [bindGroupLayout] }),
        compute: { module, entryPoint: 'stepScene', constants: { WORKGROUP_SIZE: workgroupSize } },
      });
      const buffers = Object.fromEntries(
        WORLD_BUFFERS.map((name) => [name, new ShardedWorldBuffer(device, specs[name].label, rowBytes(name), plan, S)]),
      ) as Record<BufferName, ShardedWorldBuffer>;
      const shards = plan.map((shard, i) => {
        const config = worldBuffer(device, plan.length > 1 ? `scene config (shard ${i})` : 'scene config', SceneConfig.size, GPUBufferUsage.UNIFORM);
        const bindGroup = device.createBindGroup({
          label: plan.length > 1 ? `scene-step (shard ${i})` : 'scene-step',
          layout: bindGroupLayout,
          entries: [config, ...WORLD_BUFFERS.map((name) => buffers[name].buffers[i]!)].map((buffer, binding) => ({ binding, resource: { buffer } })),
        });
        return { ...shard, bindGroup, config };
      });
      const backend = new SceneGpuBackend(init, model, gpu, pipeline, shards, buffers);
      backend.writeConfig();
      gpu.check();
      return backend;
    } catch (e) {
      gpu.release();
      throw e;
    }
  }

  /** Writes each shard's config (its world count; the rest is the same for all). */
  private writeConfig(): void {
    const { init } = this;
    for (const shard of this.shards) {
      const bytes = sceneConfigBytes({
        numWorlds: shard.count,
        physics: init.physics,
        capacity: this.contactCapacity,
        movingPairPgsIterations: init.movingPairPgsIterations ?? CONTACT_MODEL.movingPairPgsIterations,
      });
      this.gpu.device.queue.writeBuffer(shard.config, 0, bytes);
    }
  }

  /** Encodes one step of every world: one dispatch per shard. */
  private dispatch(encoder: GPUCommandEncoder): void {
    const size = checkedWorkgroupSize(this.init.workgroupSize);
    for (const shard of this.shards) dispatchWorlds(encoder, this.pipeline, shard.bindGroup, shard.count, size);
  }

  /** Worlds per buffer shard (every world when one shard holds the batch). */
  get worldsPerShard(): number {
    return this.shards[0]!.count;
  }

  /** Starts the next episode (or `explicitEpisodes`) in every world, or in those with mask = 1. */
  async reset(all: boolean, explicitEpisodes: Uint32Array | null): Promise<void> {
    this.gpu.check();
    await this.settle();
    const b = this.init.buffers;
    const worlds: number[] = [];
    for (let w = 0; w < this.init.numWorlds; w++) {
      if (!all && b.mask[w] === 0) continue;
      if (explicitEpisodes) b.episode[w] = explicitEpisodes[w];
      else if (this.started) b.episode[w] += 1;
      worlds.push(w);
    }
    this.started = true;
    this.startWorlds(worlds);
    for (const w of worlds) this.refresh(w);
  }

  /** Waits for the steps queued without readback. */
  private async settle(): Promise<void> {
    await this.waits.drain(this.gpu.device.queue, 'flight');
  }

  /**
   * Starts each world of `worlds` at its current episode: draws its parameters, builds its
   * scene, and uploads its Data and start state; the host mirrors (readback rows, controller)
   * are set as the GPU's will be.
   */
  private startWorlds(worlds: readonly number[]): void {
    const { task, buffers: b } = this.init;
    const np = task.paramNames.length;
    const q = this.gpu.device.queue;
    const nb = this.nb;
    const bodyRow = SolverBody.size * nb;
    const bodies = new ArrayBuffer(bodyRow);
    const bodyView = structView(SolverBody, bodies);
    const data = new Float32Array(4 * this.dataStride);
    const coords = new Float32Array(this.coordStride);
    const world = new ArrayBuffer(SolverWorld.size);
    const worldView = structView(SolverWorld, world);
    const nj = this.model.joints.length;
    for (const w of worlds) {
      task.drawParams(this.init.randomization, this.init.seed, b.episode[w], b.worldId[w], b.params, w * np);
      const scene = task.buildScene(b.params, w * np);
      checkTopology(this.model, scene, w);
      const d = solverWorldData(this.model, scene);
      for (let i = 0; i < nb; i++) {
        bodyView.write(i, 'x', Array.from(d.pose.subarray(i * POSE_SIZE, i * POSE_SIZE + 3)));
        bodyView.write(i, 'q', Array.from(d.pose.subarray(i * POSE_SIZE + 3, i * POSE_SIZE + 7)));
        bodyView.write(i, 'v', [0, 0, 0]);
        bodyView.write(i, 'w', [0, 0, 0]);
      }
      packWorldData(this.model, d, data);
      coords.fill(0);
      for (let j = 0; j < nj; j++) coords[2 * j] = d.travel[j];
      worldView.write(0, 'driveTarget', commandedTravel(-1));
      worldView.write(0, 'contactCount', 0);
      worldView.write(0, 'flags', 0);
      this.gpuBuffers.bodies.write(q, w, bodies);
      this.gpuBuffers.data.write(q, w, data);
      this.gpuBuffers.coords.write(q, w, coords);
      this.gpuBuffers.worlds.write(q, w, world);
      // Host mirrors of the readback rows.
      new Uint8Array(this.bodiesF32.buffer, w * bodyRow, bodyRow).set(new Uint8Array(bodies));
      this.coordsF32.set(coords, w * this.coordStride);
      this.worldsU32.set(new Uint32Array(world), (w * SolverWorld.size) / 4);
      const c = w * CONTROLLER_STATE_SIZE;
      task.initialControllerPose(b.params, w * np, b.controller, c);
      b.controller[c + 7] = -1;
      b.stepCount[w] = 0;
      b.fault[w] = 0;
    }
  }

  /**
   * Steps every world once with the actions in the host buffer: the controller runs here, the
   * physics on the GPU. Without `readback`, submits the step and returns (at most
   * MAX_STEPS_IN_FLIGHT queued); results, faults and resets wait for the next readback.
   */
  async step(readback: boolean): Promise<void> {
    this.gpu.check();
    const b = this.init.buffers;
    const n = this.init.numWorlds;
    const d = this.drivesF32;
    const at = this.at;
    const stride = SolverDrive.size / 4;
    for (let w = 0; w < n; w++) {
      const c = w * CONTROLLER_STATE_SIZE;
      const o = w * stride;
      for (let i = 0; i < 3; i++) d[o + at.fromPos + i] = b.controller[c + i];
      for (let i = 0; i < 4; i++) d[o + at.fromQuat + i] = b.controller[c + 3 + i];
      applyAction(this.init.actionMode, b.actions, w * ACTION_SIZE, b.controller, c);
      for (let i = 0; i < 3; i++) d[o + at.toPos + i] = b.controller[c + i];
      for (let i = 0; i < 4; i++) d[o + at.toQuat + i] = b.controller[c + 3 + i];
      d[o + at.commanded] = commandedTravel(b.controller[c + 7]);
      b.stepCount[w] += 1;
    }
    const q = this.gpu.device.queue;
    this.gpuBuffers.drives.writeAll(q, this.drivesHost);
    const encoder = this.gpu.device.createCommandEncoder();
    this.dispatch(encoder);
    if (!readback) {
      q.submit([encoder.finish()]);
      await this.waits.afterSubmit(q, 'flight', MAX_STEPS_IN_FLIGHT);
      return;
    }
    await this.readBack(encoder, 'step');
    const faulted: number[] = [];
    for (let w = 0; w < n; w++) {
      const flags = this.worldsU32[(w * SolverWorld.size) / 4 + this.at.flags];
      if ((flags & SCENE_FLAGS.fault) !== 0 || !this.refresh(w)) faulted.push(w);
    }
    if (faulted.length > 0) {
      // Blown up: start the world's next episode; the flag tells the caller.
      for (const w of faulted) b.episode[w] += 1;
      this.startWorlds(faulted);
      for (const w of faulted) {
        this.refresh(w);
        b.fault[w] = 1;
      }
    }
  }

  /** Submits `encoder` with copies of the bodies, coords and worlds buffers into the staging buffer, and unpacks them. `kind`: the wait's kind for {@link GpuWait}. */
  private async readBack(encoder: GPUCommandEncoder, kind: 'step' | 'state'): Promise<void> {
    const bodyBytes = this.bodiesF32.byteLength;
    const coordBytes = this.coordsF32.byteLength;
    this.gpuBuffers.bodies.copyAllTo(encoder, this.staging, 0);
    this.gpuBuffers.coords.copyAllTo(encoder, this.staging, bodyBytes);
    this.gpuBuffers.worlds.copyAllTo(encoder, this.staging, bodyBytes + coordBytes);
    this.gpu.device.queue.submit([encoder.finish()]);
    await this.waits.run(kind, () => this.staging.mapAsync(GPUMapMode.READ));
    new Uint8Array(this.readHost).set(new Uint8Array(this.staging.getMappedRange()));
    this.staging.unmap();
    this.waits.settled('flight');
    this.gpu.check();
  }

  /** Copies world w's bodies into the Sim's buffer, evaluates, observes and rewards it. Returns false when a body is beyond the fault limits. */
  private refresh(w: number): boolean {
    const b = this.init.buffers;
    const { task } = this.init;
    const nb = this.nb;
    const rowFloats = SolverBody.size / 4;
    const { x, q, v, w: av } = this.at;
    const out = w * nb * BODY_STATE_SIZE;
    for (let i = 0; i < nb; i++) {
      const o = (w * nb + i) * rowFloats;
      const d = out + i * BODY_STATE_SIZE;
      for (let k = 0; k < 3; k++) {
        b.bodies[d + k] = this.bodiesF32[o + x + k];
        b.bodies[d + 7 + k] = this.bodiesF32[o + v + k];
        b.bodies[d + 10 + k] = this.bodiesF32[o + av + k];
      }
      for (let k = 0; k < 4; k++) b.bodies[d + 3 + k] = this.bodiesF32[o + q + k];
      const lin = Math.hypot(b.bodies[d + 7], b.bodies[d + 8], b.bodies[d + 9]);
      const ang = Math.hypot(b.bodies[d + 10], b.bodies[d + 11], b.bodies[d + 12]);
      if (!(lin <= FAULT_LIMITS.maxLinearSpeed && ang <= FAULT_LIMITS.maxAngularSpeed)) return false;
    }
    const c = w * this.coordStride;
    const nj = this.model.joints.length;
    for (let j = 0; j < nj; j++) this.travel[j] = this.coordsF32[c + 2 * j];
    for (let k = 0; k < this.model.contactQueries.length; k++) {
      this.contactFlags[k] = this.coordsF32[c + 2 * nj + k] > CONTACT_MODEL.pushingImpulse ? 1 : 0;
    }
    const n = this.init.numWorlds;
    const view = this.view;
    view.bodiesOffset = out;
    view.paramsOffset = w * task.paramNames.length;
    view.controllerOffset = w * CONTROLLER_STATE_SIZE;
    const so = w * (b.signals.length / n);
    const success = task.evaluate(view, { signals: b.signals, signalsOffset: so });
    b.success[w] = success ? 1 : 0;
    b.terminated[w] = success ? 1 : 0;
    b.truncated[w] = b.stepCount[w] >= this.init.maxEpisodeSteps ? 1 : 0;
    b.fault[w] = 0;
    b.overflow[w] = (this.worldsU32[(w * SolverWorld.size) / 4 + this.at.flags] & SCENE_FLAGS.overflow) !== 0 ? 1 : 0;
    b.reward[w] = task.reward(view, b.signals, so);
    task.observe(view, b.obs, w * (b.obs.length / n));
    return true;
  }

  /** Each world's contact count in the last physics step, from the last readback. */
  contactCounts(): Uint32Array {
    const n = this.init.numWorlds;
    const out = new Uint32Array(n);
    const stride = SolverWorld.size / 4;
    for (let w = 0; w < n; w++) out[w] = this.worldsU32[w * stride + this.at.contactCount];
    return out;
  }

  /** The buffers whose rows make a world's state bytes, in order. */
  private static readonly STATE_BUFFERS: readonly BufferName[] = ['bodies', 'worlds', 'coords', 'cache'];

  /** Bytes of one world's state rows. */
  private stateBytes(): number {
    return SceneGpuBackend.STATE_BUFFERS.reduce((sum, name) => sum + this.gpuBuffers[name].rowBytes, 0);
  }

  /** Every world's complete state. */
  async getState(): Promise<unknown[]> {
    this.gpu.check();
    await this.settle();
    const device = this.gpu.device;
    const names = SceneGpuBackend.STATE_BUFFERS;
    const b = this.init.buffers;
    const np = this.init.task.paramNames.length;
    const size = this.stateBytes();
    const out: SceneGpuWorldState[] = [];
    for (const [i, shard] of this.shards.entries()) {
      const whole = await Promise.all(names.map((name) => readAll(device, this.gpuBuffers[name].buffers[i]!)));
      for (let w = shard.first; w < shard.first + shard.count; w++) {
        const bytes = new Uint8Array(size);
        let o = 0;
        names.forEach((name, k) => {
          const row = this.gpuBuffers[name].rowBytes;
          bytes.set(new Uint8Array(whole[k]!, (w - shard.first) * row, row), o);
          o += row;
        });
        const c = w * CONTROLLER_STATE_SIZE;
        out.push({
          bytes,
          controller: b.controller.slice(c, c + CONTROLLER_STATE_SIZE),
          params: b.params.slice(w * np, (w + 1) * np),
          episode: b.episode[w],
          worldId: b.worldId[w],
          stepCount: b.stepCount[w],
        });
      }
    }
    return out;
  }

  /** Restores `getState` output exactly (Data rebuilt from the parameters). */
  async setState(input: unknown[]): Promise<void> {
    const np = this.init.task.paramNames.length;
    const size = this.stateBytes();
    const states = input.map((value, w) => {
      const s = stateObject(value, w);
      return {
        bytes: typedArrayField(s.bytes, w, 'bytes', Uint8Array, size) as Uint8Array<ArrayBuffer>,
        ...commonWorldState(s, w, { controller: CONTROLLER_STATE_SIZE, params: np }),
      };
    });
    this.gpu.check();
    await this.settle();
    const b = this.init.buffers;
    const q = this.gpu.device.queue;
    const data = new Float32Array(4 * this.dataStride);
    states.forEach((s, w) => {
      b.params.set(s.params, w * np);
      b.controller.set(s.controller, w * CONTROLLER_STATE_SIZE);
      b.episode[w] = s.episode;
      b.worldId[w] = s.worldId;
      b.stepCount[w] = s.stepCount;
      const scene = this.init.task.buildScene(b.params, w * np);
      checkTopology(this.model, scene, w);
      packWorldData(this.model, solverWorldData(this.model, scene), data);
      this.gpuBuffers.data.write(q, w, data);
      let o = 0;
      for (const name of SceneGpuBackend.STATE_BUFFERS) {
        const row = this.gpuBuffers[name].rowBytes;
        this.gpuBuffers[name].write(q, w, s.bytes, 0, o, row);
        o += row;
      }
    });
    this.started = true;
    const encoder = this.gpu.device.createCommandEncoder();
    await this.readBack(encoder, 'state');
    for (let w = 0; w < states.length; w++) this.refresh(w);
  }

  /** Sets a free body's velocities in world w. */
  async perturb(w: number, body: number, bodyName: string, linvel: number[], angvel: number[]): Promise<void> {
    if (this.model.bodyRole[body] !== BODY_ROLE.free) throw new Error(`perturb: body "${bodyName}" is not a free body on backend "webgpu"`);
    this.gpu.check();
    const row = body * SolverBody.size;
    const q = this.gpu.device.queue;
    this.gpuBuffers.bodies.write(q, w, Float32Array.from(linvel), row + SolverBody.field('v').offset);
    this.gpuBuffers.bodies.write(q, w, Float32Array.from(angvel), row + SolverBody.field('w').offset);
  }

  /** World w's contacts of its last physics step, read back from the kernel's contact rows. */
  async contacts(w: number): Promise<ContactPoint[]> {
    this.gpu.check();
    await this.settle();
    const device = this.gpu.device;
    const worldRow = this.gpuBuffers.worlds.locate(w);
    const contactRows = this.gpuBuffers.contacts.locate(w);
    const [world, rows] = await Promise.all([
      readBuffer(device, worldRow.buffer, SolverWorld.size, worldRow.offset),
      readBuffer(device, contactRows.buffer, this.gpuBuffers.contacts.rowBytes, contactRows.offset),
    ]);
    const count = structView(SolverWorld, world).read(0, 'contactCount') as number;
    const view = structView(SolverContact, rows);
    const names = this.model.bodyNames;
    const h = physicsCoefficients(this.init.physics).h;
    const out: ContactPoint[] = [];
    for (let i = 0; i < count; i++) {
      out.push({
        bodyA: names[view.read(i, 'a') as number],
        bodyB: names[view.read(i, 'b') as number],
        point: view.read(i, 'p') as [number, number, number],
        normal: view.read(i, 'n') as [number, number, number],
        separation: view.read(i, 'd0') as number,
        normalForce: (view.read(i, 'lN') as number) / h,
      });
    }
    return out;
  }

  /** Destroys the buffers and releases the device. */
  async close(): Promise<void> {
    for (const buffer of Object.values(this.gpuBuffers)) buffer.destroy();
    for (const shard of this.shards) shard.config.destroy();
    this.staging.destroy();
    this.gpu.release();
  }
}

async function readAll(device: GPUDevice, buffer: GPUBuffer): Promise<ArrayBuffer> {
  return readBuffer(device, buffer, buffer.size, 0);
}
