import { createSim, DEFAULT_TASK_ID, getTask, type SimConfigInput } from '@gripgen/sim-core';
import { getDatagenTask } from '../tasks/datagen-task.js';
import type { SourceDemo } from './source-demo.js';

/** Options of `recordExpertDemos`. */
export interface RecordDemosOptions {
  task?: string;
  /** Successful demos to record. */
  count: number;
  /** Randomization preset or overrides (default: the task's `demoPreset`, e.g. `narrow`). */
  randomization?: unknown;
  seed?: number;
  backend?: SimConfigInput['backend'];
  threads?: number;
  /** Longest demo (control steps) before a world counts as failed (default 300). */
  maxSteps?: number;
  /** Steps recorded after the first successful step, so replays have time to settle (default 10). */
  tailSteps?: number;
  /**
   * Called after every control step with the demos recorded so far, and where the round of
   * worlds stands: its control step (1-based) and the step it ends by at the latest (`maxSteps`).
   */
  onProgress?: (recorded: number, count: number, round: { step: number; maxSteps: number }) => void;
}

/**
 * Records `count` successful demos of the task's scripted expert (whose style — heights,
 * speed, grasp offset — varies per world). Worlds are tried in order, `2 · count` at a time;
 * the demos are the first `count` worlds whose expert succeeded, so the result depends only
 * on the options. Each demo ends `tailSteps` after its first successful step.
 */
export async function recordExpertDemos(options: RecordDemosOptions): Promise<SourceDemo[]> {
  const taskId = options.task ?? DEFAULT_TASK_ID;
  const simTask = getTask(taskId);
  const makeExpert = simTask.expert;
  if (!makeExpert) throw new Error(`task "${taskId}" has no scripted expert to record demos with`);
  const task = getDatagenTask(taskId);
  const count = options.count;
  if (!Number.isInteger(count) || count < 1) throw new Error(`count must be a positive integer (got ${count})`);
  const seed = options.seed ?? 0;
  const randomization = options.randomization ?? simTask.demoPreset;
  const maxSteps = options.maxSteps ?? 300;
  const tail = options.tailSteps ?? 10;
  const n = 2 * count;
  const sim = await createSim({
    task: taskId,
    numWorlds: n,
    backend: options.backend ?? 'rapier',
    seed,
    randomization,
    actionMode: 'delta',
    maxEpisodeSteps: maxSteps + 1,
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
  });
  const demos: SourceDemo[] = [];
  try {
    const signalNames = sim.spec.signalNames;
    const obsSize = sim.spec.obsSize;
    for (let round = 0; demos.length < count; round++) {
      if (round > 20) throw new Error(`the expert succeeded on only ${demos.length} of ${n * round} worlds; cannot record ${count} demos`);
      const episodes = new Uint32Array(n).fill(round);
      let r = await sim.reset({ episodes });
      const expert = makeExpert(n, seed);
      const actions = new Float32Array(n * sim.spec.actionSize);
      const rec = Array.from({ length: n }, () => ({
        eef: [] as number[],
        target: [] as number[],
        objects: Object.fromEntries(task.objects.map((o) => [o, [] as number[]])) as Record<string, number[]>,
        gripper: [] as number[],
        signals: signalNames.map(() => [] as number[]),
        actions: [] as number[],
        successAt: -1,
        done: false,
        faulted: false,
      }));
      const pose = new Float64Array(7);
      for (let step = 0; step < maxSteps && rec.some((w) => !w.done); step++) {
        expert.act(r.obs, obsSize, sim.paramTable, r.episode, r.stepCount, actions);
        for (let w = 0; w < n; w++) {
          const wr = rec[w];
          if (wr.done) continue;
          task.eefPose(r.obs, w * obsSize, pose);
          wr.eef.push(...pose);
          for (const o of task.objects) {
            task.objectPose(o, r.obs, w * obsSize, pose);
            wr.objects[o].push(...pose);
          }
          wr.gripper.push(actions[w * 7 + 6]);
          for (let i = 0; i < 7; i++) wr.actions.push(actions[w * 7 + i]);
        }
        r = await sim.step(actions);
        for (let w = 0; w < n; w++) {
          const wr = rec[w];
          if (wr.done) continue;
          if (r.fault[w]) {
            wr.faulted = wr.done = true;
            continue;
          }
          task.eefPose(r.obs, w * obsSize, pose);
          wr.target.push(...pose);
          for (let k = 0; k < signalNames.length; k++) wr.signals[k].push(r.signals[w * signalNames.length + k]);
          const t = wr.gripper.length - 1;
          if (wr.successAt < 0 && r.success[w]) wr.successAt = t;
          if (wr.successAt >= 0 && t >= wr.successAt + tail) wr.done = true;
        }
        options.onProgress?.(demos.length, count, { step: step + 1, maxSteps });
      }
      for (let w = 0; w < n && demos.length < count; w++) {
        const wr = rec[w];
        if (wr.faulted || wr.successAt < 0) continue;
        const T = wr.gripper.length;
        demos.push({
          id: `expert-s${seed}-e${round}-w${w}`,
          task: taskId,
          world: { seed, episode: round, worldId: w },
          randomization,
          recordedBy: 'scripted-expert',
          length: T,
          eefPose: Float64Array.from(wr.eef),
          targetPose: Float64Array.from(wr.target),
          objectPoses: Object.fromEntries(task.objects.map((o) => [o, Float64Array.from(wr.objects[o])])),
          gripperAction: Float64Array.from(wr.gripper),
          signals: Object.fromEntries(signalNames.map((s, k) => [s, Uint8Array.from(wr.signals[k])])),
          actions: Float32Array.from(wr.actions),
        });
      }
      options.onProgress?.(demos.length, count, { step: 0, maxSteps });
    }
  } finally {
    await sim.dispose();
  }
  return demos;
}
