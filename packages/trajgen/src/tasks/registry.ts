import type { DatagenTask } from './datagen-task.js';
import { PICK_PLACE_DATAGEN } from './pick-place.js';

const TASKS: Readonly<Record<string, DatagenTask>> = { 'pick-place': PICK_PLACE_DATAGEN };

/** The generation view of a task; throws naming the known tasks when there is none. */
export function getDatagenTask(taskId: string): DatagenTask {
  const task = TASKS[taskId];
  if (!task) throw new Error(`task "${taskId}" cannot be generated from; known: ${Object.keys(TASKS).join(', ')}`);
  return task;
}
