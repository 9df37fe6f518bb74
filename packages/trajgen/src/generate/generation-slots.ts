/**
 * The generation slots of a batch — one per world of the Sim — and what both followers (the
 * host loop and the GPU loop) do with them: start attempts in idle slots, plan a slot's next
 * subtask from the observation at its boundary, record what a step led to, and hand finished
 * attempts out in attempt order.
 */
import type { Sim } from '@gripgen/sim-core';
import type { Episode } from '../episode.js';
import { poseFrom } from '../pose.js';
import { random01, randomInt, STREAM } from '../random-stream.js';
import type { DatagenTask } from '../tasks/datagen-task.js';
import { AttemptRecord } from './attempt-record.js';
import type { AttemptEnd, AttemptResult, BatchGenerationOptions } from './batch-generator.js';
import { subtaskKnobsOf, type SubtaskKnobs } from './generate-config.js';
import { planSubtask, type Waypoint } from './plan-subtask.js';
import { offsetSegments, segmentDemo, type Segments } from './segment.js';
import { selectSource } from './select-source.js';

/** Per-slot record of the running attempt. */
export interface Slot {
  index: number;
  attempt: number;
  active: boolean;
  subtask: number;
  demo: number;
  segments: Segments | null;
  plan: Waypoint[];
  cursor: number;
  lastWaypoint: Waypoint | null;
  t: number;
  successStep: number;
  srcDemoIndices: number[];
  subtaskStarts: number[];
  signalSeen: Uint8Array;
  /** The attempt's per-step rows (the slot's arrays, reused by its next attempt). */
  record: AttemptRecord;
}

/** The slots of one batch generation run and the steps of an attempt's life. */
export class GenerationSlots {
  readonly slots: Slot[];
  /** Set once `onResult` asked to stop: start nothing more. */
  stopped = false;
  readonly task: DatagenTask;
  readonly seed: number;
  readonly obsSize: number;
  readonly numSignals: number;
  /** Per subtask: the index of its end signal among the Sim's signals, or -1. */
  private readonly endSignalIndex: number[];
  private readonly knobs: SubtaskKnobs[];
  private readonly baseSegments: Segments[];
  private readonly demoParams: Float32Array[];
  private readonly pending = new Map<number, AttemptResult>();
  private nextToEmit: number;
  private nextToStart: number;
  private readonly worldEpisode: (attempt: number) => number;
  private readonly eefNow = new Float64Array(7);
  private readonly objectNow = new Float64Array(7);

  constructor(private readonly options: BatchGenerationOptions) {
    const { sim, task, demos, config } = options;
    if (sim.spec.actionMode !== 'delta') throw new Error('generation needs a Sim in "delta" action mode');
    if (demos.length === 0) throw new Error('generation needs at least one source demo');
    for (const d of demos) if (d.task !== task.taskId) throw new Error(`source demo ${d.id} is of task "${d.task}", not "${task.taskId}"`);
    this.task = task;
    this.seed = sim.spec.seed;
    this.obsSize = sim.spec.obsSize;
    const signalNames = sim.spec.signalNames;
    this.numSignals = signalNames.length;
    this.knobs = task.subtasks.map((s) => subtaskKnobsOf(config, s));
    this.baseSegments = demos.map((d) => segmentDemo(d, task.subtasks));
    // Size-aware frames need each world's and each demo's object sizes, i.e. their parameters.
    this.demoParams = config.sizeAwareFrames ? demos.map((d) => task.demoParams(d)) : [];
    this.endSignalIndex = task.subtasks.map((s) => (s.endSignal === null ? -1 : signalNames.indexOf(s.endSignal)));
    this.worldEpisode = options.worldEpisode ?? ((attempt: number) => attempt);
    this.nextToEmit = options.startIndex ?? 0;
    this.nextToStart = this.nextToEmit;
    const S = task.subtasks.length;
    this.slots = Array.from({ length: sim.spec.numWorlds }, () =>
      emptySlot(S, new AttemptRecord(this.obsSize, task.objects.length, this.numSignals, config.maxAttemptSteps)),
    );
  }

