/**
 * One generated trajectory as trajgen writes it into a dataset shard, and as readers get it back.
 *
 * Time runs over the T executed control steps: row t of `obs` is the observation the action of
 * row t was chosen from; `rewards[t]`, `dones[t]` and the datagen rows are those of that step.
 * Poses are `[x, y, z, qx, qy, qz, qw]` (metres, unit quaternion, Z up), 7 floats per row.
 */
import type { BackendKind } from '@gripgen/sim-core';
export interface Episode {
  /** Index of the attempt in the run's seed space (unique per dataset; `--shard i/n` slices it). */
  attempt: number;
  /** What recreates the world: `createSim({ seed })`, then `reset({ episodes: [episode], worldIds: [worldId] })`. */
  world: WorldKey;
  /** Executed control steps. */
  length: number;
  /** T × obsSize observations (the Sim's `spec.obsNames`). */
  obs: Float32Array;
  /** T × 7 actions as the Sim received them (delta mode: metres, axis-angle radians, gripper −1…1). */
  actions: Float32Array;
  rewards: Float32Array;
  /** 1 on the last step. */
  dones: Uint8Array;
  /** The task's success was reached at some step (latched), and no object left the workspace after it. */
  success: boolean;
  /** First step after which the task was successful, or −1 (also when `success` is false). */
  successStep: number;
  /** Source demo used by each subtask, in subtask order (MimicGen's `src_demo_inds`). */
  srcDemoIndices: number[];
  /** Source demo per step (MimicGen's `src_demo_labels`). */
  srcDemoLabels: Int32Array;
  /** First step of each subtask in this trajectory (subtask order). */
  subtaskStarts: number[];
  /** MimicGen's datagen info, per step. */
  datagen: DatagenInfo;
  /** Replay on another backend (`--certify`), or null when not certified. */
  certification: Certification | null;
}

/** The key of a randomized world: the same on every backend and batch size. */
export interface WorldKey {
  seed: number;
  episode: number;
  worldId: number;
}

/** MimicGen's datagen info rows: what generation saw and commanded at each step. */
export interface DatagenInfo {
  /** T × 7 end-effector pose before the step. */
  eefPose: Float32Array;
  /** T × 7 controller target pose commanded by the step. */
  targetPose: Float32Array;
  /** Per object name (`cube`, `bin`): T × 7 poses before the step. */
  objectPoses: Record<string, Float32Array>;
  /** T gripper actions (−1 open … +1 close). */
  gripperAction: Float32Array;
  /** Per sub-signal name (`isGrasped`, …): T flags after the step. */
  signals: Record<string, Uint8Array>;
}

/** The engines an episode can be certified on (replayed from its world key). */
export const CERTIFYING_BACKENDS: readonly BackendKind[] = ['rapier', 'webgpu', 'mujoco'];

/** Result of replaying an episode's actions from its world key on another backend. */
export interface Certification {
  backend: BackendKind;
  success: boolean;
}
