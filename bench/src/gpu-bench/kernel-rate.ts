/**
 * Kernel-only world-steps/s: rounds of `steps` control steps encoded back to back into one
 * command buffer through `sim.gpuAccess().encodeStep`, bracketed by two empty compute passes
 * whose timestamp queries give the GPU time of the round (no upload, no readback, no host work
 * inside the bracket). Each round starts from an untimed full reset; the actions are one random
 * draw written once. Needs a device with `timestamp-query` (the Sim asks for it via `gpuFeatures`).
 */
import type { Sim } from '@gripgen/sim-core';
import { fillRandomActions, mulberry32 } from '../rapier-throughput/random-actions.js';
import { repeatRow, type RoundPolicy, type Rounds, type RoundSample } from '../rounds/repeat.js';

/** A round: `seconds` of GPU time between the timestamps, `work` world-steps. */
export type KernelRound = RoundSample & { steps: number };

/** The reason kernel rows cannot run on `sim`'s device, or null when they can. */
export function kernelUnavailable(sim: Sim): string | null {
  return sim.gpuAccess().device.features.has('timestamp-query') ? null : 'n/a: no timestamp-query';
}

/**
 * Measures the kernel rate of `sim` (reset, webgpu backend, timestamp-query granted). A round's
 * steps aim at minSeconds ÷ minRounds of GPU time from a one-step probe, at most `maxSteps` in
 * one command buffer (enough that timestamp quantization, 100 µs where it applies, stays small).
 * Worlds past their episode length step on (the kernel only flags them truncated).
 */
export async function measureKernel(sim: Sim, policy: RoundPolicy, maxSteps: number): Promise<Rounds<KernelRound>> {
  const access = sim.gpuAccess();
  const { device, numWorlds } = access;
  const actions = fillRandomActions(new Float32Array(numWorlds * access.actionSize), mulberry32(0), sim.spec.actionLimits);
  const querySet = device.createQuerySet({ type: 'timestamp', count: 2 });
  const resolved = device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  const staging = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const timedSteps = async (steps: number): Promise<number> => {
    await sim.reset();
    device.queue.writeBuffer(access.actions, 0, actions);
    const encoder = device.createCommandEncoder();
    encoder.beginComputePass({ timestampWrites: { querySet, beginningOfPassWriteIndex: 0 } }).end();
    for (let i = 0; i < steps; i++) access.encodeStep(encoder);
    encoder.beginComputePass({ timestampWrites: { querySet, endOfPassWriteIndex: 1 } }).end();
    encoder.resolveQuerySet(querySet, 0, 2, resolved, 0);
    encoder.copyBufferToBuffer(resolved, 0, staging, 0, 16);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const [begin, end] = new BigUint64Array(staging.getMappedRange().slice(0));
    staging.unmap();
    const seconds = Number(end! - begin!) / 1e9;
    if (!(seconds > 0)) throw new Error(`the timestamps did not advance over ${steps} step(s) (${begin} → ${end})`);
    return seconds;
  };
  try {
    const probe = await timedSteps(1);
    const steps = Math.max(1, Math.min(maxSteps, Math.round(policy.minSeconds / policy.minRounds / probe)));
    return await repeatRow(async () => ({ seconds: await timedSteps(steps), work: steps * numWorlds, steps }), policy);
  } finally {
    querySet.destroy();
    resolved.destroy();
    staging.destroy();
  }
}
