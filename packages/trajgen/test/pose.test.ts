import { describe, expect, it } from 'vitest';
import { interpolatePoses, pose, poseDeltaAction, poseInverse, poseMultiply, transformSegment } from '../src/pose.js';

const s = Math.SQRT1_2;
/** Rotation of 90° about z. */
const rz90 = [0, 0, s, s] as const;

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12) {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(tol);
}

describe('pose maths', () => {
  it('composes and inverts as hand-computed', () => {
    const a = pose(1, 2, 3, ...rz90);
    const b = pose(1, 0, 0);
    // b's origin, 1 m along a's x axis, which points along world y.
    close(poseMultiply(new Float64Array(7), a, b), [1, 3, 3, ...rz90]);
    const inv = poseInverse(new Float64Array(7), a);
    // a⁻¹ maps a's origin to zero: Rᵀ(−t) with R = rot_z(90°): (−2, 1, −3).
    close(inv, [-2, 1, -3, 0, 0, -s, s]);
    close(poseMultiply(new Float64Array(7), a, inv), [0, 0, 0, 0, 0, 0, 1]);
  });

  it('moves a source segment with its object: T_obj_now · T_obj_src⁻¹ · T_src', () => {
    // In the source the object sat at the origin and the gripper 10 cm above +x of it.
    const objectSrc = pose(0, 0, 0);
    const src = [pose(0.1, 0, 0.1), pose(0.1, 0, 0.05)];
    // Now the object is at (0.5, 0.2, 0) turned 90° about z: the gripper follows to +y of it, turned too.
    const out = transformSegment(src, pose(0.5, 0.2, 0, ...rz90), objectSrc);
    close(out[0], [0.5, 0.3, 0.1, ...rz90]);
    close(out[1], [0.5, 0.3, 0.05, ...rz90]);
    // An unmoved object leaves the segment as it was.
    close(transformSegment(src, objectSrc, objectSrc)[1], src[1]);
  });

  it('interpolates numSteps + 2 poses, linear in position and at constant rate in angle', () => {
    const a = pose(0, 0, 0);
    const b = pose(0.3, -0.6, 0.9, ...rz90);
    const path = interpolatePoses(a, b, 2);
    expect(path).toHaveLength(4);
    close(path[0], a);
    close(path[3], b);
    // One third of the way: 30° about z.
    const c = Math.cos(Math.PI / 12), sn = Math.sin(Math.PI / 12);
    close(path[1], [0.1, -0.2, 0.3, 0, 0, sn, c]);
    // The shortest arc is taken even when b's quaternion has the other sign.
    const flipped = interpolatePoses(a, pose(0, 0, 0, 0, 0, -s, -s), 2);
    close(flipped[1], [0, 0, 0, 0, 0, sn, c]);
  });

  it('gives the world-frame delta action from one pose to another', () => {
    const out = new Float64Array(6);
    poseDeltaAction(out, 0, pose(0.1, 0.2, 0.3, ...rz90), pose(0.15, 0.2, 0.25, 0, 0, 1, 0));
    // From 90° to 180° about z: +90° about z.
    close(out, [0.05, 0, -0.05, 0, 0, Math.PI / 2], 1e-12);
  });
});
