import { ACTION_NAMES, ACTION_SIZE, CONTROL_LIMITS, type ActionMode } from '../controller/ee-controller.js';
import { parseSimConfig, type SimConfig, type SimConfigInput } from '../config/sim-config.js';
import { shownInput } from '../config/errors.js';
import { checkPerturbation, checkResetOptions, checkStepOptions } from './method-arguments.js';
import { GpuUnavailableError } from '../gpu/errors.js';
import type { GpuAdapterDescription } from '../gpu/adapter-info.js';
import type { BackendKind, SimBackend } from './sim-backend.js';
import type { PhysicsSettings } from '../backends/rapier/physics-settings.js';
import { copyMujocoSettings, mujocoSubsteps, type MujocoSettings } from '../backends/mujoco/mujoco-settings.js';
import { getTask, taskModule } from '../tasks/registry.js';
import { allocateBufferMemory, viewBuffers, type BufferShape, type SimBuffers } from './buffers.js';
import type { SimGpuAccess } from './gpu-access.js';
import type { ContactPoint } from './contacts.js';
import { TERMINATION_REASON_NAMES, WorkspaceCheck, type TerminationInfo, type WorkspaceRows } from './termination.js';
import type { CpuBackendFactory } from '../backends/cpu-shards/cpu-backend.js';
import type { PoolInit } from '../backends/cpu-shards/shard-pool.js';
import type { WorldShardInit } from '../backends/cpu-shards/world-shard.js';

/** Sizes and names of everything a Sim reads and writes. */
export interface SimSpec {
  taskId: string;
  /** The backend stepping the worlds (`auto` resolved). */
  backend: BackendKind;
  /** The GPU adapter (webgpu backend), else null. */
  adapter: GpuAdapterDescription | null;
  numWorlds: number;
  obsSize: number;
  obsNames: readonly string[];
  actionSize: number;
  actionNames: readonly string[];
  actionMode: ActionMode;
  /** Per-step action limits (see `CONTROL_LIMITS`). */
  actionLimits: typeof CONTROL_LIMITS;
  /** Sub-signal names; `signals` holds this many flags per world, `success` first. */
  signalNames: readonly string[];
  /** Randomized parameter names; `params(world)` returns them by name. */
  paramNames: readonly string[];
  bodyNames: readonly string[];
  /** Physics settings; on the mujoco backend only `controlHz` applies (see `mujoco`). */
  physics: PhysicsSettings;
  /**
   * The mujoco backend's settings, with `substeps` (MuJoCo steps per control step) and the
   * `timestep` they give (the control period / substeps); null on the other backends.
   */
  mujoco: (MujocoSettings & { substeps: number }) | null;
  maxEpisodeSteps: number;
  seed: number;
  /** Worker threads stepping the worlds (0: the calling thread; webgpu: 0). */
  threads: number;
  /** Contacts per world the webgpu backend's solver keeps (config `contactCapacity`); null on the CPU backends. */
  contactCapacity: number | null;
  /** Worlds per buffer shard of the webgpu scene solver (all of them when one shard holds the batch); null elsewhere. */
  worldsPerShard: number | null;
  /** Why `auto` chose the backend it did (null when the config named one); tools print it. */
  backendNote: string | null;
}

/**
 * What `reset` and `step` return. The arrays are views of the Sim's own buffers, reused
 * by the next call (no allocation per step): copy what you keep.
 */