  get sim(): Sim {
    return this.options.sim;
  }

  /** Whether another attempt is wanted (`wantAttempt` for the next run index). */
  wantsMore(): boolean {
    return this.options.wantAttempt(this.nextToStart);
  }

  /**
   * Starts the next attempts in idle slots, in slot order, while they are wanted: marks their
   * worlds in `mask` (cleared first) with the episode each runs in. Returns whether any started.
   */
  startIdle(mask: Uint8Array, episodes: Uint32Array, worldIds: Uint32Array): boolean {
    mask.fill(0);
    let starting = false;
    for (let w = 0; w < this.slots.length && !this.stopped; w++) {
      const slot = this.slots[w];
      if (slot.active) continue;
      if (!this.options.wantAttempt(this.nextToStart)) break;
      const k = this.nextToStart++;
      Object.assign(slot, emptySlot(slot.signalSeen.length, slot.record), { index: k, attempt: this.options.attemptId(k), active: true });
      mask[w] = 1;
      episodes[w] = this.worldEpisode(slot.attempt);
      worldIds[w] = 0;
      starting = true;
    }
    return starting;
  }

  /** The segments of demo d for this attempt (its boundary offsets drawn from the attempt). */
  private segmentsFor(slot: Slot, d: number): Segments {
    const S = this.task.subtasks.length;
    const offsets = this.knobs
      .slice(0, S - 1)
      .map((k, j) => randomInt(k.subtaskTermOffsetRange[0], k.subtaskTermOffsetRange[1], this.seed, slot.attempt, STREAM.boundary, d * S + j));
    return offsetSegments(this.baseSegments[d], offsets);
  }

  /**
   * Plans the slot's next subtask from world `w`'s observation row in `obs` (numWorlds rows);
   * false when the attempt has no subtask left.
   */
  beginSubtask(slot: Slot, w: number, obs: Float32Array): boolean {
    const { task, demoParams, eefNow, objectNow } = this;
    const { config, demos, sim } = this.options;
    const k = slot.subtask + 1;
    if (k >= task.subtasks.length) return false;
    slot.subtask = k;
    slot.subtaskStarts.push(slot.t);
    const spec = task.subtasks[k];
    const sizeAware = config.sizeAwareFrames;
    task.eefPose(obs, w * this.obsSize, eefNow);
    task.objectPose(spec.object, obs, w * this.obsSize, objectNow);
    if (sizeAware) task.anchorPose(spec, objectNow, sim.paramTable, w * sim.spec.paramNames.length);
    /** The reference object's pose (at its anchor with size-aware frames) at demo i's segment start. */
    const objectThen = (i: number, start: number) => {
      const recorded = demos[i].objectPoses[spec.object];
      if (!recorded) throw new Error(`source demo ${demos[i].id} has no pose of object "${spec.object}"`);
      const pose = poseFrom(recorded, start * 7);
      if (sizeAware) task.anchorPose(spec, pose, demoParams[i], 0);
      return pose;
    };
    if (k === 0 || config.selectSrcPerSubtask) {
      const candidates = demos.map((d, i) => {
        const start = this.segmentsFor(slot, i)[k][0];
        return { objectPose: objectThen(i, start), eefPose: poseFrom(d.eefPose, start * 7) };
      });
      slot.demo = selectSource(this.knobs[k].selectionStrategy, this.knobs[k].nnK, candidates, objectNow, eefNow, random01(this.seed, slot.attempt, STREAM.selection, k));
      slot.segments = this.segmentsFor(slot, slot.demo);
    }
    slot.srcDemoIndices.push(slot.demo);
    const from = config.interpolateFromLastTargetPose && k > 0 && slot.lastWaypoint ? slot.lastWaypoint : { pose: Float64Array.from(eefNow), gripper: null };
    slot.plan = planSubtask({
      demo: demos[slot.demo],
      segment: slot.segments![k],
      object: spec.object,
      objectNow,
      objectThen: objectThen(slot.demo, slot.segments![k][0]),
      from,
      includeFirstRobotPose: k === 0 || config.transformFirstRobotPose,
      knobs: this.knobs[k],
    });
    slot.cursor = 0;
    return true;
  }

