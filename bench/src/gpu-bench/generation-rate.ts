/**
 * Generation: successful trajectories per hour of `generateDataset` on the webgpu backend, one
 * attempt per world (a full batch), wide worlds from 10 narrow expert source demos, the dataset
 * written to a temporary folder and removed. A round is one run.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { generateDataset, type SourceDemo } from '@gripgen/trajgen';
import { repeatRow, type RoundPolicy, type Rounds, type RoundSample } from '../rounds/repeat.js';

/** A round: `seconds` of the run's wall time, `work` its successful trajectories. */
export type GenerationRound = RoundSample & { attempts: number; successRate: number; controlSteps: number };

/** Measures generation at `worlds` worlds; `dir`: a scratch folder. */
export function measureGeneration(demos: SourceDemo[], worlds: number, dir: string, policy: RoundPolicy): Promise<Rounds<GenerationRound>> {
  return repeatRow(async (round) => {
    const out = join(dir, `generation-${worlds}-${round}`);
    try {
      const stats = await generateDataset({ demos, out, config: { numTrials: worlds, keepFailed: false }, worlds, backend: 'webgpu', randomization: 'wide', seed: 1 });
      return { seconds: stats.wallSeconds, work: stats.successes, attempts: stats.attempts, successRate: stats.successRate, controlSteps: stats.controlSteps };
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, policy);
}
