import { pickPlaceTask } from './pick-place/index.js';
import type { Task } from './task.js';

const TASKS = new Map<string, Task>([[pickPlaceTask.id, pickPlaceTask as Task]]);

/** Ids of the registered tasks. */
export function taskIds(): string[] {
  return [...TASKS.keys()];
}

/** The task registered under `id`; throws listing the known ids otherwise. */
export function getTask(id: string): Task {
  const task = TASKS.get(id);
  if (!task) throw new Error(`Unknown task "${id}". Known tasks: ${taskIds().join(', ')}`);
  return task;
}
