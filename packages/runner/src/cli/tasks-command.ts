import { getTask, sceneSolverRuns, taskIds, type Task } from '@gripgen/sim-core';
import { parseCommandArgs } from './options.js';
import { formatTable } from './table.js';

/** Usage of `gripgen tasks`. */
export const TASKS_USAGE = `Usage: gripgen tasks [--json]

Lists the registered tasks: what each is, its randomization presets (and which one worlds are
evaluated on and source demos recorded on by default), its subtasks for generation, whether
it has a scripted expert, and the backends it runs on.

Options:
  --json                  print one JSON array instead of a table
  -h, --help              show this help`;

/** One task as `gripgen tasks --json` lists it. */
export interface TaskSummary {
  id: string;
  description: string;
  presets: string[];
  defaultPreset: string;
  demoPreset: string;
  expert: boolean;
  subtasks: string[];
  backends: string[];
  obsSize: number;
}

/** What a task offers, for listings. */
export function summarizeTask(task: Task): TaskSummary {
  return {
    id: task.id,
    description: task.description,
    presets: Object.keys(task.presets),
    defaultPreset: task.defaultPreset,
    demoPreset: task.demoPreset,
    expert: task.expert !== undefined,
    subtasks: task.datagen?.subtasks.map((s) => s.name) ?? [],
    backends: ['rapier', 'mujoco', ...(task.gpu || sceneSolverRuns(task) ? ['webgpu'] : [])],
    obsSize: task.obsNames.length,
  };
}

/** Runs `gripgen tasks`. */
export async function tasksCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(argv, {
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${TASKS_USAGE}\n`);
    return 0;
  }
  const tasks = taskIds().map((id) => summarizeTask(getTask(id)));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(tasks)}\n`);
    return 0;
  }
  const rows = tasks.map((t) => [t.id, t.defaultPreset, t.demoPreset, t.presets.join(' '), t.subtasks.join(' → ') || '—', t.expert ? 'yes' : 'no', t.backends.join(' ')]);
  const table = formatTable(rows, { header: ['task', 'eval', 'demos', 'presets', 'subtasks', 'expert', 'backends'], align: Array(7).fill('left') });
  const descriptions = tasks.map((t) => `  ${t.id}: ${t.description}`).join('\n');
  process.stdout.write(`${table}\n\n${descriptions}\n`);
  return 0;
}
