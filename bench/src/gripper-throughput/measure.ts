/**
 * One row of the gripper benchmark, run in a child process against one source tree (the
 * baseline worktree, the current checkout or a scratch copy): this file and the files it
 * imports are copied into the baseline and scratch trees, so it imports nothing but
 * `@gripgen/sim-core` (resolved in the tree it runs in), `node:` modules and the bench
 * helpers copied with it. The `@gripgen/sim-core` API it uses (`createSim`, `PickPlaceExpert`,
 * `StepResult`) is the same at the baseline commit.
 */
import { loadavg } from 'node:os';
import { createSim, PickPlaceExpert, type PhysicsSettings, type SimConfigInput } from '@gripgen/sim-core';
import { stepRounds, type StepRounds } from '../rounds/repeat.js';
import { warmUp, type WarmupTiming } from '../step-loop.js';
import { fillRandomActions, mulberry32 } from '../rapier-throughput/random-actions.js';
import { machineBusySeconds } from './protocol.js';

/** What drives the worlds: seeded uniform random actions, or the scripted pick-place expert. */
export type Workload = 'random' | 'expert';

/** One configuration of one variant. */
export interface GripperCase extends WarmupTiming {
  backend: 'rapier' | 'mujoco';
  workload: Workload;
  numWorlds: number;
  /** Worker threads requested. */
  threads: number;
  /**
   * Episode length (the Sim's `maxEpisodeSteps`): truncated worlds get a masked reset. The
   * episodes are staggered (see `measureGripperCase`), so every measured step resets about
   * numWorlds / episodeSteps worlds and the worlds are spread over the phases of an episode.
   */
  episodeSteps: number;
  /** The measured steps run in rounds until at least this many wall seconds passed… */
  measureSeconds: number;
  /** … in at least this many rounds. */
  minRounds: number;
  seed: number;
  /** MuJoCo's timestep (s) on the mujoco backend (its `mujoco.timestep`); absent: the backend's default. */
  mujocoTimestep?: number;
}

/** What one configuration measured. */
export interface GripperSample extends GripperCase {
  threadsUsed: number;
  /** Seconds to create the Sim and reset it (not in the rates). */
  setupSeconds: number;
  /** Steps (and seconds) that staggered the episodes before the warm-up. */
  staggerSteps: number;
  staggerSeconds: number;
  /** Warm-up after the staggering, until the rate settles (`warmUp`). */
  warmupSteps: number;
  warmupSeconds: number;
  /** Measured control steps of the whole batch and their wall time (actions, expert, resets included). */
  steps: number;
  wallSeconds: number;
  /** The rounds of the measured steps (`work`: world-steps). */
  rounds: StepRounds;
  /** World resets during the measured steps and the part of `wallSeconds` they took. */
  resets: number;
  resetSeconds: number;
  /** Worlds the backend reset after a blow-up during the measured steps. */
  faults: number;
  /** Episodes that ended (truncated) during the measured steps, and how many of them succeeded at some step. */
  episodesEnded: number;
  episodesSucceeded: number;
  /** Fraction of the measured world-steps whose `isGrasped` signal was set. */
  graspedFraction: number;
  /** The rounds' median. */
  worldStepsPerSecond: number;
  /** Simulated seconds per wall second (world-steps/s ÷ controlHz). */
  simSecondsPerSecond: number;
  /** Wall milliseconds per control step of the whole batch (at the median rate). */
  msPerStep: number;
  /** CPU seconds of this process per wall second of the measured steps. */
  cpuPerWall: number;
  /**
   * CPU seconds of every other process on the machine per wall second of the measured steps
   * (from /proc/stat, less this process's own; NaN where /proc/stat is missing): about 0 when
   * the row had the machine to itself.
   */
  otherCpuPerWall: number;
  /** 1-minute load average when the measured steps started and ended. */
  loadAverage1m: { start: number; end: number };
  physics: PhysicsSettings;
  /** The mujoco backend's settings as run (`spec.mujoco`); null on rapier and on sources that predate it. */
  mujoco: unknown;
}

/**
 * Creates a Sim of `pick-place` worlds (wide randomization) on `c.backend` and steps it with
 * the workload, resetting truncated worlds. The worlds' episodes are first staggered — during
 * the first `episodeSteps` steps the worlds with w mod episodeSteps = k get a masked reset at
 * step k — so that from then on the worlds are spread evenly over an episode (approach, grasp,
 * carry, …) and each step resets the same share of them; then the rate settles (`warmUp`), then
 * the steps are measured in rounds for at least `measureSeconds` (`stepRounds`).
 */
