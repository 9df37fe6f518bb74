/**
 * Generation's GPU loop: the waypoint follower and the recording run as WGSL beside the
 * physics (`GpuFollower`), in chunks of `gpuChunkSteps` control steps. The host visits once per
 * chunk: it absorbs the recorded rows into the attempts, plans the subtasks of worlds that
 * reached a boundary (from the observation there: a world whose waypoints ran out was held
 * still since), ends and starts attempts, and hands out the next waypoints. No JavaScript runs
 * between the steps of a chunk; per chunk the host copies each world's recorded rows into its
 * attempt (a few array copies and the pose columns per row).
 *
 * A world's trajectory is that of the host loop (`followOnHost`) up to f32 rounding of the
 * action (the follower computes in f32 on the GPU, in f64 on the host), and it does not depend
 * on the chunk size or the batch: held worlds do not move, and every draw is keyed by the attempt.
 */
import { OUTPUT_FLAGS } from '@gripgen/shaders';
import type { BatchGenerationOptions, LeftWorkspaceReason } from '../batch-generator.js';
import type { GenerationSlots, Slot } from '../generation-slots.js';
import { FOLLOW_END, rowWords, STATE_WORD, WAYPOINT_WORDS } from './follower-layouts.js';
import { GpuFollower, writeFollowState } from './gpu-follower.js';

/** Control steps per chunk when `gpuChunkSteps` is not given. */
export const DEFAULT_GPU_CHUNK_STEPS = 16;

/** Runs the batch (see `runBatchGeneration`) with the follower on the GPU; returns the control steps run. */
export async function followOnGpu(run: GenerationSlots, options: BatchGenerationOptions): Promise<number> {
  const { sim, config } = options;
  const R = options.gpuChunkSteps ?? DEFAULT_GPU_CHUNK_STEPS;
  const follower = await GpuFollower.create(sim, R);
  try {
    return await loop(run, options, follower, config.maxAttemptSteps);
  } finally {
    follower.destroy();
  }
}

