/**
 * Batched MimicGen generation: every world of a Sim runs its own attempt, each at its own
 * subtask and step; a world whose attempt ends starts the next attempt at once.
 *
 * Attempt k of a run is the world (seed, episode = attemptId(k), world key 0): its
 * randomization and every random draw of generation (boundary offsets, source selection,
 * action noise) are functions of (seed, attempt) only, so an attempt's trajectory does not
 * depend on the batch size or on which slot ran it. With `worldEpisode`, the attempt runs in
 * the world (seed, worldEpisode(attempt), 0) instead; its draws stay those of the attempt. Finished attempts are handed out in
 * attempt order.
 */
import { CONTROL_LIMITS, TERMINATION_REASON, TERMINATION_REASON_NAMES, type Sim } from '@gripgen/sim-core';
import type { SourceDemo } from '../demos/source-demo.js';
import type { Episode } from '../episode.js';
import { poseDeltaAction, poseFrom } from '../pose.js';
import { random01, randomInt, randomNormal, STREAM } from '../random-stream.js';
import type { DatagenTask } from '../tasks/datagen-task.js';
import { subtaskKnobsOf, type GenerateConfig, type SubtaskKnobs } from './generate-config.js';
import { AttemptRecord } from './attempt-record.js';
import { planSubtask, type Waypoint } from './plan-subtask.js';
import { offsetSegments, segmentDemo, type Segments } from './segment.js';
import { selectSource } from './select-source.js';

/** The Sim's termination reasons for an object that left the task's workspace. */
export type LeftWorkspaceReason = 'objectBelowTable' | 'objectOutsideWorkspace';

/**
 * Why an attempt ended: its plan ran out (`completed`: a success or not), its world blew up
 * (`fault`), it ran past `maxAttemptSteps` (`tooLong`), or its world terminated because an
 * object left the task's workspace (the Sim's reason): the last three are failures.
 */
export type AttemptEnd = 'completed' | 'fault' | 'tooLong' | LeftWorkspaceReason;

/** A finished attempt: the episode, how it ended and (if it failed) the subtask it failed in. */
export interface AttemptResult {
  /** Position of the attempt in the run (0, 1, 2, …). */
  index: number;
  episode: Episode;
  end: AttemptEnd;
  /** Name of the first subtask whose end signal never rose, for failed attempts; else null. */
  failedSubtask: string | null;
  /** For an attempt ended by an object leaving the workspace: which object, and where it was (m); else null. */
  leftWorkspace: { object: string; position: [number, number, number] } | null;
}

/** Options of `runBatchGeneration`. */
export interface BatchGenerationOptions {
  /** A Sim in `delta` action mode; its worlds are the generation slots. */
  sim: Sim;
  task: DatagenTask;
  demos: readonly SourceDemo[];
  config: GenerateConfig;
  /** Attempt id of run index k (e.g. the shard's slice of the seed space). */
  attemptId: (k: number) => number;
  /**
   * The episode index of the world attempt `attempt` runs in (default: the attempt id itself).
   * Several attempts may share a world (a restricted set of scenes); their generation draws
   * (boundary offsets, source selection, noise) still differ, being keyed by the attempt.
   */
  worldEpisode?: (attempt: number) => number;
  /** First run index to attempt (resuming). */
  startIndex?: number;
  /** Whether to start attempt `k` (checked before each start, in order). */
  wantAttempt: (k: number) => boolean;
  /** Receives finished attempts in run order; return true to stop the run. */
  onResult: (result: AttemptResult) => boolean | Promise<boolean>;
  /** Called after every control step of the batch. */
  onStep?: (stats: { steps: number; active: number }) => void;
  /**
   * Stops the run when aborted: attempts not yet handed to `onResult` are dropped (a resumed
   * run redoes them; each attempt depends only on its id), those handed out stay.
   */
  signal?: AbortSignal;
}

