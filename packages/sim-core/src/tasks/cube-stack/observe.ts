import type { WorldView } from '../task.js';
import { bodyOffset } from './cube-geometry.js';
import { CUBE_STACK_BODY as BODY, type CubeStackLayout } from './layout.js';

const AXES = ['x', 'y', 'z'] as const;

/**
 * Observation names of a stacking task (robosuite's Stack observables): the end effector
 * (`ee_pos_*`, `ee_quat_*`), `gripper_opening`; for each cube L `cubeL_pos_*`, `cubeL_quat_*`
 * and `cubeL_to_ee_*` (the cube's position minus the end effector's); for each placement of X
 * onto Y `cubeX_to_cubeY_*` (X's position minus Y's).
 */
export function cubeStackObsNames(layout: CubeStackLayout): string[] {
  const names = ['ee_pos_x', 'ee_pos_y', 'ee_pos_z', 'ee_quat_x', 'ee_quat_y', 'ee_quat_z', 'ee_quat_w', 'gripper_opening'];
  for (const letter of layout.spec.cubes) {
    const cube = `cube${letter}`;
    names.push(...AXES.map((a) => `${cube}_pos_${a}`), ...['x', 'y', 'z', 'w'].map((a) => `${cube}_quat_${a}`), ...AXES.map((a) => `${cube}_to_ee_${a}`));
  }
  for (const { pick, onto } of layout.spec.plan) names.push(...AXES.map((a) => `cube${pick}_to_cube${onto}_${a}`));
  return names;
}

/** Writes a stacking task's observation (the entries `cubeStackObsNames` lists) at `o`. */
export function observeCubeStack(layout: CubeStackLayout, view: WorldView, out: Float32Array, o: number): void {
  const b = view.bodies;
  const h = bodyOffset(view.bodiesOffset, BODY.hand);
  for (let i = 0; i < 7; i++) out[o + i] = b[h + i];
  out[o + 7] = view.jointTravel[0] + view.jointTravel[1];
  let at = o + 8;
  for (let k = 0; k < layout.spec.cubes.length; k++) {
    const c = bodyOffset(view.bodiesOffset, BODY.firstCube + k);
    for (let i = 0; i < 7; i++) out[at + i] = b[c + i];
    for (let i = 0; i < 3; i++) out[at + 7 + i] = b[c + i] - b[h + i];
    at += 10;
  }
  for (const { pick, onto } of layout.steps) {
    const c = bodyOffset(view.bodiesOffset, BODY.firstCube + pick);
    const u = bodyOffset(view.bodiesOffset, BODY.firstCube + onto);
    for (let i = 0; i < 3; i++) out[at + i] = b[c + i] - b[u + i];
    at += 3;
  }
}