export interface StepResult {
  /** Observations, `spec.obsSize` per world. */
  obs: Float32Array;
  reward: Float32Array;
  /** 1 where the task is solved now. */
  success: Uint8Array;
  /**
   * 1 where the episode ended: by success, or as a failure because an object left the task's
   * workspace (`terminationReason` says which). The world goes on until it is reset.
   */
  terminated: Uint8Array;
  /**
   * Why each world's episode ended: a `TERMINATION_REASON` code (0 `none`, 1 `success`,
   * 2 `objectBelowTable`, 3 `objectOutsideWorkspace`; names in `TERMINATION_REASON_NAMES`,
   * details in `sim.terminationInfo(world)`).
   */
  terminationReason: Uint8Array;
  /**
   * 1 where the episode reached `maxEpisodeSteps`; the world keeps stepping until it is reset.
   * (`createVectorEnv` puts one Gymnasium rule on top: every ending, this one included, resets
   * the world at the next step.)
   */
  truncated: Uint8Array;
  /**
   * 1 where the world blew up during this step and was reset here (its obs are its new
   * episode's); `createVectorEnv` reports it as a termination with reason `fault` instead.
   */
  fault: Uint8Array;
  /**
   * 1 where the world's last step found more contacts than the webgpu backend's solver keeps
   * (`spec.contactCapacity`): the contacts beyond it were dropped (see `contactOverflowWarning`).
   * Always 0 on rapier and mujoco, whose contact storage grows.
   */
  overflow: Uint8Array;
  /** Sub-signals, `spec.signalNames.length` per world. */
  signals: Uint8Array;
  /** Episode index of each world. */
  episode: Uint32Array;
  /** World key of each world's randomization (see `ResetOptions.worldIds`). */
  worldId: Uint32Array;
  /** Steps since each world's reset. */
  stepCount: Uint32Array;
}

/** A complete, restorable snapshot of every world (`getState` / `setState`). */
export interface SimState {
  taskId: string;
  /** The backend that wrote it; only the same backend can restore it. */
  backend: BackendKind;
  seed: number;
  numWorlds: number;
  /** Per-world backend-specific state. */
  worlds: unknown[];
}

/** Options of `reset`. */
export interface ResetOptions {
  /** Worlds to reset (truthy entries); all when absent. */
  mask?: ArrayLike<number | boolean>;
  /** Episode index to start for each world (defaults to the next one). Length numWorlds. */
  episodes?: ArrayLike<number>;
  /**
   * World key of each reset world's randomization (length numWorlds; entries of worlds not
   * reset are ignored). A world's parameters are a function of (seed, episode, world key);
   * the key is the world's slot index until set here, and stays set for later resets. With
   * `episodes`, this puts any world (e.g. a recorded trajectory's) into any slot.
   */
  worldIds?: ArrayLike<number>;
}

/** Options of `step`. */
export interface StepOptions {
  /**
   * Whether this step's results are read back into the returned arrays (default true).
   * With `false` the webgpu backend only submits the step: no observation copy, no wait for
   * the GPU (at most a few steps are kept in flight), and the returned arrays keep the values
   * of the last step that was read back. The next step with readback, `reset`, `getState`
   * or `setState` runs after it, so results are never mixed up; a fault during a step without
   * readback is not reported in `fault`. Throughput loops that look at the results only now
   * and then use it to skip the per-step transfer. The rapier backend always writes its
   * results (they live in shared memory) and ignores the option.
   */
  readback?: boolean;
}

/** A perturbation of one body's velocity. */
export interface Perturbation {
  body: string;
  linearVelocity?: readonly [number, number, number];
  angularVelocity?: readonly [number, number, number];
}

/**
 * A batch of simulated worlds of one task. Create with `createSim`, then `reset()` and
 * `step(actions)`; `dispose()` when done.
 */
export class Sim {
  private busy = false;
  private started = false;
  private disposed = false;
  private readonly result: StepResult;

  private overflowSteps = 0;
  private readonly terminationReason: Uint8Array;
  /** Per world: index (in `workspace.objects`) of the object that left the workspace, or -1. */
  private readonly leftObject: Int16Array;
  /** The rows `WorkspaceCheck.apply` reads and writes (one object, not one per step). */
  private readonly terminationRows: WorkspaceRows;

  private constructor(
    /** Sizes and names. */
    readonly spec: SimSpec,
    private readonly buffers: SimBuffers,
    private readonly backend: SimBackend,
    private readonly workspace: WorkspaceCheck,
  ) {
    const b = buffers;
    this.terminationReason = new Uint8Array(spec.numWorlds);
    this.leftObject = new Int16Array(spec.numWorlds).fill(-1);
    this.terminationRows = { success: b.success, terminated: b.terminated, fault: b.fault, reason: this.terminationReason, leftObject: this.leftObject };
    this.result = {
      obs: b.obs,
      reward: b.reward,
      success: b.success,
      terminated: b.terminated,
      terminationReason: this.terminationReason,
      truncated: b.truncated,
      fault: b.fault,
      overflow: b.overflow,
      signals: b.signals,
      episode: b.episode,
      worldId: b.worldId,
      stepCount: b.stepCount,
    };
  }

