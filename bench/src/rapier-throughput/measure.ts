import { createSim, type PhysicsSettings } from '@gripgen/sim-core';
import { stepRounds, type RoundPolicy, type StepRounds } from '../rounds/repeat.js';
import { resetTruncated, warmUp, type ResetTally, type WarmupTiming } from '../step-loop.js';
import { fillRandomActions, mulberry32 } from './random-actions.js';

/** One benchmark configuration. */
export interface ThroughputCase extends WarmupTiming {
  numWorlds: number;
  /** Worker threads requested (a Sim uses at most one per world). */
  threads: number;
  /** The measured steps (after the warm-up) run in rounds until the row has measured enough. */
  policy: RoundPolicy;
  /** Control steps the rounds make, at least, all together. */
  minSteps: number;
  // Warm-up before the clock starts (`WarmupTiming`): V8 compiles and tiers up Rapier's WASM
  // and the JS in background threads while the first steps run; with every core stepping
  // worlds that takes seconds.
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
  /** Control steps measured, all rounds. */
  steps: number;
  /** The rounds: world-steps (`work`) per wall second, resets and action generation included. */
  rounds: StepRounds;
  /** Wall seconds of the measured steps, all rounds. */
  wallSeconds: number;
  /** Part of `wallSeconds` spent in masked resets. */
  resetSeconds: number;
  /** World resets during the measured steps. */
  resets: number;
  /** Worlds that blew up and were reset by the backend during the measured steps. */
  faults: number;
  /** World-steps (one control step of one world) per wall second: the rounds' median. */
  worldStepsPerSecond: number;
  /** Simulated seconds per wall second over all worlds (median). */
  simSecondsPerSecond: number;
  /** Rapier steps per wall second over all worlds (world-steps · substeps; median). */
  physicsStepsPerSecond: number;
  /** Wall milliseconds per control step of the whole batch (at the median rate). */
  msPerStep: number;
  /**
   * CPU seconds of this process (main thread, workers, V8's helper threads) per wall second
   * of the measured steps: from 64 worlds up close to `threadsUsed` when the row had its cores
   * to itself, lower when another process took some of them.
   */
  cpuPerWall: number;
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
    const tally: ResetTally = { resets: 0, faults: 0, resetMs: 0 };
    /** One control step with random actions, then a masked reset of the truncated worlds. */
    const stepOnce = async () => {
      r = await resetTruncated(sim, await sim.step(fillRandomActions(actions, random, actionLimits)), mask, tally);
    };
    const warmup = await warmUp(stepOnce, c);
    Object.assign(tally, { resets: 0, faults: 0, resetMs: 0 });
    const cpuStart = process.cpuUsage();
    const rounds = await stepRounds(stepOnce, numWorlds, c.policy, { minSteps: c.minSteps });
    const cpu = process.cpuUsage(cpuStart);
    const worldStepsPerSecond = rounds.median;
    return {
      ...c,
      threadsUsed: sim.spec.threads,
      warmupSteps: warmup.steps,
      warmupSeconds: warmup.seconds,
      setupSeconds,
      steps: rounds.work / numWorlds,
      rounds,
      wallSeconds: rounds.seconds,
      resetSeconds: tally.resetMs / 1000,
      resets: tally.resets,
      faults: tally.faults,
      worldStepsPerSecond,
      simSecondsPerSecond: worldStepsPerSecond / physics.controlHz,
      physicsStepsPerSecond: worldStepsPerSecond * physics.substeps,
      msPerStep: (numWorlds * 1000) / worldStepsPerSecond,
      cpuPerWall: (cpu.user + cpu.system) / 1e6 / rounds.seconds,
      physics: { ...physics },
    };
  } finally {
    await sim.dispose();
  }
}
