/**
 * An object that leaves the workspace ends its world's episode as a failure with a reason, not
 * a fault, on rapier, mujoco and pick-place's own WebGPU kernel (the scene solver: in
 * object-workspace-scene-solver.test.ts, whose shader takes long to compile on SwiftShader).
 */
import { describe, it } from 'vitest';
import { checkObjectLeavingWorkspace } from './object-workspace-case.js';

describe('an object that leaves the workspace', () => {
  it('rapier: ends the episode outside, then below the table; other worlds unchanged', () => checkObjectLeavingWorkspace({ backend: 'rapier' }, true));
  it('mujoco: ends the episode outside, then below the table; other worlds unchanged', () => checkObjectLeavingWorkspace({ backend: 'mujoco' }, true));
  it("webgpu (pick-place's kernel, whose table is the plane z = 0): ends the episode outside the table; other worlds unchanged", () =>
    checkObjectLeavingWorkspace({ backend: 'webgpu' }, false), 120_000);
});