  /** Validates the config, starts the backend and returns a Sim (call `reset()` next). */
  static async create(input: SimConfigInput): Promise<Sim> {
    const config: SimConfig = parseSimConfig(input);
    const task = getTask(config.task);
    const randomization = task.resolveRandomization(config.randomization);
    const shape: BufferShape = {
      numWorlds: config.numWorlds,
      obsSize: task.obsNames.length,
      numSignals: task.signalNames.length,
      numParams: task.paramNames.length,
      numBodies: task.numBodies,
    };
    // Backends are loaded on demand: a browser bundle that splits chunks never loads Rapier,
    // MuJoCo or the worker-thread code unless that backend is chosen (see README, "In a browser").
    const gpuBackend = async (hardwareOnly: boolean) => {
      const buffers = viewBuffers(shape, allocateBufferMemory(shape, false));
      const ownProgram = task.gpu !== undefined && config.gpuProgram !== 'scene';
      const common = {
        task,
        randomization,
        seed: config.seed,
        actionMode: config.actionMode,
        maxEpisodeSteps: config.maxEpisodeSteps,
        physics: config.physics,
        numWorlds: config.numWorlds,
        buffers,
        workgroupSize: config.workgroupSize,
        gpu: { ...(hardwareOnly && { adapter: 'gpu' as const, onNotice: () => {} }), optionalFeatures: config.gpuFeatures as GPUFeatureName[] | undefined },
      };
      // A task with its own GPU program runs it (unless `gpuProgram: 'scene'`); every other task runs on the scene solver.
      if (ownProgram) {
        const { WebGpuBackend } = await import('../backends/webgpu/webgpu-backend.js');
        return { backend: await WebGpuBackend.create({ ...common, numSignals: shape.numSignals }), buffers };
      }
      const { SceneGpuBackend } = await import('../backends/webgpu/scene-gpu-backend.js');
      return { backend: await SceneGpuBackend.create({ ...common, contactCapacity: config.contactCapacity, movingPairPgsIterations: config.movingPairPgsIterations, worldsPerShard: config.worldsPerShard }), buffers };
    };
    // Starts a CPU engine's shards of worlds (see `WorldShard`); `engineInit` holds the engine's own init fields.
    const cpuBackend = async <I extends WorldShardInit>(factory: CpuBackendFactory<I>, engineInit: Omit<I, keyof WorldShardInit>) => {
      const threads = config.threads ?? factory.defaultThreads();
      const memory = allocateBufferMemory(shape, threads > 0);
      const buffers = viewBuffers(shape, memory);
      const init = {
        taskId: task.id,
        taskModule: taskModule(task.id),
        randomization,
        seed: config.seed,
        actionMode: config.actionMode,
        maxEpisodeSteps: config.maxEpisodeSteps,
        physics: config.physics,
        shape,
        memory,
        ...engineInit,
      } as PoolInit<I>;
      return { backend: await factory.start(init, threads), buffers };
    };
    let chosen: { backend: SimBackend; buffers: SimBuffers } | undefined;
    if (config.backend === 'webgpu') chosen = await gpuBackend(false);
    if (config.backend === 'mujoco') {
      const { MujocoBackend } = await import('../backends/mujoco/mujoco-backend.js');
      chosen = await cpuBackend(MujocoBackend, { mujoco: config.mujoco });
    }
    let backendNote: string | null = null;
    if (config.backend === 'auto') {
      try {
        chosen = await gpuBackend(true);
        backendNote = 'auto: a hardware GPU adapter was found; using webgpu';
      } catch (e) {
        if (!(e instanceof GpuUnavailableError)) throw e;
        backendNote = `auto: no hardware GPU adapter (${e.message}); using rapier`;
      }
    }
    if (!chosen) {
      const { RapierBackend } = await import('../backends/rapier/rapier-backend.js');
      chosen = await cpuBackend(RapierBackend, {});
    }
    const { backend, buffers } = chosen;
    const bodyNames = task.buildScene(new Float32Array(shape.numParams).fill(0.05), 0).bodies.map((b) => b.name);
    const spec: SimSpec = {
      taskId: task.id,
      backend: backend.kind,
      adapter: backend.adapter,
      numWorlds: config.numWorlds,
      obsSize: shape.obsSize,
      obsNames: task.obsNames,
      actionSize: ACTION_SIZE,
      actionNames: ACTION_NAMES,
      actionMode: config.actionMode,
      actionLimits: CONTROL_LIMITS,
      signalNames: task.signalNames,
      paramNames: task.paramNames,
      bodyNames,
      physics: config.physics,
      mujoco: backend.kind === 'mujoco' ? mujocoSpec(config.physics.controlHz, config.mujoco) : null,
      maxEpisodeSteps: config.maxEpisodeSteps,
      seed: config.seed,
      threads: backend.threads,
      contactCapacity: backend.contactCapacity ?? null,
      worldsPerShard: backend.worldsPerShard ?? null,
      backendNote,
    };
    return new Sim(spec, buffers, backend, new WorkspaceCheck(task.obsNames, task.objectWorkspace));
  }

