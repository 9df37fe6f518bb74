import { applyAction, CONTROLLER_STATE_SIZE, ACTION_SIZE, type ActionMode } from '../../controller/ee-controller.js';
import { BODY_STATE_SIZE } from '../../scene/scene-desc.js';
import { viewBuffers, type BufferMemory, type SimBuffers } from '../../sim/buffers.js';
import type { ContactPoint } from '../../sim/contacts.js';
import { FAULT_LIMITS } from '../../sim/fault-limits.js';
import type { CommonWorldState } from '../../sim/state-fields.js';
import { loadTask } from '../../tasks/registry.js';
import type { Task, WorldView } from '../../tasks/task.js';
import type { PhysicsSettings } from '../rapier/physics-settings.js';
import type { CpuWorld, CpuWorlds } from './cpu-world.js';
import type { CpuShard, ShardSlice } from './shard-protocol.js';

/** What a `WorldShard` needs to know: the task, its randomization, and its slice of worlds. */
export interface WorldShardInit extends ShardSlice {
  taskId: string;
  /** Module that registers a plug-in task in a worker thread (see `registerTask`). */
  taskModule?: string;
  randomization: unknown;
  seed: number;
  actionMode: ActionMode;
  maxEpisodeSteps: number;
  /** Physics settings; an engine may apply only some of them (MuJoCo: `controlHz`). */
  physics: PhysicsSettings;
  memory: BufferMemory;
}

/**
 * A world's complete state, enough to continue it bit for bit: the controller, parameters and
 * counters (`CommonWorldState`) and the engine's snapshot `S` under the engine's key `K`
 * (Rapier: `snapshot`, MuJoCo: `mujoco`; read back by `cpuWorldStateParser(K, …)`).
 */
export type CpuWorldState<K extends string, S> = CommonWorldState & { [P in K]: S };

/** Most contact queries a scene may declare. */
const MAX_CONTACT_QUERIES = 8;

/**
 * The worlds of one thread on a CPU engine: builds, resets and steps them through the engine's
 * `CpuWorlds`, and writes their rows of the shared buffers (evaluation, observation, reward,
 * fault check). Used directly (threads: 0) or inside a worker (see serve-shard.ts). `K` is
 * the key of the engine's snapshot `S` in a world's state, `W` the engine's world.
 */
export class WorldShard<K extends string, S, W extends CpuWorld<S>> implements CpuShard<CpuWorldState<K, S>> {
  private readonly worlds: (W | undefined)[];
  private readonly buffers: SimBuffers;
  private readonly randomization: unknown;
  private readonly contactFlags = new Uint8Array(MAX_CONTACT_QUERIES);
  private readonly travel: number[] = [0, 0];
  private readonly prevPose = new Float64Array(CONTROLLER_STATE_SIZE);

  private constructor(
    private readonly init: WorldShardInit,
    private readonly task: Task,
    private readonly stateKey: K,
    private readonly engine: CpuWorlds<S, W>,
  ) {
    this.randomization = this.task.resolveRandomization(init.randomization);
    this.buffers = viewBuffers(init.shape, init.memory);
    this.worlds = new Array(init.worldCount).fill(undefined);
  }

  /**
   * Loads the task in this thread, then the engine (`openWorlds`: loads the engine's module
   * and returns its world factory), and creates the shard; worlds are built on reset.
   * `stateKey` is the key of a world's engine snapshot in `getState`'s output.
   */
  static async create<K extends string, S, W extends CpuWorld<S>>(
    init: WorldShardInit,
    stateKey: K,
    openWorlds: () => Promise<CpuWorlds<S, W>>,
  ): Promise<WorldShard<K, S, W>> {
    const task = await loadTask(init.taskId, init.taskModule);
    return new WorldShard(init, task, stateKey, await openWorlds());
  }

  /** Resets the shard's worlds whose `mask` entry is 1 (all when `all`), starting their next episode. */
  reset(all: boolean, explicitEpisodes: Uint32Array | null): void {
    const { mask, episode } = this.buffers;
    for (let k = 0; k < this.init.worldCount; k++) {
      const w = this.init.worldStart + k;
      if (!all && mask[w] === 0) continue;
      if (explicitEpisodes) episode[w] = explicitEpisodes[w];
      else if (this.worlds[k] !== undefined) episode[w] += 1;
      this.resetWorld(k);
    }
  }

  private resetWorld(k: number): void {
    const w = this.init.worldStart + k;
    const b = this.buffers;
    const np = this.init.shape.numParams;
    this.task.drawParams(this.randomization, this.init.seed, b.episode[w], b.worldId[w], b.params, w * np);
    const world = this.engine.build(this.task.buildScene(b.params, w * np), this.worlds[k]);
    this.worlds[k] = world;
    const c = w * CONTROLLER_STATE_SIZE;
    this.task.initialControllerPose(b.params, w * np, b.controller, c);
    b.controller[c + 7] = -1;
    world.setGripperCommand(-1);
    b.stepCount[w] = 0;
    b.fault[w] = 0;
    this.refresh(k);
  }

