import { createSim, DEFAULT_TASK_ID, getTask, readBuffer, taskIds, type GpuAdapterDescription, type PhysicsSettings, type ScriptedExpert, type Sim, type SimConfigInput, type SimSpec } from '@gripgen/sim-core';
import { GpuExpertLoop } from './expert-gpu-loop.js';

/** Ids of the registered tasks that have a scripted expert. */
export function expertTaskIds(): string[] {
  return taskIds().filter((id) => getTask(id).expert !== undefined);
}

/** Task `id`'s scripted expert factory; throws naming the tasks that have one. */
export function scriptedExpertOf(id: string): (numWorlds: number, seed: number) => ScriptedExpert {
  const make = getTask(id).expert;
  if (!make) throw new Error(`no scripted expert for task "${id}"; experts exist for: ${expertTaskIds().join(', ')}`);
  return make;
}

/** Options of `runExpertEpisode`. */
export interface ExpertRunOptions {
  /** Task id (default `pick-place`); must have a scripted expert. */
  task?: string;
  numWorlds: number;
  /** Randomization preset name or overrides (default `wide`). */
  randomization?: unknown;
  /** Backend (default `auto`). */
  backend?: SimConfigInput['backend'];
  /** Base seed of the worlds and of the expert's style (default 0). */
  seed?: number;
  /** Worker threads (default: the Sim's default, one per core; 0: the calling thread). */
  threads?: number;
  /** Episode length in control steps (default: the Sim's `maxEpisodeSteps`). */
  steps?: number;
  /** The webgpu program (`task` or `scene`, see `SimConfigInput.gpuProgram`); the other backends ignore it. */
  gpuProgram?: SimConfigInput['gpuProgram'];
  /** Contacts kept per world by the webgpu scene solver (see `SimConfigInput.contactCapacity`). */
  contactCapacity?: number;
  /** Settings of the mujoco backend (e.g. `{ timestep: 0.01 }`); the other backends ignore them. */
  mujoco?: SimConfigInput['mujoco'];
  /**
   * On the webgpu backend, run the expert in WGSL beside the step kernel (the task's
   * `gpuExpert`, `GpuExpertLoop`): nothing comes back to the host until the end. Default true
   * where the task has a GPU expert and the Sim its task kernel; the actions equal the host
   * expert's up to f32 rounding, not bit for bit.
   */
  expertOnGpu?: boolean;
  /** Called with (0, total) before the first control step, then after each with the steps done. */
  onStep?: (done: number, total: number) => void;
}

/** What one expert episode over all worlds achieved, and how fast it ran. */
export interface ExpertRunStats {
  task: string;
  /** Fraction of worlds that succeeded at some step of the episode. */
  successRate: number;
  /** Worlds that succeeded at some step (success is latched). */
  successes: number;
  /** Worlds whose success flag was set at the last step. */
  finalSuccesses: number;
  /** Worlds that blew up and were reset by the backend during the episode. */
  faults: number;
  /** World-steps in which a world found more contacts than the webgpu solver keeps (`contactCapacity`); 0 elsewhere. */
  contactOverflowSteps: number;
  /** Contacts per world the webgpu solver keeps; null on the CPU backends. */
  contactCapacity: number | null;
  numWorlds: number;
  backend: string;
  /** Why `auto` chose the backend (null when one was named). */
  backendNote: string | null;
  /**
   * The WebGPU adapter the worlds ran on (backend webgpu), e.g. `{ vendor: 'google',
   * architecture: 'swiftshader', …, isSoftware: true }`; null for backend rapier (always
   * present, so JSON consumers need not test for the key).
   */
  adapter: GpuAdapterDescription | null;
  /** Worker threads actually used (0: the calling thread). */
  threads: number;
  seed: number;
  randomization: unknown;
  /** Control steps run. */
  steps: number;
  /** Where the expert ran: `gpu` (WGSL beside the step kernel) or `host`. */
  expertOn: 'host' | 'gpu';
  /** Seconds to create the Sim (start workers, build worlds), reset it and, with the GPU expert, compile its kernel. */
  setupSeconds: number;
  /** Seconds of the stepping loop (expert + physics), setup excluded. */
  wallSeconds: number;
  /** World-steps (one control step of one world) per wall-clock second. */
  worldStepsPerSecond: number;
  /** Simulated seconds per wall-clock second, over all worlds (worldStepsPerSecond / controlHz). */
  simSecondsPerSecond: number;
  physics: PhysicsSettings;
  /** The mujoco backend's settings as run (MuJoCo steps per control step, timestep, …); null on the other backends. */
  mujoco: SimSpec['mujoco'];
}

/**
 * Creates a Sim, runs the task's scripted expert for one episode on every world and
 * disposes the Sim. Throws createSim's validation errors (naming the bad option) unchanged.
 */