  /** Resets all worlds, or those in `mask`, to the start of a new episode. */
  async reset(options: ResetOptions = {}): Promise<StepResult> {
    checkResetOptions(options);
    const n = this.spec.numWorlds;
    const all = options.mask === undefined || !this.started;
    if (options.mask !== undefined) {
      if (options.mask.length !== n) throw new Error(`reset: mask has length ${options.mask.length}, expected numWorlds = ${n}`);
      for (let i = 0; i < n; i++) this.buffers.mask[i] = options.mask[i] ? 1 : 0;
    }
    const episodes = options.episodes === undefined ? null : u32Rows('episodes', options.episodes, n);
    if (options.worldIds !== undefined) {
      const ids = u32Rows('worldIds', options.worldIds, n);
      for (let i = 0; i < n; i++) if (all || this.buffers.mask[i]) this.buffers.worldId[i] = ids[i];
    }
    await this.run(() => this.backend.reset(all, episodes));
    this.started = true;
    this.checkWorkspace();
    return this.result;
  }

  /**
   * Advances every world by one control step. `actions` holds `spec.actionSize` floats per
   * world (see CONTROL_LIMITS for clipping). A non-finite entry throws, naming the world,
   * before anything changes. See {@link StepOptions} for stepping without reading back.
   */
  async step(actions: ArrayLike<number>, options: StepOptions = {}): Promise<StepResult> {
    if (!this.started) throw new Error('step: call reset() before the first step()');
    const n = this.spec.numWorlds;
    if (actions === null || typeof actions !== 'object' || typeof actions.length !== 'number') {
      throw new Error(`step: actions must be an array (Float32Array or number[]) of numWorlds · ${ACTION_SIZE} = ${n * ACTION_SIZE} numbers, got ${actions === null ? 'null' : typeof actions}`);
    }
    checkStepOptions(options);
    if (actions.length !== n * ACTION_SIZE) {
      throw new Error(`step: actions has length ${actions.length}, expected numWorlds · ${ACTION_SIZE} = ${n * ACTION_SIZE}`);
    }
    for (let i = 0; i < actions.length; i++) {
      const value: unknown = actions[i];
      if (!Number.isFinite(value)) {
        const world = Math.floor(i / ACTION_SIZE);
        const name = ACTION_NAMES[i % ACTION_SIZE];
        const what = typeof value === 'number' ? `a non-finite ${name} (${value})` : `a ${name} that is not a number (${shownInput(value)})`;
        throw new Error(`step: action of world ${world} has ${what}; nothing was stepped`);
      }
    }
    this.guard();
    this.buffers.actions.set(actions);
    const readback = options.readback ?? true;
    await this.run(() => this.backend.step(readback));
    if (readback && this.spec.contactCapacity !== null) {
      for (let w = 0; w < n; w++) this.overflowSteps += this.buffers.overflow[w];
    }
    // Without readback the webgpu results stay those of the last read-back step; checking them again changes nothing.
    this.checkWorkspace();
    return this.result;
  }

