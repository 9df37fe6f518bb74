/**
 * Curve wall time: one tiny `runSweep` on the webgpu backend at a world count — source demos,
 * a dataset of N = worlds/16 trajectories generated with `worlds` attempts in flight, a policy
 * per N ∈ {worlds/32, worlds/16} (one seed, 100 optimizer steps: the trainer is not what this
 * times), each evaluated on `worlds` held-out worlds for 150 steps. Its figure is a time, so it
 * runs once (not in rounds). Above CURVE_MAX_WORLDS it is n/a: more held-out worlds add nothing a
 * curve needs, and its generation is the generation row's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSweepConfig } from '../../../packages/runner/src/sweep/sweep-config.js';
import { runSweep } from '../../../packages/runner/src/sweep/run-sweep.js';

/** The largest world count a curve row runs at. */
export const CURVE_MAX_WORLDS = 65_536;

/** What the sweep reported about its parts (seconds: data, train, evaluate, total). */
export interface CurveRun {
  counts: number[];
  timings: Record<string, number>;
}

/** Runs the sweep in a temporary folder under `dir` (removed after). */
export async function runCurve(worlds: number, dir: string): Promise<CurveRun> {
  const counts = [Math.max(8, worlds / 32), Math.max(16, worlds / 16)].map(Math.floor);
  const config = parseSweepConfig({
    task: 'pick-place',
    counts,
    seeds: 1,
    series: [{ name: 'bench', trainRandomization: 'wide' }],
    evalWorlds: worlds,
    evalSteps: 150,
    generation: { worlds },
    training: { minSteps: 100, maxSteps: 100 },
    backend: 'webgpu',
  });
  const out = await mkdtemp(join(dir, `curve-${worlds}-`));
  try {
    const report = await runSweep({ out, config, title: `bench:gpu ${worlds} worlds` });
    return { counts, timings: report.timings };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
