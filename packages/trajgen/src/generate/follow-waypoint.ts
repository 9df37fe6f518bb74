/**
 * One step of MimicGen's waypoint follower: the delta action that moves the controller from
 * the end-effector pose now toward a waypoint, in MimicGen's normalized [-1, 1] convention
 * with Gaussian noise added, clipped, and scaled back to physical units. The host loop of
 * generation calls it per world and step; the GPU follower (`gpu/follower-wgsl.ts`) is its
 * WGSL twin, tested against it.
 */
import { CONTROL_LIMITS } from '@gripgen/sim-core';
import { poseDeltaAction } from '../pose.js';
import { randomNormal, STREAM } from '../random-stream.js';

const scratch = new Float64Array(6);

/**
 * Writes the 7-number action (position delta, rotation vector, gripper) that follows waypoint
 * `target` (pose) with gripper command `gripper` from end-effector pose `eef` into
 * `out[offset … offset + 6]`. Noise of std `noise` is drawn for step `t` of attempt `attempt`
 * (stream `STREAM.noise`, indices `6t … 6t + 5`), so it depends on (seed, attempt, t) only.
 */
export function followWaypoint(
  out: Float32Array,
  offset: number,
  eef: ArrayLike<number>,
  target: ArrayLike<number>,
  gripper: number,
  noise: number,
  seed: number,
  attempt: number,
  t: number,
): void {
  poseDeltaAction(scratch, 0, eef, target);
  for (let i = 0; i < 6; i++) {
    const scale = i < 3 ? CONTROL_LIMITS.maxDeltaPosition : CONTROL_LIMITS.maxDeltaRotation;
    let a = scratch[i] / scale;
    if (noise > 0) a += noise * randomNormal(seed, attempt, STREAM.noise, t * 6 + i);
    out[offset + i] = Math.max(-1, Math.min(1, a)) * scale;
  }
  out[offset + 6] = gripper;
}
