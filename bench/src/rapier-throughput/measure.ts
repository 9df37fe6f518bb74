import { createSim, type PhysicsSettings } from '@gripgen/sim-core';
import { fillRandomActions, mulberry32 } from './random-actions.js';

/** One benchmark configuration. */
export interface ThroughputCase {
  numWorlds: number;
  /** Worker threads requested (a Sim uses at most one per world). */
  threads: number;
  /** Control steps measured (after the warm-up). */
  steps: number;
  /**
   * Warm-up before the clock starts: at least `minWarmupSteps` steps and `minWarmupSeconds`,
   * then on in windows of `warmupWindowSeconds` (and at least `minWarmupSteps` steps) until a
   * window is no more than 3% faster per step than the one before (V8 compiles and tiers
   * up Rapier's WASM and the JS in background threads while the first steps run; with
   * every core stepping worlds that takes seconds), or `maxWarmupSeconds` passed.
   */
  minWarmupSteps: number;
  minWarmupSeconds: number;
  warmupWindowSeconds: number;
  maxWarmupSeconds: number;
  /** Episode length: worlds are reset (masked reset) when truncated. */
  episodeSteps: number;
  seed: number;
}

/** What one configuration measured. */
export interface ThroughputRow extends ThroughputCase {
  /** Worker threads the Sim actually used. */
  threadsUsed: number;
  /** Warm-up steps run. */
  warmupSteps: number;
  /** Wall seconds of the warm-up. */
  warmupSeconds: number;
  /** Seconds to create the Sim (workers, worlds) and reset it; not in the rates. */
  setupSeconds: number;
  /** Wall seconds of the measured steps, resets and action generation included. */
  wallSeconds: number;
  /** Part of `wallSeconds` spent in masked resets. */
  resetSeconds: number;
  /** World resets during the measured steps. */
  resets: number;
  /** Worlds that blew up and were reset by the backend during the measured steps. */
  faults: number;
  /** World-steps (one control step of one world) per wall second. */
  worldStepsPerSecond: number;
  /** Simulated seconds per wall second over all worlds. */
  simSecondsPerSecond: number;
  /** Rapier steps per wall second over all worlds (world-steps · substeps). */
  physicsStepsPerSecond: number;
  /** Wall milliseconds per control step of the whole batch. */
  msPerStep: number;
  physics: PhysicsSettings;
}

/**
 * Creates a Sim of `pick-place` worlds (wide randomization) and steps it with seeded
 * uniform random actions, resetting truncated worlds; returns the measured rates.
 */
export async function measureThroughput(c: ThroughputCase): Promise<ThroughputRow> {
  const setupStart = performance.now();
  const sim = await createSim({
    task: 'pick-place',
    numWorlds: c.numWorlds,
    threads: c.threads,
    seed: c.seed,
    randomization: 'wide',
    backend: 'rapier',
    maxEpisodeSteps: c.episodeSteps,
  });
  try {
    const { numWorlds, actionSize, actionLimits, physics } = sim.spec;
    const random = mulberry32(c.seed);
    const actions = new Float32Array(numWorlds * actionSize);
    const mask = new Uint8Array(numWorlds);
    let r = await sim.reset();
    const setupSeconds = (performance.now() - setupStart) / 1000;
    let resets = 0;
    let faults = 0;
    let resetMs = 0;
    /** One control step with random actions, then a masked reset of the truncated worlds. */
    const stepOnce = async () => {
      r = await sim.step(fillRandomActions(actions, random, actionLimits));
      let truncated = 0;
      for (let w = 0; w < numWorlds; w++) {
        mask[w] = r.truncated[w];
        truncated += mask[w];
        faults += r.fault[w];
      }
      if (truncated > 0) {
        const t = performance.now();
        r = await sim.reset({ mask });
        resetMs += performance.now() - t;
        resets += truncated;
      }
    };
    let warmupSteps = 0;
    const warmupStart = performance.now();
    /** Runs a warm-up window; returns its ms per step. */
    const warmupWindow = async (seconds: number) => {
      const t0 = performance.now();
      let n = 0;
      while (n < c.minWarmupSteps || performance.now() - t0 < seconds * 1000) {
        await stepOnce();
        n++;
      }
      warmupSteps += n;
      return (performance.now() - t0) / n;
    };
    let previous = await warmupWindow(c.minWarmupSeconds);
    while (performance.now() - warmupStart < c.maxWarmupSeconds * 1000) {
      const current = await warmupWindow(c.warmupWindowSeconds);
      if (current >= 0.97 * previous) break;
      previous = current;
    }
    const warmupSeconds = (performance.now() - warmupStart) / 1000;
    resets = faults = resetMs = 0;
    const start = performance.now();
    for (let s = 0; s < c.steps; s++) await stepOnce();
    const wallSeconds = (performance.now() - start) / 1000;
    const worldStepsPerSecond = (numWorlds * c.steps) / wallSeconds;
    return {
      ...c,
      threadsUsed: sim.spec.threads,
      warmupSteps,
      warmupSeconds,
      setupSeconds,
      wallSeconds,
      resetSeconds: resetMs / 1000,
      resets,
      faults,
      worldStepsPerSecond,
      simSecondsPerSecond: worldStepsPerSecond / physics.controlHz,
      physicsStepsPerSecond: worldStepsPerSecond * physics.substeps,
      msPerStep: (wallSeconds * 1000) / c.steps,
      physics: { ...physics },
    };
  } finally {
    await sim.dispose();
  }
}
