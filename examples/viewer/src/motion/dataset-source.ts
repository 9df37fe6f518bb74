import { getTask, type Task } from '@gripgen/sim-core';
import type { Episode } from '@gripgen/trajgen';
import type { LoadedDataset } from '../dataset/dataset-files.js';
import type { MotionSource, WorldFrame } from './motion-source.js';

/** Where the timeline is: which episode, which step, and what the dataset says about that step. */
export interface TimelinePosition {
  /** Episode index in the dataset (attempt order) and its attempt number. */
  episode: number;
  attempt: number;
  numEpisodes: number;
  /** Step shown (its observation row) and the episode's length. */
  step: number;
  length: number;
  /** Subtask the step belongs to, by name, and its index. */
  subtask: string;
  subtaskIndex: number;
  /** Source demo the step was generated from (`srcDemoLabels[step]`), and its id from the manifest. */
  srcDemo: number;
  srcDemoId: string;
  success: boolean;
  successStep: number;
}

interface MutableFrame extends WorldFrame {
  episodeSteps: number;
}

/**
 * Recorded episodes of a trajgen dataset of any registered task (the manifest's `taskId`), one
 * at a time, as a one-world frame: the observation row of the current step, the parameters the
 * world was drawn with (recomputed from the episode's world key and the randomization in the
 * manifest — the dataset stores the key, not the parameters), the sub-signals after the
 * previous step and the action that led here.
 * Stepping plays the episode; {@link seek} jumps; at the end it starts over.
 */
export class DatasetSource implements MotionSource {
  readonly frame: MutableFrame;
  private current: Episode;
  private index = 0;
  private step_ = 0;
  private readonly randomization: unknown;
  private readonly subtaskNames: string[];
  private readonly task: Task;

  /** Throws when the manifest's task is not registered here or its observations are not the task's. */
  constructor(readonly dataset: LoadedDataset) {
    const { manifest } = dataset;
    const task = getTask(manifest.taskId);
    if (manifest.obsNames.join() !== task.obsNames.join()) {
      throw new Error(`the dataset's observations are not those of task ${task.id} here (obsNames differ): written by another version of the task?`);
    }
    this.task = task;
    const config = manifest.config as Record<string, unknown>;
    this.randomization = task.resolveRandomization(config.randomization ?? task.defaultPreset);
    this.subtaskNames = (task.datagen?.subtasks ?? []).map((s) => s.name);
    const actionSize = manifest.actionNames.length;
    this.frame = {
      task,
      numWorlds: 1,
      obs: new Float32Array(task.obsNames.length),
      obsNames: manifest.obsNames,
      params: new Float32Array(task.paramNames.length),
      paramNames: task.paramNames,
      signals: new Uint8Array(task.signalNames.length),
      signalNames: task.signalNames,
      succeeded: new Uint8Array(1),
      actions: new Float32Array(actionSize),
      actionSize,
      episode: new Uint32Array(1),
      worldId: new Uint32Array(1),
      stepCount: new Uint32Array(1),
      episodeSteps: 1,
    };
    this.current = dataset.episode(0);
    this.selectEpisode(0);
  }

  /** The randomization name in the manifest (a preset), or `custom`. */
  get preset(): string {
    const r = (this.dataset.manifest.config as Record<string, unknown>).randomization;
    return typeof r === 'string' ? r : 'custom';
  }

  get label(): string {
    return `dataset ${this.dataset.name} · episode ${this.index + 1}/${this.dataset.count}`;
  }

  /** The episode shown. */
  get episode(): Episode {
    return this.current;
  }

  get episodeIndex(): number {
    return this.index;
  }

  /** Names of the task's subtasks (what `subtaskStarts` indexes). */
  get subtasks(): readonly string[] {
    return this.subtaskNames;
  }

  /** Shows episode `index` (clamped) from its first step. */
  selectEpisode(index: number): void {
    this.index = Math.min(this.dataset.count - 1, Math.max(0, Math.floor(index)));
    this.current = this.dataset.episode(this.index);
    const world = this.current.world;
    this.task.drawParams(this.randomization, world.seed, world.episode, world.worldId, this.frame.params, 0);
    this.frame.episode[0] = world.episode;
    this.frame.worldId[0] = world.worldId;
    this.frame.episodeSteps = this.current.length;
    this.seek(0);
  }

  /** Shows step `step` (clamped to the episode). */
  seek(step: number): void {
    const e = this.current;
    const t = Math.min(e.length - 1, Math.max(0, Math.floor(step)));
    this.step_ = t;
    const f = this.frame;
    const obsSize = f.obsNames.length;
    f.obs.set(e.obs.subarray(t * obsSize, (t + 1) * obsSize));
    f.stepCount[0] = t;
    if (t === 0) f.actions.fill(0);
    else f.actions.set(e.actions.subarray((t - 1) * f.actionSize, t * f.actionSize));
    // Signals are recorded after each step: row t − 1 is the state this observation shows.
    const successNow = e.successStep >= 0 && t - 1 >= e.successStep;
    f.signalNames.forEach((name, k) => {
      const row = e.datagen.signals[name];
      f.signals[k] = t === 0 ? 0 : row ? row[t - 1] : name === 'success' ? Number(successNow) : 0;
    });
    f.succeeded[0] = Number(successNow);
  }

  /** Where the timeline is. */
  position(): TimelinePosition {
    const e = this.current;
    const t = this.step_;
    let subtaskIndex = 0;
    for (let k = 0; k < e.subtaskStarts.length; k++) if (t >= e.subtaskStarts[k]) subtaskIndex = k;
    const srcDemo = e.srcDemoLabels[t];
    return {
      episode: this.index,
      attempt: e.attempt,
      numEpisodes: this.dataset.count,
      step: t,
      length: e.length,
      subtask: this.subtaskNames[subtaskIndex] ?? String(subtaskIndex),
      subtaskIndex,
      srcDemo,
      srcDemoId: String(this.dataset.manifest.sourceDemoIds[srcDemo] ?? srcDemo),
      success: e.success,
      successStep: e.successStep,
    };
  }

  async step(): Promise<void> {
    this.seek(this.step_ + 1 >= this.current.length ? 0 : this.step_ + 1);
  }

  async restart(): Promise<void> {
    this.seek(0);
  }

  describeWorld(): Record<string, string> {
    const p = this.position();
    return {
      'dataset episode': `${p.episode + 1} of ${p.numEpisodes} (attempt ${p.attempt}, ${p.success ? `success at step ${p.successStep}` : 'failure'})`,
      'world key': `seed ${this.current.world.seed} · episode ${this.current.world.episode} · world ${this.current.world.worldId}`,
      subtask: p.subtask,
      'source demo': `${p.srcDemo} (${p.srcDemoId})`,
    };
  }

  async dispose(): Promise<void> {}
}
