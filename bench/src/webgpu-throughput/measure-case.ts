/**
 * One benchmark row, the same code in Node and in a browser page: creates a Sim, warms it up,
 * then measures its step rate in each readback mode. Uses only `createSim` and
 * `performance.now()`, so the page bundle pulls in nothing Node-specific.
 */
import { createSim, type GpuAdapterDescription, type PhysicsSettings } from '@gripgen/sim-core';
import { fillRandomActions, mulberry32 } from '../rapier-throughput/random-actions.js';
import { repeatRow, type RoundPolicy, type StepRounds } from '../rounds/repeat.js';
import { resetTruncated, warmUp, type ResetTally, type WarmupTiming } from '../step-loop.js';

/**
 * `readback`: every step reads its results back (a normal `sim.step(actions)`).
 * `no-readback`: `sim.step(actions, { readback: false })`, except the step that ends each
 * episode (to find the truncated worlds) and the last step of each round (so the clock includes
 * all the GPU work).
 */
export type ReadbackMode = 'readback' | 'no-readback';

/** How long a row warms up and measures. */
export interface RowTiming extends WarmupTiming, RoundPolicy {
  // Warm-up (`WarmupTiming`) runs in readback mode before the clock starts.
  /**
   * Each mode starts from a full reset (untimed) and measures rounds (`RoundPolicy`) until it has
   * `minSeconds` in `minRounds` rounds: each round at least `minSteps` steps and minSeconds ÷
   * minRounds seconds, whichever comes later. Whether a step is a round's last (read back) is
   * decided before it runs, from the round's mean step time so far.
   */
  minSteps: number;
}

/** One row to measure. */
export interface SimCase {
  backend: 'webgpu' | 'rapier';
  numWorlds: number;
  /** Rapier worker threads. */
  threads?: number;
  /** WebGPU worlds per workgroup (default: the backend's, 64). */
  workgroupSize?: number;
  seed: number;
  /** Episode length: truncated worlds get a masked reset (its time counts). */
  episodeSteps: number;
  modes: ReadbackMode[];
  timing: RowTiming;
}

/** What one readback mode of a row measured. */
export interface ModeResult {
  mode: ReadbackMode;
  /** Control steps measured, all rounds. */
  steps: number;
  /** Wall seconds of the measured steps, masked resets and action generation included. */
  wallSeconds: number;
  /** The rounds (`work`: world-steps). */
  rounds: StepRounds;
  /** The rounds' median. */
  worldStepsPerSecond: number;
  /** Simulated seconds per wall second (world-steps/s ÷ controlHz). */
  simSecondsPerSecond: number;
  /** Wall milliseconds per step of the whole batch, at the median rate. */
  msPerStep: number;
  /** Measured steps whose results were read back. */
  readbacks: number;
  /** World resets (masked resets of truncated worlds) during the measured steps. */
  resets: number;
  /** Part of `wallSeconds` spent in those resets. */
  resetSeconds: number;
  /** Worlds that blew up and were reset by the backend (only seen on steps read back). */
  faults: number;
}

/** What one row measured. */
export interface CaseResult {
  /** The WebGPU adapter (webgpu), else null. */
  adapter: GpuAdapterDescription | null;
  /** Threads the Sim used (0 for webgpu). */
  threadsUsed: number;
  /** Seconds to create the Sim (device, shader compilation, buffers; or workers) and reset it. */
  setupSeconds: number;
  warmupSteps: number;
  warmupSeconds: number;
  physics: PhysicsSettings;
  modes: ModeResult[];
}

/** Creates the Sim of `c`, warms it up, measures each of `c.modes`, disposes it. */
export async function measureCase(c: SimCase): Promise<CaseResult> {
  const t = c.timing;
  const setupStart = performance.now();
  const sim = await createSim({
    task: 'pick-place',
    numWorlds: c.numWorlds,
    seed: c.seed,
    randomization: 'wide',
    backend: c.backend,
    maxEpisodeSteps: c.episodeSteps,
    ...(c.threads !== undefined && { threads: c.threads }),
    ...(c.workgroupSize !== undefined && { workgroupSize: c.workgroupSize }),
  });
  try {
    const { numWorlds, actionSize, actionLimits, physics } = sim.spec;
    const random = mulberry32(c.seed);
    const actions = new Float32Array(numWorlds * actionSize);
    const mask = new Uint8Array(numWorlds);
    let r = await sim.reset();
    const setupSeconds = (performance.now() - setupStart) / 1000;
    /** Steps since the first reset: every world not reset by a fault is truncated when it is a multiple of episodeSteps. */
    let stepsSinceStart = 0;
    let readbacks = 0;
    const tally: ResetTally = { resets: 0, faults: 0, resetMs: 0 };

    /** One control step with random actions; after a readback, a masked reset of the truncated worlds. */
    const stepOnce = async (mode: ReadbackMode, last: boolean) => {
      stepsSinceStart++;
      const readback = mode === 'readback' || last || stepsSinceStart % c.episodeSteps === 0;
      r = await sim.step(fillRandomActions(actions, random, actionLimits), { readback });
      if (!readback) return;
      readbacks++;
      r = await resetTruncated(sim, r, mask, tally);
    };

    const warmup = await warmUp(() => stepOnce('readback', false), t);
    const msPerStepEstimate = warmup.msPerStep;

    const modes: ModeResult[] = [];
    for (const mode of c.modes) {
      // Every mode starts from a full reset (not timed), so that all modes meet their masked
      // resets at the same steps (multiples of episodeSteps) and carry the same reset load.
      r = await sim.reset();
      stepsSinceStart = 0;
      readbacks = 0;
      Object.assign(tally, { resets: 0, faults: 0, resetMs: 0 });
      const roundMs = (t.minSeconds / t.minRounds) * 1000;
      const rounds = await repeatRow(async () => {
        const start = performance.now();
        let steps = 0;
        for (;;) {
          const elapsedMs = performance.now() - start;
          const estimateMs = steps > 0 ? elapsedMs / steps : msPerStepEstimate;
          const last = steps + 1 >= t.minSteps && elapsedMs + estimateMs >= roundMs;
          await stepOnce(mode, last);
          steps++;
          if (last) break;
        }
        return { seconds: (performance.now() - start) / 1000, work: numWorlds * steps, steps };
      }, t);
      const worldStepsPerSecond = rounds.median;
      modes.push({
        mode,
        steps: rounds.work / numWorlds,
        wallSeconds: rounds.seconds,
        rounds,
        worldStepsPerSecond,
        simSecondsPerSecond: worldStepsPerSecond / physics.controlHz,
        msPerStep: (numWorlds * 1000) / worldStepsPerSecond,
        readbacks,
        resets: tally.resets,
        resetSeconds: tally.resetMs / 1000,
        faults: tally.faults,
      });
    }
    return {
      adapter: sim.spec.adapter === null ? null : { ...sim.spec.adapter },
      threadsUsed: sim.spec.threads,
      setupSeconds,
      warmupSteps: warmup.steps,
      warmupSeconds: warmup.seconds,
      physics: { ...physics },
      modes,
    };
  } finally {
    await sim.dispose();
  }
}