  /** World-steps (read back so far) in which a world found more contacts than `spec.contactCapacity`. */
  get contactOverflowSteps(): number {
    return this.overflowSteps;
  }

  /**
   * A one-line warning when contacts were dropped because a world found more than the solver
   * keeps (`StepResult.overflow`), naming the capacity to raise; null when none were.
   */
  contactOverflowWarning(): string | null {
    if (this.overflowSteps === 0) return null;
    return (
      `${this.overflowSteps} world-step(s) found more contacts than the webgpu solver keeps (contactCapacity ${this.spec.contactCapacity} per world); ` +
      `the contacts beyond it were dropped — raise contactCapacity (e.g. ${2 * (this.spec.contactCapacity ?? 0)})`
    );
  }

  /**
   * The GPU side of a webgpu Sim — device, action and output buffers, and a step encoder — for
   * modules that keep observations and actions on the GPU (see {@link SimGpuAccess}). Throws on
   * the rapier backend. Its `encodeStep` throws before the first `reset()`, after `dispose()`
   * and while a `reset`/`step`/`getState`/`setState` is pending.
   */
  gpuAccess(): SimGpuAccess {
    const access = this.backend.gpuAccess?.();
    if (!access) throw new Error(`gpuAccess: backend "${this.spec.backend}" keeps no worlds on the GPU (use backend "webgpu")`);
    return {
      ...access,
      workspace: this.workspace.layout(),
      countContactOverflow: (worldSteps) => {
        this.overflowSteps += worldSteps;
      },
      encodeStep: (encoder) => {
        if (!this.started) throw new Error('gpuAccess().encodeStep: call reset() before the first step');
        this.guard();
        access.encodeStep(encoder);
      },
    };
  }

  /**
   * Each world's number of contact points in the last physics step of the last read-back step,
   * on the webgpu backend's scene solver (for benchmarks: mean, max, against `spec.contactCapacity`);
   * null on the backends that do not count them this cheaply.
   */
  contactCounts(): Uint32Array | null {
    return this.backend.contactCounts?.() ?? null;
  }

  /** A complete snapshot of every world; `setState` restores it exactly. */
  async getState(): Promise<SimState> {
    const worlds = await this.run(() => this.backend.getState());
    return { taskId: this.spec.taskId, backend: this.spec.backend, seed: this.spec.seed, numWorlds: this.spec.numWorlds, worlds };
  }

  /**
   * Restores a `getState` snapshot (same task, backend and numWorlds), also after it went
   * through JSON or structuredClone. A state that is not one is refused with an error naming
   * the world and field, and the Sim stays as it was.
   */
  async setState(state: SimState): Promise<StepResult> {
    if (state === null || typeof state !== 'object' || !Array.isArray(state.worlds)) {
      throw new Error('setState: state must be an object as getState returns it ({ taskId, backend, seed, numWorlds, worlds: [...] })');
    }
    if (state.taskId !== this.spec.taskId || state.numWorlds !== this.spec.numWorlds || state.worlds.length !== state.numWorlds) {
      throw new Error(
        `setState: state is for task ${state.taskId} with ${state.numWorlds} worlds; this Sim runs ${this.spec.taskId} with ${this.spec.numWorlds}`,
      );
    }
    if (state.backend !== this.spec.backend) {
      throw new Error(`setState: state was written by backend ${state.backend}; this Sim runs ${this.spec.backend}`);
    }
    await this.run(() => this.backend.setState(state.worlds));
    this.started = true;
    this.checkWorkspace();
    return this.result;
  }

  /**
   * Why world `world`'s episode ended in the last `reset`/`step`/`setState` (reason `none`
   * while it goes on), and for an object that left the workspace, which one and where.
   */
  terminationInfo(world: number): TerminationInfo {
    this.checkWorld(world);
    const reason = TERMINATION_REASON_NAMES[this.terminationReason[world]];
    const object = this.leftObject[world];
    if (reason === 'none' || reason === 'success' || object < 0) return { reason, object: null, position: null };
    return { reason, object: this.workspace.objects[object], position: this.workspace.position(this.buffers.obs, world * this.spec.obsSize, object) };
  }

