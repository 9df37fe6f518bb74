import { createSim, getTask, SolverSceneError, type ContactPoint, type Sim, type StepResult } from '@gripgen/sim-core';
import type { Controller } from './controller.js';
import type { MotionSource, WorldFrame } from './motion-source.js';
import type { StepObserver } from './step-observer.js';

/** Options of {@link LiveSimSource.create}. */
export interface LiveSimOptions {
  /** Registered task id. */
  taskId: string;
  numWorlds: number;
  /** Randomization preset name (`narrow`, `wide`, …). */
  preset: string;
  seed: number;
  controller: Controller;
  /** Control steps per episode (default 200, as `gripgen curve` evaluates). */
  episodeSteps?: number;
  /** Once every world has succeeded, steps shown before the next episode starts (default 10; Infinity: never). */
  holdSteps?: number;
}

/** Frame arrays owned by the source (copies: the Sim's own arrays change at the next step). */
interface MutableFrame extends WorldFrame {
  episodeSteps: number;
}

/**
 * Live worlds of any registered task — on the WebGPU backend when the task has a GPU program,
 * else on Rapier in the page's thread — driven by a {@link Controller}. Every world
 * runs the same episode clock: the next episode starts in all worlds together when the episode
 * length is reached or every world has succeeded (and been shown so for `holdSteps`), which
 * is also what a chunked policy's executor expects.
 */
export class LiveSimSource implements MotionSource {
  readonly frame: MutableFrame;
  /** Sees every step and restart (the demo recorder). */
  observer: StepObserver | undefined;
  private readonly actions: Float32Array;
  private readonly holdSteps: number;
  private result: StepResult;
  private allSucceededFor = 0;
  private stepsThisEpisode = 0;

  private constructor(
    /** The simulation. */
    readonly sim: Sim,
    readonly controller: Controller,
    readonly preset: string,
    result: StepResult,
    episodeSteps: number,
    holdSteps: number,
  ) {
    const { spec } = sim;
    const n = spec.numWorlds;
    this.actions = new Float32Array(n * spec.actionSize);
    this.holdSteps = holdSteps;
    this.result = result;
    this.frame = {
      task: getTask(spec.taskId),
      numWorlds: n,
      obs: new Float32Array(n * spec.obsSize),
      obsNames: spec.obsNames,
      params: new Float32Array(n * spec.paramNames.length),
      paramNames: spec.paramNames,
      signals: new Uint8Array(n * spec.signalNames.length),
      signalNames: spec.signalNames,
      succeeded: new Uint8Array(n),
      actions: new Float32Array(n * spec.actionSize),
      actionSize: spec.actionSize,
      episode: new Uint32Array(n),
      worldId: new Uint32Array(n),
      stepCount: new Uint32Array(n),
      episodeSteps,
    };
    this.capture();
  }

  /**
   * Creates the Sim (webgpu backend; rapier on this thread for a scene the GPU solver refuses,
   * see `SolverSceneError`), resets every world and starts the controller's episode.
   */
  static async create(options: LiveSimOptions): Promise<LiveSimSource> {
    const episodeSteps = options.episodeSteps ?? options.controller.episodeSteps ?? 200;
    const holdSteps = options.holdSteps ?? (options.controller.restartOnSuccess === false ? Infinity : 10);
    const task = getTask(options.taskId);
    const config = {
      task: task.id,
      numWorlds: options.numWorlds,
      seed: options.seed,
      randomization: options.preset,
      // One more than the episode: the viewer, not the Sim's truncation flag, ends episodes.
      maxEpisodeSteps: episodeSteps + 1,
    };
    const sim = await createSim({ ...config, backend: 'webgpu' }).catch((e: unknown) => {
      if (!(e instanceof SolverSceneError)) throw e;
      return createSim({ ...config, backend: 'rapier', threads: 0 });
    });
    try {
      const result = await sim.reset();
      options.controller.beginEpisode(sim);
      return new LiveSimSource(sim, options.controller, options.preset, result, episodeSteps, holdSteps);
    } catch (e) {
      await sim.dispose();
      throw e;
    }
  }

  get label(): string {
    return this.controller.label;
  }

  async step(): Promise<void> {
    const { sim } = this;
    await this.controller.act(sim, this.result, this.actions);
    this.observer?.beforeStep(sim, this.result, this.actions);
    this.result = await sim.step(this.actions);
    this.observer?.afterStep(sim, this.result);
    this.frame.actions.set(this.actions);
    this.capture();
    const n = sim.spec.numWorlds;
    for (let w = 0; w < n; w++) this.frame.succeeded[w] |= this.result.success[w];
    this.allSucceededFor = this.frame.succeeded.every((s) => s === 1) ? this.allSucceededFor + 1 : 0;
    this.stepsThisEpisode++;
    if (this.stepsThisEpisode >= this.frame.episodeSteps || this.allSucceededFor > this.holdSteps) await this.restart();
  }

  async restart(): Promise<void> {
    this.result = await this.sim.reset();
    this.controller.beginEpisode(this.sim);
    this.allSucceededFor = 0;
    this.stepsThisEpisode = 0;
    this.frame.succeeded.fill(0);
    this.frame.actions.fill(0);
    this.capture();
    this.observer?.afterRestart(this.sim, this.result);
  }

  contacts(world: number): Promise<ContactPoint[]> {
    return this.sim.contacts(world);
  }

  describeWorld(world: number): Record<string, string> {
    return this.controller.describeWorld?.(world) ?? {};
  }

  async dispose(): Promise<void> {
    await this.sim.dispose();
  }

  private capture(): void {
    const r = this.result;
    const f = this.frame;
    f.obs.set(r.obs);
    f.params.set(this.sim.paramTable);
    f.signals.set(r.signals);
    f.episode.set(r.episode);
    f.worldId.set(r.worldId);
    f.stepCount.set(r.stepCount);
  }
}