/** Per-slot record of the running attempt. */
interface Slot {
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

/**
 * Runs attempts until `wantAttempt` declines and every started attempt has been handed
 * out, or until `onResult` returns true. Returns the number of control steps run.
 */
export async function runBatchGeneration(options: BatchGenerationOptions): Promise<number> {
  const { sim, task, demos, config } = options;
  if (sim.spec.actionMode !== 'delta') throw new Error('generation needs a Sim in "delta" action mode');
  if (demos.length === 0) throw new Error('generation needs at least one source demo');
  for (const d of demos) if (d.task !== task.taskId) throw new Error(`source demo ${d.id} is of task "${d.task}", not "${task.taskId}"`);
  const n = sim.spec.numWorlds;
  const obsSize = sim.spec.obsSize;
  const signalNames = sim.spec.signalNames;
  const ns = signalNames.length;
  const subtasks = task.subtasks;
  const S = subtasks.length;
  const knobs: SubtaskKnobs[] = subtasks.map((s) => subtaskKnobsOf(config, s));
  const baseSegments = demos.map((d) => segmentDemo(d, subtasks));
  // Size-aware frames need each world's and each demo's object sizes, i.e. their parameters.
  const sizeAware = config.sizeAwareFrames;
  const demoParams = sizeAware ? demos.map((d) => task.demoParams(d)) : [];
  const np = sim.spec.paramNames.length;
  const endSignalIndex = subtasks.map((s) => (s.endSignal === null ? -1 : signalNames.indexOf(s.endSignal)));
  const seed = sim.spec.seed;
  const worldEpisode = options.worldEpisode ?? ((attempt: number) => attempt);
  const dp = CONTROL_LIMITS.maxDeltaPosition;
  const dr = CONTROL_LIMITS.maxDeltaRotation;

  const slots: Slot[] = Array.from({ length: n }, () => emptySlot(S, new AttemptRecord(obsSize, task.objects.length, ns, config.maxAttemptSteps)));
  const pending = new Map<number, AttemptResult>();
  let nextToEmit = options.startIndex ?? 0;
  let nextToStart = nextToEmit;
  let stop = false;
  let steps = 0;

  const mask = new Uint8Array(n);
  const episodes = new Uint32Array(n);
  const worldIds = new Uint32Array(n);
  const actions = new Float32Array(n * 7);
  /** 1 where the world's attempt acted in the current step. */
  const acted = new Uint8Array(n);
  const eefNow = new Float64Array(7);
  const objectNow = new Float64Array(7);
  const scratch = new Float64Array(7);

  /** Boundaries of demo d for this attempt. */
  const segmentsFor = (slot: Slot, d: number): Segments => {
    const offsets = knobs.slice(0, S - 1).map((k, j) => randomInt(k.subtaskTermOffsetRange[0], k.subtaskTermOffsetRange[1], seed, slot.attempt, STREAM.boundary, d * S + j));
    return offsetSegments(baseSegments[d], offsets);
  };

  /** Plans slot's next subtask from the current observation; false when the attempt is complete. */
  const beginSubtask = (slot: Slot, w: number, obs: Float32Array): boolean => {
    const k = slot.subtask + 1;
    if (k >= S) return false;
    slot.subtask = k;
    slot.subtaskStarts.push(slot.t);
    const spec = subtasks[k];
    task.eefPose(obs, w * obsSize, eefNow);
    task.objectPose(spec.object, obs, w * obsSize, objectNow);
    if (sizeAware) task.anchorPose(spec, objectNow, sim.paramTable, w * np);
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
        const start = segmentsFor(slot, i)[k][0];
        return { objectPose: objectThen(i, start), eefPose: poseFrom(d.eefPose, start * 7) };
      });
      slot.demo = selectSource(knobs[k].selectionStrategy, knobs[k].nnK, candidates, objectNow, eefNow, random01(seed, slot.attempt, STREAM.selection, k));
      slot.segments = segmentsFor(slot, slot.demo);
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
      knobs: knobs[k],
    });
    slot.cursor = 0;
    return true;
  };

  const finish = async (slot: Slot, end: AttemptEnd, leftWorkspace: AttemptResult['leftWorkspace'] = null): Promise<void> => {
    slot.active = false;
    const T = slot.t;
    const rec = slot.record;
    // Losing the object fails the attempt even after an earlier success: the trajectory ends
    // with the object off the table, which is not a demonstration to learn from.
    const success = slot.successStep >= 0 && leftWorkspace === null;
    let failedSubtask: string | null = null;
    if (!success) {
      const k = endSignalIndex.findIndex((s, i) => s >= 0 && slot.signalSeen[i] === 0);
      failedSubtask = subtasks[k >= 0 ? k : S - 1].name;
    }
    const episode: Episode = {
      attempt: slot.attempt,
      world: { seed, episode: worldEpisode(slot.attempt), worldId: 0 },
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
    pending.set(slot.index, { index: slot.index, episode, end, failedSubtask, leftWorkspace });
    while (!stop && pending.has(nextToEmit)) {
      const result = pending.get(nextToEmit)!;
      pending.delete(nextToEmit);
      nextToEmit++;
      if (await options.onResult(result)) stop = true;
    }
  };

  // Start the first attempts, then step until done.
  let r = await sim.reset();
  for (;;) {
    if (options.signal) {
      // Let signal handlers run: on the calling thread (threads: 0) stepping never yields to
      // the event loop by itself.
      await new Promise((resolve) => setImmediate(resolve));
      if (options.signal.aborted) break;
    }
    // Start attempts in idle slots.
    mask.fill(0);
    let starting = false;
    for (let w = 0; w < n && !stop; w++) {
      if (slots[w].active) continue;
      if (!options.wantAttempt(nextToStart)) break;
      const k = nextToStart++;
      resetSlot(slots[w], k, options.attemptId(k));
      mask[w] = 1;
      episodes[w] = worldEpisode(slots[w].attempt);
      worldIds[w] = 0;
      starting = true;
    }
    if (stop) break;
    if (starting) r = await sim.reset({ mask, episodes, worldIds });
    // Plan and act.
    let active = 0;
    acted.fill(0);
    for (let w = 0; w < n; w++) {
      const slot = slots[w];
      if (!slot.active) {
        actions.fill(0, w * 7, w * 7 + 7);
        continue;
      }
      if (slot.cursor >= slot.plan.length && !beginSubtask(slot, w, r.obs)) {
        await finish(slot, 'completed');
        actions.fill(0, w * 7, w * 7 + 7);
        continue;
      }
      if (slot.t >= config.maxAttemptSteps) {
        await finish(slot, 'tooLong');
        actions.fill(0, w * 7, w * 7 + 7);
        continue;
      }
      active++;
      acted[w] = 1;
      const wp = slot.plan[slot.cursor++];
      slot.lastWaypoint = wp;
      const o = w * obsSize;
      task.eefPose(r.obs, o, eefNow);
      poseDeltaAction(scratch, 0, eefNow, wp.pose);
      // Normalized action (MimicGen's [-1, 1] convention), noise, clip, back to physical units.
      for (let i = 0; i < 6; i++) {
        const scale = i < 3 ? dp : dr;
        let a = scratch[i] / scale;
        if (wp.noise > 0) a += wp.noise * randomNormal(seed, slot.attempt, STREAM.noise, slot.t * 6 + i);
        actions[w * 7 + i] = Math.max(-1, Math.min(1, a)) * scale;
      }
      actions[w * 7 + 6] = wp.gripper;
      // Record what the step starts from.
      const rec = slot.record;
      const t = slot.t;
      rec.reserve(t);
      for (let i = 0; i < obsSize; i++) rec.obs[t * obsSize + i] = r.obs[o + i];
      for (let i = 0; i < 7; i++) rec.eef[t * 7 + i] = eefNow[i];
      for (let j = 0; j < task.objects.length; j++) {
        task.objectPose(task.objects[j], r.obs, o, objectNow);
        const row = rec.objects[j];
        for (let i = 0; i < 7; i++) row[t * 7 + i] = objectNow[i];
      }
      for (let i = 0; i < 7; i++) rec.actions[t * 7 + i] = actions[w * 7 + i];
      rec.gripper[t] = wp.gripper;
      rec.labels[t] = slot.demo;
    }
    if (stop) break;
    if (active === 0) {
      // Every attempt has ended (none was left to act): start more, or stop.
      if (!options.wantAttempt(nextToStart)) break;
      continue;
    }
    r = await sim.step(actions);
    steps++;
    // Record what the step led to.
    for (let w = 0; w < n; w++) {
      const slot = slots[w];
      if (!acted[w]) continue;
      const o = w * obsSize;
      const rec = slot.record;
      const t = slot.t;
      task.eefPose(r.obs, o, eefNow);
      for (let i = 0; i < 7; i++) rec.target[t * 7 + i] = eefNow[i];
      rec.rewards[t] = r.reward[w];
      for (let i = 0; i < ns; i++) rec.signals[i][t] = r.signals[w * ns + i];
      for (let k = 0; k < S; k++) if (endSignalIndex[k] >= 0 && r.signals[w * ns + endSignalIndex[k]]) slot.signalSeen[k] = 1;
      if (slot.successStep < 0 && r.success[w]) slot.successStep = slot.t;
      slot.t++;
      if (r.fault[w]) await finish(slot, 'fault');
      else if (r.terminated[w] && r.terminationReason[w] !== TERMINATION_REASON.success) {
        const info = sim.terminationInfo(w);
        await finish(slot, TERMINATION_REASON_NAMES[r.terminationReason[w]] as LeftWorkspaceReason, { object: info.object!, position: info.position! });
      }
    }
    options.onStep?.({ steps, active });
    if (stop) break;
  }
  return steps;
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

function resetSlot(slot: Slot, index: number, attempt: number): void {
  Object.assign(slot, emptySlot(slot.signalSeen.length, slot.record), { index, attempt, active: true });
}

function doneFlags(T: number): Uint8Array {
  const d = new Uint8Array(T);
  if (T > 0) d[T - 1] = 1;
  return d;
}
