import type { SceneDesc } from '../../scene/scene-desc.js';
import type { ContactPoint } from '../../sim/contacts.js';

/**
 * One simulated world of a CPU engine, as `WorldShard` drives it; `S` is the engine's
 * snapshot of the world (what `getState` keeps of it besides the shard's common fields).
 * Owns engine memory: the shard calls `free()` when it drops the world.
 */
export interface CpuWorld<S> {
  /** Sets the gripper command: −1 opens the fingers fully, +1 closes them. */
  setGripperCommand(command: number): void;
  /**
   * Advances one control step: the controlled body moves from pose `from` to pose `to` (each
   * [x, y, z, qx, qy, qz, qw] at `fromOffset` / `toOffset`) over the engine's substeps.
   */
  stepControl(from: ArrayLike<number>, fromOffset: number, to: ArrayLike<number>, toOffset: number): void;
  /**
   * False when the engine itself found the world broken during the last step (the shard then
   * starts the world's next episode and flags a fault); bodies beyond `FAULT_LIMITS` are
   * checked by the shard.
   */
  isHealthy(): boolean;
  /** Writes `BODY_STATE_SIZE` floats per body (position, quaternion [x, y, z, w], linear and angular velocity) at `offset`. */
  readBodies(out: Float32Array | Float64Array, offset: number): void;
  /** For each of the scene's contact queries, 1 if the two bodies touch with a pushing contact, written at `offset`. */
  readContacts(out: Uint8Array, offset: number): void;
  /** Current travel (m) of each of the scene's prismatic joints, written to `out`. */
  readJointTravel(out: number[]): void;
  /** The contact points of the last physics step, the pair ordered as the scene lists the bodies (`bodyA` the later one). */
  contacts(): ContactPoint[];
  /** Sets body `body`'s linear and angular velocity (world frame), for perturbations and fault tests. */
  setVelocity(body: number, linvel: readonly number[], angvel: readonly number[]): void;
  /** The world's complete engine state: restoring it continues the world bit for bit. */
  snapshot(): S;
  /** Releases the world's engine memory. */
  free(): void;
}

/**
 * An engine's side of `WorldShard`: builds and restores its worlds (`W`, snapshots `S`) and
 * owns what they share in one thread (the loaded engine, template models, …).
 */
export interface CpuWorlds<S, W extends CpuWorld<S> = CpuWorld<S>> {
  /**
   * A world at the start of an episode of `scene`. `previous` is the world this one replaces
   * (from `build` or `restore` of this object), if any: the engine frees it or rebuilds it in
   * place and returns it.
   */
  build(scene: SceneDesc, previous: W | undefined): W;
  /**
   * A world of `scene` in the state `snapshot` (from `snapshot()` of a world of that scene),
   * replacing `previous` as `build` does; throws when the snapshot does not fit the scene
   * (`worldIndex`, the world's index in the Sim, is for the message).
   */
  restore(scene: SceneDesc, snapshot: S, previous: W | undefined, worldIndex: number): W;
  /** Frees what the worlds share; called after every world was freed. */
  dispose(): void;
}
