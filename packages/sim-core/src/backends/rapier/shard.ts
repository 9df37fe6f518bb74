import { applyAction, CONTROLLER_STATE_SIZE, ACTION_SIZE, type ActionMode } from '../../controller/ee-controller.js';
import { BODY_STATE_SIZE } from '../../scene/scene-desc.js';
import { viewBuffers, type BufferMemory, type BufferShape, type SimBuffers } from '../../sim/buffers.js';
import { FAULT_LIMITS } from '../../sim/fault-limits.js';
import { loadTask } from '../../tasks/registry.js';
import type { Task, WorldView } from '../../tasks/task.js';
import type { PhysicsSettings } from './physics-settings.js';
import type { ContactPoint } from '../../sim/contacts.js';
import { loadRapier, type Rapier } from './rapier-module.js';
import { RapierWorld, type WorldHandles } from './rapier-world.js';
import { HEAP_BYTES_PER_WORLD, reserveRapierHeap } from './heap-reserve.js';

/** What a shard needs to know: the task, its randomization, and its slice of worlds. */
export interface ShardInit {
  taskId: string;
  /** Module that registers a plug-in task in a worker thread (see `registerTask`). */
  taskModule?: string;
  randomization: unknown;
  seed: number;
  actionMode: ActionMode;
  maxEpisodeSteps: number;
  physics: PhysicsSettings;
  shape: BufferShape;
  memory: BufferMemory;
  /** First world of this shard and number of worlds. */
  worldStart: number;
  worldCount: number;
}

/** A world's complete state: enough to continue it bit for bit. */
export interface WorldState {
  snapshot: Uint8Array;
  controller: Float64Array;
  params: Float32Array;
  episode: number;
  /** World key of the randomization. */
  worldId: number;
  stepCount: number;
}

/** Most contact queries a scene may declare. */
const MAX_CONTACT_QUERIES = 8;

/**
 * The worlds of one thread: builds, resets and steps them, and writes their rows of the
 * shared buffers. Used directly (threads: 0) or inside a worker.
 */
export class RapierShard {
  private readonly worlds: (RapierWorld | undefined)[];
  private readonly buffers: SimBuffers;
  private readonly randomization: unknown;
  private readonly contacts: Uint8Array;
  private readonly travel: number[] = [0, 0];
  private readonly prevPose = new Float64Array(CONTROLLER_STATE_SIZE);
  private handles: WorldHandles | undefined;

  private constructor(
    private readonly rapier: Rapier,
    private readonly init: ShardInit,
    private readonly task: Task,
  ) {
    this.randomization = this.task.resolveRandomization(init.randomization);
    this.buffers = viewBuffers(init.shape, init.memory);
    this.worlds = new Array(init.worldCount).fill(undefined);
    this.contacts = new Uint8Array(MAX_CONTACT_QUERIES);
  }

  /** Loads Rapier in this thread and creates the shard (worlds are built on reset). */
  static async create(init: ShardInit): Promise<RapierShard> {
    const task = await loadTask(init.taskId, init.taskModule);
    const rapier = await loadRapier();
    reserveRapierHeap(rapier, init.worldCount * HEAP_BYTES_PER_WORLD);
    return new RapierShard(rapier, init, task);
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
    this.worlds[k]?.free();
    const world = RapierWorld.build(this.rapier, this.task.buildScene(b.params, w * np), this.init.physics);
    this.handles ??= world.handles();
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
      if (this.refresh(k)) {
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
    world.readContacts(this.contacts, 0);
    world.readJointTravel(this.travel);
    if (!withinLimits(b.bodies, bodiesOffset, nb)) return false;
    const view: WorldView = {
      bodies: b.bodies,
      bodiesOffset,
      contacts: this.contacts,
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
  getState(): WorldState[] {
    const b = this.buffers;
    const np = this.init.shape.numParams;
    return this.worlds.map((world, k) => {
      const w = this.init.worldStart + k;
      const c = w * CONTROLLER_STATE_SIZE;
      return {
        snapshot: world!.snapshot(),
        controller: b.controller.slice(c, c + CONTROLLER_STATE_SIZE),
        params: b.params.slice(w * np, (w + 1) * np),
        episode: b.episode[w],
        worldId: b.worldId[w],
        stepCount: b.stepCount[w],
      };
    });
  }

  /** Restores the shard's worlds from `getState()` output (same order). */
  setState(states: WorldState[]): void {
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
      const handles = this.handles ?? RapierWorld.build(this.rapier, scene, this.init.physics).handles();
      this.handles = handles;
      const world = RapierWorld.restore(this.rapier, s.snapshot, scene, this.init.physics, handles, w);
      this.worlds[k]?.free();
      world.setGripperCommand(s.controller[7]);
      this.worlds[k] = world;
      this.refresh(k);
    });
  }

  /** Sets a body's velocities in world `w` (for perturbation and fault tests). */
  perturb(w: number, body: number, linvel: readonly number[], angvel: readonly number[]): void {
    const world = this.worlds[w - this.init.worldStart]!;
    world.bodies[body].setLinvel({ x: linvel[0], y: linvel[1], z: linvel[2] }, true);
    world.bodies[body].setAngvel({ x: angvel[0], y: angvel[1], z: angvel[2] }, true);
  }

  /** World `w`'s contact points of its last physics step (see `RapierWorld.contacts`). */
  contactPoints(w: number): ContactPoint[] {
    return this.worlds[w - this.init.worldStart]!.contacts();
  }

  /** Frees every world's WASM memory. */
  dispose(): void {
    for (const world of this.worlds) world?.free();
    this.worlds.fill(undefined);
  }
}

function withinLimits(bodies: Float32Array, offset: number, numBodies: number): boolean {
  for (let i = 0; i < numBodies; i++) {
    const o = offset + i * BODY_STATE_SIZE;
    for (let j = 0; j < BODY_STATE_SIZE; j++) if (!Number.isFinite(bodies[o + j])) return false;
    if (Math.hypot(bodies[o + 7], bodies[o + 8], bodies[o + 9]) > FAULT_LIMITS.maxLinearSpeed) return false;
    if (Math.hypot(bodies[o + 10], bodies[o + 11], bodies[o + 12]) > FAULT_LIMITS.maxAngularSpeed) return false;
  }
  return true;
}
