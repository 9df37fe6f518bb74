/** A tiny generated dataset for the export tests: real generation on the rapier backend. */
import { join } from 'node:path';
import { getTask, taskIds } from '@gripgen/sim-core';
import { generateDataset, recordExpertDemos } from '../src/index.js';

/** Every registered task that has a scripted expert and a datagen spec (each gets a dataset in the export tests). */
export const DATAGEN_TASKS = taskIds().filter((id) => getTask(id).expert && getTask(id).datagen);

/**
 * Generates a dataset of `count` successful trajectories of `task` into `<dir>/dataset` from 2
 * scripted-expert source demos (narrow worlds, 4 worlds, one thread) and returns its directory.
 */
export async function makeSmallDataset(dir: string, task = 'pick-place', count = 2): Promise<string> {
  const demos = await recordExpertDemos({ task, count: 2, randomization: 'narrow', seed: 0, threads: 0 });
  const out = join(dir, 'dataset');
  await generateDataset({
    demos,
    out,
    config: { numTrials: count, guarantee: true, keepFailed: false },
    worlds: 4,
    backend: 'rapier',
    threads: 0,
    randomization: 'narrow',
    seed: 1,
  });
  return out;
}