async function loop(run: GenerationSlots, options: BatchGenerationOptions, follower: GpuFollower, maxAttemptSteps: number): Promise<number> {
  const { sim } = options;
  const { task, obsSize, numSignals: ns } = run;
  const n = sim.spec.numWorlds;
  const R = follower.chunkSteps;
  const W = rowWords(obsSize);
  const { waypoints, states, ring, ringU32 } = follower.chunk;
  const SW = GpuFollower.STATE_WORDS;
  const mask = new Uint8Array(n);
  const episodes = new Uint32Array(n);
  const worldIds = new Uint32Array(n);
  /** Each world's observation now (after its last step, or its reset). */
  const obsNow = new Float32Array(n * obsSize);
  const signals = new Uint8Array(ns);
  const access = sim.gpuAccess();
  const workspace = access.workspace;
  let steps = 0;

  /** Plans slot w's next subtask when its waypoints ran out, ends its attempt when it is complete or too long. */
  const atBoundary = async (slot: Slot, w: number): Promise<void> => {
    if (slot.cursor >= slot.plan.length && !run.beginSubtask(slot, w, obsNow)) await run.finish(slot, 'completed');
    else if (slot.t >= maxAttemptSteps) await run.finish(slot, 'tooLong');
  };

  /** Appends the chunk's `done` rows of world w to its attempt; returns the world-steps among them that overflowed the contact capacity. */
  const absorb = (slot: Slot, w: number, done: number): number => {
    let overflowed = 0;
    const rec = slot.record;
    const t0 = slot.t;
    rec.reserve(t0 + done - 1);
    const base = w * R * W;
    const obsBlock = base;
    const actionBlock = base + R * obsSize;
    const rewardBlock = base + R * (obsSize + 7);
    const flagBlock = base + R * (obsSize + 8);
    // Observations before each step: the one now, then those after each step but the last.
    rec.obs.set(obsNow.subarray(w * obsSize, (w + 1) * obsSize), t0 * obsSize);
    rec.obs.set(ring.subarray(obsBlock, obsBlock + (done - 1) * obsSize), (t0 + 1) * obsSize);
    rec.actions.set(ring.subarray(actionBlock, actionBlock + done * 7), t0 * 7);
    rec.rewards.set(ring.subarray(rewardBlock, rewardBlock + done), t0);
    for (let i = 0; i < done; i++) {
      const t = t0 + i;
      task.eefPose(rec.obs, t * obsSize, rec.eef, t * 7);
      for (let j = 0; j < task.objects.length; j++) task.objectPose(task.objects[j], rec.obs, t * obsSize, rec.objects[j], t * 7);
      task.eefPose(ring, obsBlock + i * obsSize, rec.target, t * 7);
      rec.gripper[t] = rec.actions[t * 7 + 6];
      rec.labels[t] = slot.demo;
      const flags = ringU32[flagBlock + i];
      overflowed += (flags >>> OUTPUT_FLAGS.overflow) & 1;
      for (let k = 0; k < ns; k++) {
        signals[k] = (flags >>> (OUTPUT_FLAGS.firstSignal + k)) & 1;
        rec.signals[k][t] = signals[k];
      }
      run.countStep(slot, (flags >>> OUTPUT_FLAGS.success) & 1, signals, 0);
    }
    obsNow.set(ring.subarray(obsBlock + (done - 1) * obsSize, obsBlock + done * obsSize), w * obsSize);
    slot.cursor += done;
    slot.lastWaypoint = slot.plan[slot.cursor - 1];
    return overflowed;
  };

  let r = await sim.reset();
  obsNow.set(r.obs);
  for (;;) {
    if (options.signal) {
      await new Promise((resolve) => setImmediate(resolve));
      if (options.signal.aborted) break;
    }
    // Subtask boundaries of running attempts, then new attempts in the free slots.
    for (let w = 0; w < n && !run.stopped; w++) {
      const slot = run.slots[w];
      if (slot.active) await atBoundary(slot, w);
    }
    if (run.stopped) break;
    // A new attempt whose plan is done at once (or too long at once) frees its slot again.
    while (run.startIdle(mask, episodes, worldIds)) {
      r = await sim.reset({ mask, episodes, worldIds });
      for (let w = 0; w < n && !run.stopped; w++) {
        if (!mask[w]) continue;
        obsNow.set(r.obs.subarray(w * obsSize, (w + 1) * obsSize), w * obsSize);
        await atBoundary(run.slots[w], w);
      }
      if (run.stopped || run.slots.every((s) => s.active)) break;
    }
    if (run.stopped) break;
    // The chunk's waypoints.
    let active = 0;
    for (let w = 0; w < n; w++) {
      const slot = run.slots[w];
      if (!slot.active) {
        writeFollowState(states, w, 0, 0, 0);
        continue;
      }
      const count = Math.min(R, slot.plan.length - slot.cursor, maxAttemptSteps - slot.t);
      writeFollowState(states, w, slot.attempt, slot.t, count);
      for (let i = 0; i < count; i++) {
        const wp = slot.plan[slot.cursor + i];
        const o = (w * R + i) * WAYPOINT_WORDS;
        waypoints.set(wp.pose, o);
        waypoints[o + 7] = wp.gripper;
        waypoints[o + 8] = wp.noise;
      }
      active++;
    }
    if (active === 0) {
      if (!run.wantsMore()) break;
      continue;
    }
    await follower.runChunk();
    steps += R;
    // What the chunk's steps led to.
    let overflowed = 0;
    for (let w = 0; w < n; w++) {
      const slot = run.slots[w];
      if (!slot.active) continue;
      const done = states[w * SW + STATE_WORD.done];
      if (done > 0) overflowed += absorb(slot, w, done);
      const end = states[w * SW + STATE_WORD.end];
      if (end === FOLLOW_END.fault) await run.finish(slot, 'fault');
      else if (end !== FOLLOW_END.none) {
        const object = states[w * SW + STATE_WORD.object];
        const at = workspace!.positions[object];
        const position: [number, number, number] = [obsNow[w * obsSize + at[0]], obsNow[w * obsSize + at[1]], obsNow[w * obsSize + at[2]]];
        const reason: LeftWorkspaceReason = end === FOLLOW_END.objectBelowTable ? 'objectBelowTable' : 'objectOutsideWorkspace';
        await run.finish(slot, reason, { object: workspace!.objects[object], position });
      }
    }
    access.countContactOverflow(overflowed);
    options.onStep?.({ steps, active });
    if (run.stopped) break;
  }
  return steps;
}
