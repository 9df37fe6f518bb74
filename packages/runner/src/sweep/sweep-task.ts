/**
 * The task behind a sweep. `parseSweepConfig` checks a config's shape; the task and its preset
 * names are checked here against the task registry (plug-in tasks register at run time), before
 * anything is recorded, generated or trained, so a misspelt name fails at once with the valid
 * names instead of deep inside demo recording.
 */
import { getTask, taskIds, type Task } from '@gripgen/sim-core';
import type { SweepConfig } from './sweep-config.js';

/** A sweep config naming an unregistered task or a preset its task lacks. */
export class SweepTaskError extends Error {
  override name = 'SweepTaskError';
}

/**
 * The task of `config`, after checking that it is registered and that every randomization the
 * config names (`evalRandomization`, `sourceDemos.randomization`, each series'
 * `trainRandomization`) is one of its presets. Throws a {@link SweepTaskError} naming the
 * field, the value given and the valid names.
 */
export function checkSweepTask(config: SweepConfig): Task {
  if (!taskIds().includes(config.task)) {
    throw new SweepTaskError(`task: unknown task "${config.task}"; registered tasks: ${taskIds().join(', ')}`);
  }
  const task = getTask(config.task);
  const presets = Object.keys(task.presets);
  const named: [string, string][] = [
    ['evalRandomization', config.evalRandomization],
    ['sourceDemos.randomization', config.sourceDemos.randomization],
    ...config.series.map((s, i): [string, string] => [`series[${i}].trainRandomization`, s.trainRandomization]),
  ];
  const problems = named
    .filter(([, preset]) => !presets.includes(preset))
    .map(([field, preset]) => `${field}: task ${task.id} has no preset "${preset}"; its presets: ${presets.join(', ')}`);
  if (problems.length > 0) throw new SweepTaskError(problems.join('; '));
  return task;
}