  /** Steps every world of the shard by one control step with the actions in the buffer. */
  step(): void {
    const b = this.buffers;
    for (let k = 0; k < this.init.worldCount; k++) {
      const w = this.init.worldStart + k;
      const world = this.worlds[k]!;
      const c = w * CONTROLLER_STATE_SIZE;
      for (let i = 0; i < CONTROLLER_STATE_SIZE; i++) this.prevPose[i] = b.controller[c + i];
      applyAction(this.init.actionMode, b.actions, w * ACTION_SIZE, b.controller, c);
      world.setGripperCommand(b.controller[c + 7]);
      world.stepControl(this.prevPose, 0, b.controller, c);
      b.stepCount[w] += 1;
      if (world.isHealthy() && this.refresh(k)) {
        b.fault[w] = 0;
      } else {
        // Blown up: start the world's next episode; the flag tells the caller.
        b.episode[w] += 1;
        this.resetWorld(k);
        b.fault[w] = 1;
      }
    }
  }

  /** Reads world k's bodies and contacts, evaluates and observes it. Returns false on a fault. */
  private refresh(k: number): boolean {
    const w = this.init.worldStart + k;
    const b = this.buffers;
    const world = this.worlds[k]!;
    const nb = this.init.shape.numBodies;
    const bodiesOffset = w * nb * BODY_STATE_SIZE;
    world.readBodies(b.bodies, bodiesOffset);
    world.readContacts(this.contactFlags, 0);
    world.readJointTravel(this.travel);
    if (!withinLimits(b.bodies, bodiesOffset, nb)) return false;
    const view: WorldView = {
      bodies: b.bodies,
      bodiesOffset,
      contacts: this.contactFlags,
      contactsOffset: 0,
      params: b.params,
      paramsOffset: w * this.init.shape.numParams,
      controller: b.controller,
      controllerOffset: w * CONTROLLER_STATE_SIZE,
      jointTravel: this.travel,
    };
    const so = w * this.init.shape.numSignals;
    const success = this.task.evaluate(view, { signals: b.signals, signalsOffset: so });
    b.success[w] = success ? 1 : 0;
    b.terminated[w] = success ? 1 : 0;
    b.truncated[w] = b.stepCount[w] >= this.init.maxEpisodeSteps ? 1 : 0;
    b.reward[w] = this.task.reward(view, b.signals, so);
    this.task.observe(view, b.obs, w * this.init.shape.obsSize);
    return true;
  }

  /** Full state of the shard's worlds, in world order. */
  getState(): CpuWorldState<K, S>[] {
    const b = this.buffers;
    const np = this.init.shape.numParams;
    return this.worlds.map((world, k) => {
      const w = this.init.worldStart + k;
      const c = w * CONTROLLER_STATE_SIZE;
      return {
        [this.stateKey]: world!.snapshot(),
        controller: b.controller.slice(c, c + CONTROLLER_STATE_SIZE),
        params: b.params.slice(w * np, (w + 1) * np),
        episode: b.episode[w],
        worldId: b.worldId[w],
        stepCount: b.stepCount[w],
      } as CpuWorldState<K, S>;
    });
  }

  /** Restores the shard's worlds from `getState()` output (same order). */
  setState(states: CpuWorldState<K, S>[]): void {
    const b = this.buffers;
    const np = this.init.shape.numParams;
    states.forEach((s, k) => {
      const w = this.init.worldStart + k;
      b.params.set(s.params, w * np);
      b.controller.set(s.controller, w * CONTROLLER_STATE_SIZE);
      b.episode[w] = s.episode;
      b.worldId[w] = s.worldId;
      b.stepCount[w] = s.stepCount;
      b.fault[w] = 0;
      const scene = this.task.buildScene(b.params, w * np);
      const world = this.engine.restore(scene, s[this.stateKey], this.worlds[k], w);
      world.setGripperCommand(s.controller[7]);
      this.worlds[k] = world;
      this.refresh(k);
    });
  }

  /** Sets a body's velocities in world `w` (for perturbation and fault tests). */
  perturb(w: number, body: number, linvel: readonly number[], angvel: readonly number[]): void {
    this.worlds[w - this.init.worldStart]!.setVelocity(body, linvel, angvel);
  }

  /** World `w`'s contact points of its last physics step (see `CpuWorld.contacts`). */
  contactPoints(w: number): ContactPoint[] {
    return this.worlds[w - this.init.worldStart]!.contacts();
  }

  /** Frees every world, then what the engine's worlds share. */
  dispose(): void {
    for (const world of this.worlds) world?.free();
    this.worlds.fill(undefined);
    this.engine.dispose();
  }
}

/** Whether every body's state is finite and within `FAULT_LIMITS`' speeds. */
function withinLimits(bodies: Float32Array, offset: number, numBodies: number): boolean {
  for (let i = 0; i < numBodies; i++) {
    const o = offset + i * BODY_STATE_SIZE;
    for (let j = 0; j < BODY_STATE_SIZE; j++) if (!Number.isFinite(bodies[o + j])) return false;
    if (Math.hypot(bodies[o + 7], bodies[o + 8], bodies[o + 9]) > FAULT_LIMITS.maxLinearSpeed) return false;
    if (Math.hypot(bodies[o + 10], bodies[o + 11], bodies[o + 12]) > FAULT_LIMITS.maxAngularSpeed) return false;
  }
  return true;
}
