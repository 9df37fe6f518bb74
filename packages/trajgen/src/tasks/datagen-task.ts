import { getTask, obsPoseSlot, readObsPose, type ObsPoseSlot, type SubtaskSpec } from '@gripgen/sim-core';

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
  };
}
