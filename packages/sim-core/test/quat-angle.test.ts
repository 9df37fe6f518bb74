import { describe, expect, it } from 'vitest';
import { quatAngleBetween, quatFromRotationVector } from '../src/math/quat.js';

describe('quatAngleBetween', () => {
  it('is the rotation angle between two orientations, whatever the quaternions\' signs', () => {
    for (const angle of [0.001, 0.3, 1, 2.5, Math.PI - 0.01]) {
      const a = quatFromRotationVector([0, 0, 0, 1], [0.2, -0.4, 0.1]);
      const axis = [0.6, 0, 0.8];
      const r = quatFromRotationVector([0, 0, 0, 1], axis.map((v) => v * angle));
      // b = r·a
      const b = [
        r[3] * a[0] + r[0] * a[3] + r[1] * a[2] - r[2] * a[1],
        r[3] * a[1] - r[0] * a[2] + r[1] * a[3] + r[2] * a[0],
        r[3] * a[2] + r[0] * a[1] - r[1] * a[0] + r[2] * a[3],
        r[3] * a[3] - r[0] * a[0] - r[1] * a[1] - r[2] * a[2],
      ];
      expect(quatAngleBetween(a, b)).toBeCloseTo(angle, 9);
      expect(quatAngleBetween(a, b.map((v) => -v))).toBeCloseTo(angle, 9);
    }
  });

  it('is exactly 0 for equal float32 quaternions whose norm is off by round-off', () => {
    const q = Float32Array.from([0.1, 0.7, -0.3, 0.64]);
    const n = Math.hypot(...q);
    const unit = q.map((v) => v / n);
    expect(quatAngleBetween(unit, unit)).toBe(0);
  });
});
