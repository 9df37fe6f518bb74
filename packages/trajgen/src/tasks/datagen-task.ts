import { getTask, obsPoseSlot, readObsPose, type ObsPoseSlot, type SubtaskSpec } from '@gripgen/sim-core';
import type { SourceDemo } from '../demos/source-demo.js';
import { poseMultiply, type Pose } from '../pose.js';

/**
 * What generation needs to know about a task (MimicGen's "environment interface" and task
 * spec): its object-centric subtasks (the task's `datagen` spec), and where the end-effector
 * and object poses are in the observation (found by the observation naming convention).
 */
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
  /**
   * Moves `pose` (object `name`'s pose, in place) to the subtask's anchor point on that object
   * (see `SubtaskSpec.anchor`), for the object's size in the world whose parameter row starts
   * at `params[offset]`; leaves it at the centre when the subtask has no anchor.
   */
  anchorPose(subtask: SubtaskSpec, pose: Pose, params: ArrayLike<number>, offset: number): void;
  /** The parameter row of the world a source demo was recorded in (drawn again from its world key). */
  demoParams(demo: SourceDemo): Float32Array;
}

/** The generation view of a registered task; throws naming the tasks that have a datagen spec when it has none. */
export function getDatagenTask(taskId: string): DatagenTask {
  const task = getTask(taskId);
  const spec = task.datagen;
  if (!spec) throw new Error(`task "${taskId}" has no datagen spec (subtasks), so it cannot be generated from`);
  const eef = obsPoseSlot(task.obsNames, 'ee');
  const slots = new Map<string, ObsPoseSlot>(spec.objects.map((o) => [o, obsPoseSlot(task.obsNames, o)]));
  for (const s of spec.subtasks) {
    if (!slots.has(s.object)) throw new Error(`task "${taskId}": subtask "${s.name}" refers to object "${s.object}", which is not among its datagen objects (${spec.objects.join(', ')})`);
    if (s.endSignal !== null && !task.signalNames.includes(s.endSignal)) {
      throw new Error(`task "${taskId}": subtask "${s.name}" ends on signal "${s.endSignal}", which the task does not have (signals: ${task.signalNames.join(', ')})`);
    }
  }
  if (spec.subtasks.some((s) => s.anchor) && !spec.halfExtents) {
    throw new Error(`task "${taskId}": subtasks with an anchor need the datagen spec's halfExtents`);
  }
  const offset = new Float64Array(7);
  const anchored = new Float64Array(7);
  return {
    taskId,
    subtasks: spec.subtasks,
    objects: spec.objects,
    eefPose(obs, o, out, outOffset = 0) {
      readObsPose(obs, o, eef, out, outOffset);
    },
    objectPose(name, obs, o, out, outOffset = 0) {
      const slot = slots.get(name);
      if (!slot) throw new Error(`${taskId} has no object "${name}" (objects: ${spec.objects.join(', ')})`);
      readObsPose(obs, o, slot, out, outOffset);
    },
    anchorPose(subtask, pose, params, paramOffset) {
      if (!subtask.anchor) return;
      const half = spec.halfExtents!(subtask.object, params, paramOffset);
      offset.set([subtask.anchor[0] * half[0], subtask.anchor[1] * half[1], subtask.anchor[2] * half[2], 0, 0, 0, 1]);
      poseMultiply(anchored, pose, offset);
      pose.set(anchored);
    },
    demoParams(demo) {
      const params = new Float32Array(task.paramNames.length);
      task.drawParams(task.resolveRandomization(demo.randomization), demo.world.seed, demo.world.episode, demo.world.worldId, params, 0);
      return params;
    },
  };
}
