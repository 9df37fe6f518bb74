/**
 * Generation's host loop: at every control step, JavaScript computes each world's action from
 * its waypoint (`followWaypoint`), steps the Sim and records the rows. Runs on every backend.
 */
import { TERMINATION_REASON, TERMINATION_REASON_NAMES } from '@gripgen/sim-core';
import type { BatchGenerationOptions, LeftWorkspaceReason } from './batch-generator.js';
import { followWaypoint } from './follow-waypoint.js';
import type { GenerationSlots } from './generation-slots.js';

/** Runs the batch (see `runBatchGeneration`) with the follower on the host; returns the control steps run. */
export async function followOnHost(run: GenerationSlots, options: BatchGenerationOptions): Promise<number> {
  const { sim, config } = options;
  const { task, seed, obsSize, numSignals: ns } = run;
  const n = sim.spec.numWorlds;
  let steps = 0;

  const mask = new Uint8Array(n);
  const episodes = new Uint32Array(n);
  const worldIds = new Uint32Array(n);
  const actions = new Float32Array(n * 7);
  /** 1 where the world's attempt acted in the current step. */
  const acted = new Uint8Array(n);
  const eefNow = new Float64Array(7);
  const objectNow = new Float64Array(7);

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
    const starting = run.startIdle(mask, episodes, worldIds);
    if (run.stopped) break;
    if (starting) r = await sim.reset({ mask, episodes, worldIds });
    // Plan and act.
    let active = 0;
    acted.fill(0);
    for (let w = 0; w < n; w++) {
      const slot = run.slots[w];
      if (!slot.active) {
        actions.fill(0, w * 7, w * 7 + 7);
        continue;
      }
      if (slot.cursor >= slot.plan.length && !run.beginSubtask(slot, w, r.obs)) {
        await run.finish(slot, 'completed');
        actions.fill(0, w * 7, w * 7 + 7);
        continue;
      }
      if (slot.t >= config.maxAttemptSteps) {
        await run.finish(slot, 'tooLong');
        actions.fill(0, w * 7, w * 7 + 7);
        continue;
      }
      active++;
      acted[w] = 1;
      const wp = slot.plan[slot.cursor++];
      slot.lastWaypoint = wp;
      const o = w * obsSize;
      task.eefPose(r.obs, o, eefNow);
      followWaypoint(actions, w * 7, eefNow, wp.pose, wp.gripper, wp.noise, seed, slot.attempt, slot.t);
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
    if (run.stopped) break;
    if (active === 0) {
      // Every attempt has ended (none was left to act): start more, or stop.
      if (!run.wantsMore()) break;
      continue;
    }
    r = await sim.step(actions);
    steps++;
    // Record what the step led to.
    for (let w = 0; w < n; w++) {
      const slot = run.slots[w];
      if (!acted[w]) continue;
      const o = w * obsSize;
      const rec = slot.record;
      const t = slot.t;
      task.eefPose(r.obs, o, eefNow);
      for (let i = 0; i < 7; i++) rec.target[t * 7 + i] = eefNow[i];
      rec.rewards[t] = r.reward[w];
      for (let i = 0; i < ns; i++) rec.signals[i][t] = r.signals[w * ns + i];
      run.countStep(slot, r.success[w], r.signals, w * ns);
      if (r.fault[w]) await run.finish(slot, 'fault');
      else if (r.terminated[w] && r.terminationReason[w] !== TERMINATION_REASON.success) {
        const info = sim.terminationInfo(w);
        await run.finish(slot, TERMINATION_REASON_NAMES[r.terminationReason[w]] as LeftWorkspaceReason, { object: info.object!, position: info.position! });
      }
    }
    options.onStep?.({ steps, active });
    if (run.stopped) break;
  }
  return steps;
}
