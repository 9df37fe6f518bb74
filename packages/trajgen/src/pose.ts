/**
 * Rigid poses `[x, y, z, qx, qy, qz, qw]` (7 numbers; unit quaternion, rotation applied before
 * the translation) and the pose maths of MimicGen's generation: composition, inversion,
 * the object-relative segment transform and linear/spherical interpolation.
 */
import { quatAngleBetween, quatFromRotationVector, quatMultiply, quatNormalize, quatRotate, quatToRotationVector } from '@gripgen/sim-core';

/** A pose: position then quaternion. */
export type Pose = Float64Array;

/** A new pose from position and quaternion (identity rotation when omitted). */
export function pose(x = 0, y = 0, z = 0, qx = 0, qy = 0, qz = 0, qw = 1): Pose {
  return Float64Array.of(x, y, z, qx, qy, qz, qw);
}

/** Copies 7 numbers at `offset` of `src` into a new pose. */
export function poseFrom(src: ArrayLike<number>, offset = 0): Pose {
  const p = new Float64Array(7);
  for (let i = 0; i < 7; i++) p[i] = src[offset + i];
  return p;
}

/** dst = a · b: b expressed in a's frame, mapped to the world (apply b, then a). */
export function poseMultiply(dst: Pose, a: ArrayLike<number>, b: ArrayLike<number>): Pose {
  const qa = [a[3], a[4], a[5], a[6]];
  const qb = [b[3], b[4], b[5], b[6]];
  const t = quatRotate([0, 0, 0], qa, [b[0], b[1], b[2]]);
  const q = quatNormalize([0, 0, 0, 1], quatMultiply([0, 0, 0, 1], qa, qb));
  dst[0] = a[0] + t[0];
  dst[1] = a[1] + t[1];
  dst[2] = a[2] + t[2];
  for (let i = 0; i < 4; i++) dst[3 + i] = q[i];
  return dst;
}

/** dst = a⁻¹. */
export function poseInverse(dst: Pose, a: ArrayLike<number>): Pose {
  const qi = [-a[3], -a[4], -a[5], a[6]];
  const t = quatRotate([0, 0, 0], qi, [a[0], a[1], a[2]]);
  dst[0] = -t[0];
  dst[1] = -t[1];
  dst[2] = -t[2];
  for (let i = 0; i < 4; i++) dst[3 + i] = qi[i];
  return dst;
}

/**
 * MimicGen's segment transform: each source pose T_src, recorded while the reference object
 * was at T_obj_src, becomes T_obj_now · T_obj_src⁻¹ · T_src, the same pose relative to the
 * object where the object is now.
 */
export function transformSegment(poses: readonly Pose[], objectNow: ArrayLike<number>, objectSrc: ArrayLike<number>): Pose[] {
  const delta = poseMultiply(new Float64Array(7), objectNow, poseInverse(new Float64Array(7), objectSrc));
  return poses.map((p) => poseMultiply(new Float64Array(7), delta, p));
}

/**
 * MimicGen's `interpolate_poses`: `numSteps + 2` poses from `a` to `b` inclusive, positions
 * linear and rotations along the shortest arc at constant angular rate (axis-angle).
 */
export function interpolatePoses(a: ArrayLike<number>, b: ArrayLike<number>, numSteps: number): Pose[] {
  const qa = [a[3], a[4], a[5], a[6]];
  const qb = [b[3], b[4], b[5], b[6]];
  // Relative rotation a → b, on the shortest arc.
  const rel = quatMultiply([0, 0, 0, 1], qb, [-qa[0], -qa[1], -qa[2], qa[3]]);
  if (rel[3] < 0) for (let i = 0; i < 4; i++) rel[i] = -rel[i];
  const rv = quatToRotationVector([0, 0, 0], rel);
  const out: Pose[] = [];
  const n = numSteps + 1;
  for (let k = 0; k <= n; k++) {
    const f = k / n;
    const q = quatNormalize([0, 0, 0, 1], quatMultiply([0, 0, 0, 1], quatFromRotationVector([0, 0, 0, 1], [rv[0] * f, rv[1] * f, rv[2] * f]), qa));
    const p = new Float64Array(7);
    for (let i = 0; i < 3; i++) p[i] = a[i] + (b[i] - a[i]) * f;
    for (let i = 0; i < 4; i++) p[3 + i] = q[i];
    out.push(p);
  }
  // Land exactly on the end points.
  out[0] = poseFrom(a);
  out[n] = poseFrom(b);
  return out;
}

/** Distance between positions (m) and angle between orientations (rad). */
export function poseDistance(a: ArrayLike<number>, b: ArrayLike<number>): { position: number; angle: number } {
  return {
    position: Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]),
    angle: quatAngleBetween([a[3], a[4], a[5], a[6]], [b[3], b[4], b[5], b[6]]),
  };
}

/**
 * The delta action (world-frame position change, world-frame rotation vector) that takes the
 * controller target from `current` to `target`, written into `out[offset … offset + 5]`.
 */
export function poseDeltaAction(out: Float32Array | Float64Array, offset: number, current: ArrayLike<number>, target: ArrayLike<number>): void {
  for (let i = 0; i < 3; i++) out[offset + i] = target[i] - current[i];
  // Called per world and step: scratch arrays instead of allocations.
  const { qa, qb, rel, rv } = DELTA_SCRATCH;
  for (let i = 0; i < 4; i++) qb[i] = target[3 + i];
  qa[0] = -current[3];
  qa[1] = -current[4];
  qa[2] = -current[5];
  qa[3] = current[6];
  quatMultiply(rel, qb, qa);
  if (rel[3] < 0) for (let i = 0; i < 4; i++) rel[i] = -rel[i];
  quatToRotationVector(rv, rel);
  for (let i = 0; i < 3; i++) out[offset + 3 + i] = rv[i];
}

const DELTA_SCRATCH = { qa: [0, 0, 0, 1], qb: [0, 0, 0, 1], rel: [0, 0, 0, 1], rv: [0, 0, 0] };
