import type { Sim, StepResult } from '@gripgen/sim-core';
import { getDatagenTask, type DatagenTask, type SourceDemo } from '@gripgen/trajgen';
import type { StepObserver } from '../motion/step-observer.js';

/** `idle`: nothing going on; `armed`: starts at the next episode start; `recording`; `finished`: waiting for keep or discard. */
export type RecordingState = 'idle' | 'armed' | 'recording' | 'finished';

/** A demo the user kept. */
export interface KeptDemo {
  demo: SourceDemo;
  /** The task's success signal fired during the demo. */
  success: boolean;
}

/** Steps recorded after the first successful step (as `gripgen demos` records the expert). */
export const TAIL_STEPS = 10;

interface Rows {
  eef: number[];
  target: number[];
  objects: Record<string, number[]>;
  gripper: number[];
  actions: number[];
  signals: number[][];
}

/**
 * Records one world of a live Sim as trajgen source demos of the Sim's task (its datagen view,
 * `getDatagenTask`: which objects, where their poses are in the observation), exactly the fields
 * `recordExpertDemos` records for the scripted expert: before each step the end-effector and
 * object poses, the gripper command and the action; after it the reached pose (the target) and
 * the sub-signals. A recording starts at an episode start ({@link arm}, then the restart) and
 * finishes {@link TAIL_STEPS} steps after the first successful step, at the next restart, or on
 * {@link stop}; a finished demo is kept or discarded by the user.
 */
export class DemoRecorder implements StepObserver {
  /** Demos kept so far, in recording order. */
  readonly kept: KeptDemo[] = [];
  private state_: RecordingState = 'idle';
  private rows: Rows | undefined;
  private key = { seed: 0, episode: 0, worldId: 0 };
  private successAt = -1;
  private faulted = false;
  private signalNames: readonly string[] = [];
  private preset = '';
  /** The datagen view of the recorded Sim's task (set when a recording starts). */
  private task: DatagenTask | undefined;
  private readonly pose = new Float64Array(7);

  constructor(
    /** The world recorded (index in the batch). */
    private readonly world: () => number,
    /** Randomization preset name of the live worlds, written into each demo. */
    private readonly randomization: () => string,
    /** Called whenever the state or the recorded length changes. */
    private readonly onChange: () => void = () => undefined,
  ) {}

  get state(): RecordingState {
    return this.state_;
  }

  /** Steps recorded in the current (or finished) recording. */
  get steps(): number {
    return this.rows?.gripper.length ?? 0;
  }

  /** Step after which `success` first fired in the current recording, or −1. */
  get successStep(): number {
    return this.successAt;
  }

  /** The world key of the current recording. */
  get worldKey(): { seed: number; episode: number; worldId: number } {
    return { ...this.key };
  }

  /** Starts recording at the next episode start (the caller restarts the episode). */
  arm(): void {
    this.rows = undefined;
    this.state_ = 'armed';
    this.onChange();
  }

  /** Finishes the current recording now (it waits for keep or discard). */
  stop(): void {
    if (this.state_ === 'armed') this.state_ = 'idle';
    else if (this.state_ === 'recording') this.state_ = this.steps > 0 ? 'finished' : 'idle';
    this.onChange();
  }

  /** Keeps the finished (or running) recording as a source demo; returns it, or undefined when there is nothing to keep. */
  keep(): KeptDemo | undefined {
    if (this.state_ === 'recording') this.stop();
    if (this.state_ !== 'finished' || !this.rows || !this.task || this.steps === 0) return undefined;
    const { task } = this;
    const r = this.rows;
    const { seed, episode, worldId } = this.key;
    const demo: SourceDemo = {
      id: `teleop-s${seed}-e${episode}-w${worldId}-${Date.now().toString(36)}`,
      task: task.taskId,
      world: { seed, episode, worldId },
      randomization: this.preset,
      recordedBy: 'teleop',
      length: this.steps,
      eefPose: Float64Array.from(r.eef),
      targetPose: Float64Array.from(r.target),
      objectPoses: Object.fromEntries(task.objects.map((o) => [o, Float64Array.from(r.objects[o])])),
      gripperAction: Float64Array.from(r.gripper),
      signals: Object.fromEntries(this.signalNames.map((s, k) => [s, Uint8Array.from(r.signals[k])])),
      actions: Float32Array.from(r.actions),
    };
    const kept = { demo, success: this.successAt >= 0 };
    this.kept.push(kept);
    this.reset();
    return kept;
  }