export async function runExpertEpisode(options: ExpertRunOptions): Promise<ExpertRunStats> {
  const task = options.task ?? DEFAULT_TASK_ID;
  const makeExpert = scriptedExpertOf(task);
  const seed = options.seed ?? 0;
  const randomization = options.randomization ?? 'wide';
  const setupStart = performance.now();
  const sim = await createSim({
    task,
    numWorlds: options.numWorlds,
    seed,
    randomization,
    ...(options.backend !== undefined && { backend: options.backend }),
    ...(options.threads !== undefined && { threads: options.threads }),
    ...(options.steps !== undefined && { maxEpisodeSteps: options.steps }),
    ...(options.mujoco !== undefined && { mujoco: options.mujoco }),
    ...(options.gpuProgram !== undefined && { gpuProgram: options.gpuProgram }),
    ...(options.contactCapacity !== undefined && { contactCapacity: options.contactCapacity }),
  });
  try {
    const { numWorlds, maxEpisodeSteps: steps } = sim.spec;
    const onGpu = (options.expertOnGpu ?? true) && sim.spec.backend === 'webgpu' && getTask(task).gpuExpert !== undefined && hasGpuAccess(sim);
    if (options.expertOnGpu === true && !onGpu) {
      throw new Error(`expertOnGpu: task "${task}" on backend "${sim.spec.backend}" has no GPU expert loop (it needs the webgpu backend's task kernel and a task with a GPU expert)`);
    }
    const run = onGpu ? await expertOnGpu(sim, task, seed, steps, options.onStep) : await expertOnHost(sim, makeExpert(numWorlds, seed), steps, options.onStep);
    const start = run.startedAt;
    const wallSeconds = (run.endedAt - start) / 1000;
    const successes = run.succeeded.reduce((a, b) => a + b, 0);
    const worldStepsPerSecond = (numWorlds * steps) / wallSeconds;
    return {
      task,
      successRate: successes / numWorlds,
      successes,
      finalSuccesses: run.finalSuccesses,
      faults: run.faults,
      contactOverflowSteps: sim.contactOverflowSteps,
      contactCapacity: sim.spec.contactCapacity,
      numWorlds,
      backend: sim.spec.backend,
      backendNote: sim.spec.backendNote,
      adapter: sim.spec.adapter === null ? null : { ...sim.spec.adapter },
      threads: sim.spec.threads,
      seed,
      randomization,
      steps,
      expertOn: onGpu ? 'gpu' : 'host',
      setupSeconds: (start - setupStart) / 1000,
      wallSeconds,
      worldStepsPerSecond,
      simSecondsPerSecond: worldStepsPerSecond / sim.spec.physics.controlHz,
      physics: { ...sim.spec.physics },
      mujoco: sim.spec.mujoco,
    };
  } finally {
    await sim.dispose();
  }
}

/**
 * What one expert episode left: per world whether it succeeded at some step; the last step's
 * successes; faults; when its stepping loop started and ended (`performance.now()`, setup —
 * reset, compiling — before it).
 */
interface ExpertEpisode {
  succeeded: Uint8Array;
  finalSuccesses: number;
  faults: number;
  startedAt: number;
  endedAt: number;
}

/** The expert on the host: act on the read-back observations, step, tally. */
async function expertOnHost(sim: Sim, expert: ScriptedExpert, steps: number, onStep: ExpertRunOptions['onStep']): Promise<ExpertEpisode> {
  const { numWorlds, obsSize, actionSize } = sim.spec;
  const actions = new Float32Array(numWorlds * actionSize);
  const succeeded = new Uint8Array(numWorlds);
  let faults = 0;
  let r = await sim.reset();
  onStep?.(0, steps);
  const startedAt = performance.now();
  for (let s = 0; s < steps; s++) {
    expert.act(r.obs, obsSize, sim.paramTable, r.episode, r.stepCount, actions);
    r = await sim.step(actions);
    for (let w = 0; w < numWorlds; w++) {
      succeeded[w] |= r.success[w];
      faults += r.fault[w];
    }
    onStep?.(s + 1, steps);
  }
  return { succeeded, finalSuccesses: r.success.reduce((a, b) => a + b, 0), faults, startedAt, endedAt: performance.now() };
}

/** The expert on the GPU (`GpuExpertLoop`): outcomes latched there, read back once. */
async function expertOnGpu(sim: Sim, taskId: string, seed: number, steps: number, onStep: ExpertRunOptions['onStep']): Promise<ExpertEpisode> {
  await sim.reset();
  const loop = await GpuExpertLoop.create(sim, getTask(taskId), seed);
  try {
    onStep?.(0, steps);
    const startedAt = performance.now();
    await loop.run(steps, onStep);
    const { flags, faults, overflows } = await loop.readOutcomes();
    const endedAt = performance.now();
    const access = sim.gpuAccess();
    access.countContactOverflow(overflows.reduce((a, b) => a + b, 0));
    const { strideWords, flagsOffsetWords, flagBits } = access.outputLayout;
    const rows = new Uint32Array(await readBuffer(access.device, access.outputs, 4 * strideWords * sim.spec.numWorlds));
    const succeeded = new Uint8Array(sim.spec.numWorlds);
    let finalSuccesses = 0;
    for (let w = 0; w < sim.spec.numWorlds; w++) {
      succeeded[w] = (flags[w] >>> flagBits.success) & 1;
      finalSuccesses += (rows[w * strideWords + flagsOffsetWords] >>> flagBits.success) & 1;
    }
    return { succeeded, finalSuccesses, faults: faults.reduce((a, b) => a + b, 0), startedAt, endedAt };
  } finally {
    loop.destroy();
  }
}

function hasGpuAccess(sim: Sim): boolean {
  try {
    sim.gpuAccess();
    return true;
  } catch {
    return false;
  }
}
