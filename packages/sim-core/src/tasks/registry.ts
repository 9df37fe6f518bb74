import { pickPlaceTask } from './pick-place/index.js';
import { pickPlaceClutterTask } from './pick-place-clutter/index.js';
import { stackThreeTask } from './stack-three/index.js';
import { stackTask } from './stack/index.js';
import type { Task } from './task.js';

/**
 * The task registry: one line per built-in task. A task defined elsewhere (a user's harness,
 * a test) is added with `registerTask`; nothing outside a task's folder names a task.
 */
const BUILT_IN: readonly Task[] = [
  pickPlaceTask as unknown as Task,
  pickPlaceClutterTask as unknown as Task,
  stackTask as unknown as Task,
  stackThreeTask as unknown as Task,
];

/** The task used when none is named. */
export const DEFAULT_TASK_ID = pickPlaceTask.id;

const TASKS = new Map<string, Task>(BUILT_IN.map((t) => [t.id, t]));
/** Module URLs that register plug-in tasks, by task id (imported by worker threads). */
const MODULES = new Map<string, string>();

/**
 * Registers a task. Worker threads (the rapier and mujoco backends with `threads` ≥ 1) run in
 * their own module graph: give `module`, the URL of an ES module that registers the task when
 * imported (usually the defining module's `import.meta.url`), and each worker imports it
 * first; without it the task runs on the calling thread only (`threads: 0`). Re-registering
 * the same object is a no-op; another task under a taken id throws.
 */
export function registerTask<R>(task: Task<R>, options: { module?: string } = {}): void {
  const existing = TASKS.get(task.id);
  if (existing && existing !== (task as unknown as Task)) throw new Error(`a different task is already registered as "${task.id}"`);
  TASKS.set(task.id, task as unknown as Task);
  if (options.module) MODULES.set(task.id, options.module);
}

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

/** The module URL that registers plug-in task `id` (for worker threads), if it was given. */
export function taskModule(id: string): string | undefined {
  return MODULES.get(id);
}

/**
 * Gets task `id` inside a worker thread: imports `module` first when given (it registers the
 * task); throws saying how to make a plug-in task reach workers when it is not registered.
 */
export async function loadTask(id: string, module: string | undefined): Promise<Task> {
  if (module && !TASKS.has(id)) await import(module);
  if (!TASKS.has(id)) {
    throw new Error(
      `task "${id}" is not registered in this worker thread: register it with registerTask(task, { module: import.meta.url }) ` +
        `from a module that registers it when imported, or run with threads: 0`,
    );
  }
  return getTask(id);
}
