/**
 * Pieces of the throughput benchmarks' stepping loops shared by every backend (and by the
 * browser page: no Node APIs here).
 */
import type { Sim, StepResult } from '@gripgen/sim-core';

/** Warm-up bounds (see the benchmarks' `minWarmupSteps` … `maxWarmupSeconds` docs). */
export interface WarmupTiming {
  minWarmupSteps: number;
  minWarmupSeconds: number;
  warmupWindowSeconds: number;
  maxWarmupSeconds: number;
}

/**
 * Steps until the rate settles: a first window of at least `minWarmupSteps` steps and
 * `minWarmupSeconds`, then windows of `warmupWindowSeconds` until one is no more than 3%
 * faster per step than the one before, or `maxWarmupSeconds` passed. Returns the steps run,
 * the seconds taken and the last window's ms per step.
 */
export async function warmUp(step: () => Promise<void>, t: WarmupTiming): Promise<{ steps: number; seconds: number; msPerStep: number }> {
  let steps = 0;
  const start = performance.now();
  const window = async (seconds: number) => {
    const t0 = performance.now();
    let n = 0;
    while (n < t.minWarmupSteps || performance.now() - t0 < seconds * 1000) {
      await step();
      n++;
    }
    steps += n;
    return (performance.now() - t0) / n;
  };
  let previous = await window(t.minWarmupSeconds);
  let msPerStep = previous;
  while (performance.now() - start < t.maxWarmupSeconds * 1000) {
    msPerStep = await window(t.warmupWindowSeconds);
    if (msPerStep >= 0.97 * previous) break;
    previous = msPerStep;
  }
  return { steps, seconds: (performance.now() - start) / 1000, msPerStep };
}

/** Counters of `resetTruncated`. */
export interface ResetTally {
  resets: number;
  faults: number;
  resetMs: number;
}

/**
 * Counts the faults of step result `r` and gives the truncated worlds a masked reset (timed);
 * returns the result to continue from.
 */
export async function resetTruncated(sim: Sim, r: StepResult, mask: Uint8Array, tally: ResetTally): Promise<StepResult> {
  let truncated = 0;
  for (let w = 0; w < mask.length; w++) {
    mask[w] = r.truncated[w];
    truncated += mask[w];
    tally.faults += r.fault[w];
  }
  if (truncated === 0) return r;
  const t0 = performance.now();
  const next = await sim.reset({ mask });
  tally.resetMs += performance.now() - t0;
  tally.resets += truncated;
  return next;
}