  /** The randomized parameters of world `world`'s current episode, by name. */
  params(world: number): Record<string, number> {
    this.checkWorld(world);
    const np = this.spec.paramNames.length;
    return Object.fromEntries(this.spec.paramNames.map((name, i) => [name, this.buffers.params[world * np + i]]));
  }

  /** The parameter table of the current episodes: `spec.paramNames.length` floats per world (a live view). */
  get paramTable(): Float32Array {
    return this.buffers.params;
  }

  /** The state row (position, quaternion, velocities) of each body of world `world`. */
  bodyStates(world: number): Float32Array {
    this.checkWorld(world);
    const stride = this.buffers.bodies.length / this.spec.numWorlds;
    return this.buffers.bodies.subarray(world * stride, (world + 1) * stride);
  }

  /**
   * World `world`'s contact points as its solver used them in the last physics step of the
   * last `step` (or none after a reset): point, normal, separation and normal force, and the
   * two bodies by name (see {@link ContactPoint}). Reads back that one world only; for
   * inspection and tests, not for every step of a large batch. Every backend.
   */
  async contacts(world: number): Promise<ContactPoint[]> {
    this.checkWorld(world);
    return this.run(() => this.backend.contacts(world));
  }

  /** Sets a body's velocity in one world (robustness experiments; the fault tests use it). */
  async perturb(world: number, p: Perturbation): Promise<void> {
    this.checkWorld(world);
    checkPerturbation(p);
    const body = this.spec.bodyNames.indexOf(p.body);
    if (body < 0) throw new Error(`perturb: unknown body "${p.body}"; bodies: ${this.spec.bodyNames.join(', ')}`);
    const cur = this.bodyStates(world);
    const o = body * 13;
    const linvel = p.linearVelocity ?? [cur[o + 7], cur[o + 8], cur[o + 9]];
    const angvel = p.angularVelocity ?? [cur[o + 10], cur[o + 11], cur[o + 12]];
    await this.run(() => this.backend.perturb(world, body, p.body, [...linvel], [...angvel]));
  }

  /**
   * Frees every world (WASM memory; on WebGPU the buffers and the device). Worker threads are
   * parked for the next Sim of the same engine, ended after 5 s unused; they never keep the
   * process alive.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.backend.close();
  }

  /** Ends the episodes of worlds whose objects left the task's workspace (see `WorkspaceCheck`). */
  private checkWorkspace(): void {
    this.workspace.apply(this.buffers.obs, this.spec.obsSize, this.terminationRows);
  }

  private checkWorld(world: number): void {
    if (!Number.isInteger(world) || world < 0 || world >= this.spec.numWorlds) {
      throw new Error(`world ${world} is out of range [0, ${this.spec.numWorlds})`);
    }
  }

  private guard(): void {
    if (this.disposed) throw new Error('this Sim was disposed');
    if (this.busy) throw new Error('a previous reset/step/getState/setState has not finished: await it first');
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    this.guard();
    this.busy = true;
    try {
      return await work();
    } finally {
      this.busy = false;
    }
  }
}

/** Creates a batch of worlds: `await createSim({ task: 'pick-place', numWorlds: 1024, seed: 0 })`. */
export function createSim(config: SimConfigInput): Promise<Sim> {
  return Sim.create(config);
}

/** The mujoco settings as run: the MuJoCo steps per control step and the timestep they give. */
function mujocoSpec(controlHz: number, settings: MujocoSettings): MujocoSettings & { substeps: number } {
  const substeps = mujocoSubsteps(controlHz, settings);
  return { ...copyMujocoSettings(settings), substeps, timestep: 1 / (controlHz * substeps) };
}

/** Checks a reset option of one u32 per world; throws naming the option and the bad entry. */
function u32Rows(name: string, values: ArrayLike<number>, n: number): Uint32Array {
  if (values.length !== n) throw new Error(`reset: ${name} has length ${values.length}, expected numWorlds = ${n}`);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`reset: ${name}[${i}] = ${v} is not a u32`);
    out[i] = v;
  }
  return out;
}
