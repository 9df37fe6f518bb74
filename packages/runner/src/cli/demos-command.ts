import { DEFAULT_TASK_ID, getTask } from '@gripgen/sim-core';
import { recordExpertDemos, writeSourceDemos } from '@gripgen/trajgen';
import { expertTaskIds } from '../expert-run.js';
import { BACKENDS, parseChoice, parseIntOption, UsageError, parseCommandArgs, randomizationUsage, taskUsage } from './options.js';
import { createProgress } from './progress.js';

/** Usage of `gripgen demos`. */
export const DEMOS_USAGE = `Usage: gripgen demos --out <dir> [options]

Records source demos with the task's scripted expert (its style — heights, speed, grasp
offset — varies per demo): per step the end-effector and controller target poses, the
object poses, the gripper action, the sub-signals and the action, plus the world key that
recreates the world. One JSON file per demo (demo_000.json, …); trajgen reads them with
'gripgen generate --source <dir>'.

Options:
  --out <dir>             directory to write (required)
${taskUsage(expertTaskIds())}
  --count <n>             successful demos to record (default 10)
${randomizationUsage('demo')}
  --backend <name>        auto, rapier, webgpu or mujoco (default rapier)
  --seed <n>              seed of the demo worlds and styles (default 0)
  --json                  print one JSON object (files, lengths) instead of a summary
  -h, --help              show this help`;

/** Runs `gripgen demos`. */
export async function demosCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(argv, {
    out: { type: 'string' },
    task: { type: 'string', default: DEFAULT_TASK_ID },
    count: { type: 'string', default: '10' },
    randomization: { type: 'string' },
    backend: { type: 'string', default: 'rapier' },
    seed: { type: 'string', default: '0' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${DEMOS_USAGE}\n`);
    return 0;
  }
  if (!values.out) throw new UsageError('--out <dir> is required');
  const task = parseChoice('task', values.task, expertTaskIds());
  const randomization = parseChoice('randomization', values.randomization ?? getTask(task).demoPreset, Object.keys(getTask(task).presets));
  const backend = parseChoice('backend', values.backend, BACKENDS);
  const count = parseIntOption('count', values.count, 1, 10000);
  const seed = parseIntOption('seed', values.seed, 0, 0xffffffff);
  const progress = values.json ? null : createProgress({ total: count, label: 'demos' });
  // The demos of a round of worlds all come at its end: the step tells how far it is.
  const onProgress = (done: number, _count: number, round: { step: number; maxSteps: number }) =>
    progress?.update(done, round.step > 0 ? `step ${round.step} of the episodes (they end by step ${round.maxSteps})` : undefined);
  const demos = await recordExpertDemos({ task, count, randomization, seed, backend, onProgress });
  progress?.finish();
  const files = await writeSourceDemos(values.out, demos);
  const summary = { out: values.out, task, count: demos.length, randomization, seed, backend, files, lengths: demos.map((d) => d.length) };
  process.stdout.write(values.json ? `${JSON.stringify(summary)}\n` : `wrote ${demos.length} source demos (${demos.map((d) => d.length).join(', ')} steps) to ${values.out}\n`);
  return 0;
}
