import { describe, expect, it } from 'vitest';
import { applyAction, CONTROL_LIMITS, quatYaw, WORKSPACE } from '../src/index.js';

const start = () => Float64Array.from([0.4, 0, 0.2, 0, 0, 0, 1, -1]);

describe('end-effector controller', () => {
  it('moves the target by the delta, clipping each axis to maxDeltaPosition', () => {
    const s = start();
    applyAction('delta', [0.01, -1, 0.5, 0, 0, 0, 0.3], 0, s, 0);
    expect(s[0]).toBeCloseTo(0.41, 12);
    expect(s[1]).toBeCloseTo(-CONTROL_LIMITS.maxDeltaPosition, 12);
    expect(s[2]).toBeCloseTo(0.2 + CONTROL_LIMITS.maxDeltaPosition, 12);
    expect(s[7]).toBeCloseTo(0.3, 6);
  });

  it('clips the rotation vector norm and the gripper command', () => {
    const s = start();
    applyAction('delta', [0, 0, 0, 0, 0, 3, 7], 0, s, 0);
    expect(quatYaw([s[3], s[4], s[5], s[6]])).toBeCloseTo(CONTROL_LIMITS.maxDeltaRotation, 9);
    expect(s[7]).toBe(1);
  });

  it('keeps the target inside the workspace', () => {
    const s = start();
    for (let i = 0; i < 50; i++) applyAction('delta', [0, 0, -1, 0, 0, 0, 0], 0, s, 0);
    expect(s[2]).toBe(WORKSPACE.min[2]);
  });

  it('absolute mode approaches the target pose within the per-step limits', () => {
    const s = start();
    applyAction('absolute', [0.5, 0, 0.2, 0, 0, 0.1, -1], 0, s, 0);
    expect(s[0]).toBeCloseTo(0.4 + CONTROL_LIMITS.maxDeltaPosition, 12);
    expect(quatYaw([s[3], s[4], s[5], s[6]])).toBeCloseTo(0.1, 9);
    for (let i = 0; i < 10; i++) applyAction('absolute', [0.5, 0, 0.2, 0, 0, 0.1, -1], 0, s, 0);
    expect(s[0]).toBeCloseTo(0.5, 12);
  });
});
