/**
 * What generation needs to know about a task (MimicGen's "environment interface" and task
 * spec): its object-centric subtasks, and where the end-effector and object poses are in
 * the observation.
 */

/** One object-centric subtask. */
export interface SubtaskSpec {
  name: string;
  /** Object whose frame the subtask's poses are relative to (MimicGen's `object_ref`). */
  object: string;
  /** Sub-signal whose first 0→1 edge ends the subtask; null for the last subtask. */
  endSignal: string | null;
}

/** A task as generation sees it. */
export interface DatagenTask {
  taskId: string;
  /** Subtasks in order; the last one runs to the end of the demo. */
  subtasks: readonly SubtaskSpec[];
  /** Names of the objects with poses. */
  objects: readonly string[];
  /** Writes the end-effector pose `[x, y, z, qx, qy, qz, qw]` of the observation at `o` into `out`. */
  eefPose(obs: ArrayLike<number>, o: number, out: Float64Array | Float32Array, outOffset?: number): void;
  /** Writes object `name`'s pose of the observation at `o` into `out`. */
  objectPose(name: string, obs: ArrayLike<number>, o: number, out: Float64Array | Float32Array, outOffset?: number): void;
}