  /** Throws the current recording away. */
  discard(): void {
    this.reset();
  }

  /** Removes kept demo `index`. */
  remove(index: number): void {
    this.kept.splice(index, 1);
    this.onChange();
  }

  beforeStep(sim: Sim, result: StepResult, actions: Float32Array): void {
    if (this.state_ !== 'recording' || !this.rows || !this.task) return;
    const { task } = this;
    const w = this.world();
    const o = w * sim.spec.obsSize;
    const r = this.rows;
    task.eefPose(result.obs, o, this.pose);
    r.eef.push(...this.pose);
    for (const name of task.objects) {
      task.objectPose(name, result.obs, o, this.pose);
      r.objects[name].push(...this.pose);
    }
    const a = w * sim.spec.actionSize;
    r.gripper.push(actions[a + sim.spec.actionSize - 1]);
    for (let i = 0; i < sim.spec.actionSize; i++) r.actions.push(actions[a + i]);
  }

  afterStep(sim: Sim, result: StepResult): void {
    if (this.state_ !== 'recording' || !this.rows || !this.task) return;
    const { task } = this;
    const w = this.world();
    const r = this.rows;
    if (result.fault[w]) {
      // The world blew up and was reset: the demo ends before that step.
      this.faulted = true;
      r.eef.length -= 7;
      for (const name of task.objects) r.objects[name].length -= 7;
      r.gripper.length -= 1;
      r.actions.length -= sim.spec.actionSize;
      this.stop();
      return;
    }
    task.eefPose(result.obs, w * sim.spec.obsSize, this.pose);
    r.target.push(...this.pose);
    const ns = this.signalNames.length;
    for (let k = 0; k < ns; k++) r.signals[k].push(result.signals[w * ns + k]);
    const t = r.gripper.length - 1;
    if (this.successAt < 0 && result.success[w]) this.successAt = t;
    if (this.successAt >= 0 && t >= this.successAt + TAIL_STEPS) this.stop();
    else this.onChange();
  }

  /** Starts an armed recording; throws when the Sim's task has no datagen spec (nothing to record for). */
  afterRestart(sim: Sim, result: StepResult): void {
    if (this.state_ === 'recording') this.stop();
    if (this.state_ !== 'armed') return;
    let task: DatagenTask;
    try {
      task = getDatagenTask(sim.spec.taskId);
    } catch (error) {
      this.state_ = 'idle';
      this.onChange();
      throw error;
    }
    this.task = task;
    const w = this.world();
    this.signalNames = sim.spec.signalNames;
    this.key = { seed: sim.spec.seed, episode: result.episode[w], worldId: result.worldId[w] };
    this.preset = this.randomization();
    this.successAt = -1;
    this.faulted = false;
    this.rows = {
      eef: [],
      target: [],
      objects: Object.fromEntries(task.objects.map((o) => [o, [] as number[]])),
      gripper: [],
      actions: [],
      signals: this.signalNames.map(() => [] as number[]),
    };
    this.state_ = 'recording';
    this.onChange();
  }

  /** Whether the last recording ended because its world faulted. */
  get endedByFault(): boolean {
    return this.faulted;
  }

  private reset(): void {
    this.rows = undefined;
    this.successAt = -1;
    this.state_ = 'idle';
    this.onChange();
  }
}