  /**
   * Notes what step `slot.t` led to (its success flag and sub-signals: `signals[offset + i]`
   * for signal i) and counts the step.
   */
  countStep(slot: Slot, success: number, signals: ArrayLike<number>, offset: number): void {
    for (let k = 0; k < this.endSignalIndex.length; k++) {
      const s = this.endSignalIndex[k];
      if (s >= 0 && signals[offset + s]) slot.signalSeen[k] = 1;
    }
    if (slot.successStep < 0 && success) slot.successStep = slot.t;
    slot.t++;
  }

  /** Ends the slot's attempt and hands out every finished attempt that is next in order. */
  async finish(slot: Slot, end: AttemptEnd, leftWorkspace: AttemptResult['leftWorkspace'] = null): Promise<void> {
    const { task, obsSize, seed } = this;
    const subtasks = task.subtasks;
    const signalNames = this.options.sim.spec.signalNames;
    slot.active = false;
    const T = slot.t;
    const rec = slot.record;
    // Losing the object fails the attempt even after an earlier success: the trajectory ends
    // with the object off the table, which is not a demonstration to learn from.
    const success = slot.successStep >= 0 && leftWorkspace === null;
    let failedSubtask: string | null = null;
    if (!success) {
      const k = this.endSignalIndex.findIndex((s, i) => s >= 0 && slot.signalSeen[i] === 0);
      failedSubtask = subtasks[k >= 0 ? k : subtasks.length - 1].name;
    }
    const episode: Episode = {
      attempt: slot.attempt,
      world: { seed, episode: this.worldEpisode(slot.attempt), worldId: 0 },
      length: T,
      obs: rec.obs.slice(0, T * obsSize),
      actions: rec.actions.slice(0, T * 7),
      rewards: rec.rewards.slice(0, T),
      dones: doneFlags(T),
      success,
      successStep: success ? slot.successStep : -1,
      srcDemoIndices: slot.srcDemoIndices.slice(),
      srcDemoLabels: rec.labels.slice(0, T),
      subtaskStarts: slot.subtaskStarts.slice(),
      datagen: {
        eefPose: rec.eef.slice(0, T * 7),
        targetPose: rec.target.slice(0, T * 7),
        objectPoses: Object.fromEntries(task.objects.map((o, i) => [o, rec.objects[i].slice(0, T * 7)])),
        gripperAction: rec.gripper.slice(0, T),
        signals: Object.fromEntries(signalNames.map((s, i) => [s, rec.signals[i].slice(0, T)])),
      },
      certification: null,
    };
    this.pending.set(slot.index, { index: slot.index, episode, end, failedSubtask, leftWorkspace });
    while (!this.stopped && this.pending.has(this.nextToEmit)) {
      const result = this.pending.get(this.nextToEmit)!;
      this.pending.delete(this.nextToEmit);
      this.nextToEmit++;
      if (await this.options.onResult(result)) this.stopped = true;
    }
  }
}

function emptySlot(numSubtasks: number, record: AttemptRecord): Slot {
  return {
    index: -1,
    attempt: 0,
    active: false,
    subtask: -1,
    demo: 0,
    segments: null,
    plan: [],
    cursor: 0,
    lastWaypoint: null,
    t: 0,
    successStep: -1,
    srcDemoIndices: [],
    subtaskStarts: [],
    signalSeen: new Uint8Array(numSubtasks),
    record,
  };
}

function doneFlags(T: number): Uint8Array {
  const d = new Uint8Array(T);
  if (T > 0) d[T - 1] = 1;
  return d;
}