export async function measureGripperCase(c: GripperCase): Promise<GripperSample> {
  const setupStart = performance.now();
  const config: SimConfigInput = {
    task: 'pick-place',
    numWorlds: c.numWorlds,
    threads: c.threads,
    seed: c.seed,
    randomization: 'wide',
    backend: c.backend as SimConfigInput['backend'],
    maxEpisodeSteps: c.episodeSteps,
    ...(c.backend === 'mujoco' && c.mujocoTimestep !== undefined ? { mujoco: { timestep: c.mujocoTimestep } } : {}),
  };
  const sim = await createSim(config);
  try {
    const { numWorlds, actionSize, actionLimits, obsSize, physics } = sim.spec;
    const signalCount = sim.spec.signalNames.length;
    const grasped = sim.spec.signalNames.indexOf('isGrasped');
    const random = mulberry32(c.seed);
    const expert = c.workload === 'expert' ? new PickPlaceExpert(numWorlds, c.seed) : null;
    const actions = new Float32Array(numWorlds * actionSize);
    const mask = new Uint8Array(numWorlds);
    const succeeded = new Uint8Array(numWorlds);
    let r = await sim.reset();
    const setupSeconds = (performance.now() - setupStart) / 1000;

    const tally = { resets: 0, resetMs: 0, faults: 0, ended: 0, endedSucceeded: 0, graspedSteps: 0 };
    /** One control step, then a masked reset of the truncated worlds and of those `extra` picks. */
    const stepOnce = async (extra?: (w: number) => boolean) => {
      if (expert) expert.act(r.obs, obsSize, sim.paramTable, r.episode, r.stepCount, actions);
      else fillRandomActions(actions, random, actionLimits);
      r = await sim.step(actions);
      let n = 0;
      for (let w = 0; w < numWorlds; w++) {
        succeeded[w] |= r.success[w]!;
        tally.faults += r.fault[w]!;
        if (grasped >= 0) tally.graspedSteps += r.signals[w * signalCount + grasped]!;
        const truncated = r.truncated[w]!;
        if (truncated) {
          tally.ended++;
          tally.endedSucceeded += succeeded[w]!;
        }
        mask[w] = truncated || (extra !== undefined && extra(w)) ? 1 : 0;
        if (mask[w]) succeeded[w] = 0;
        n += mask[w]!;
      }
      if (n === 0) return;
      const t0 = performance.now();
      r = await sim.reset({ mask });
      tally.resetMs += performance.now() - t0;
      tally.resets += n;
    };

    const staggerStart = performance.now();
    const staggerSteps = Math.min(c.episodeSteps, numWorlds) - 1;
    for (let k = 0; k < staggerSteps; k++) await stepOnce((w) => w % c.episodeSteps === k);
    const staggerSeconds = (performance.now() - staggerStart) / 1000;
    const warmup = await warmUp(() => stepOnce(), c);

    Object.assign(tally, { resets: 0, resetMs: 0, faults: 0, ended: 0, endedSucceeded: 0, graspedSteps: 0 });
    const load = { start: loadavg()[0]!, end: NaN };
    const busyStart = machineBusySeconds();
    const cpuStart = process.cpuUsage();
    const rounds = await stepRounds(() => stepOnce(), numWorlds, { minSeconds: c.measureSeconds, minRounds: c.minRounds });
    const cpu = process.cpuUsage(cpuStart);
    const busy = machineBusySeconds() - busyStart;
    load.end = loadavg()[0]!;
    const ownCpu = (cpu.user + cpu.system) / 1e6;
    const steps = rounds.work / numWorlds;
    const wallSeconds = rounds.seconds;
    const worldStepsPerSecond = rounds.median;
    return {
      ...c,
      threadsUsed: sim.spec.threads,
      setupSeconds,
      staggerSteps,
      staggerSeconds,
      warmupSteps: warmup.steps,
      warmupSeconds: warmup.seconds,
      steps,
      wallSeconds,
      rounds,
      resets: tally.resets,
      resetSeconds: tally.resetMs / 1000,
      faults: tally.faults,
      episodesEnded: tally.ended,
      episodesSucceeded: tally.endedSucceeded,
      graspedFraction: grasped >= 0 ? tally.graspedSteps / (numWorlds * steps) : NaN,
      worldStepsPerSecond,
      simSecondsPerSecond: worldStepsPerSecond / physics.controlHz,
      msPerStep: (numWorlds * 1000) / worldStepsPerSecond,
      cpuPerWall: ownCpu / wallSeconds,
      otherCpuPerWall: Math.max(0, busy - ownCpu) / wallSeconds,
      loadAverage1m: load,
      physics: { ...physics },
      mujoco: (sim.spec as { mujoco?: unknown }).mujoco ?? null,
    };
  } finally {
    await sim.dispose();
  }
}
