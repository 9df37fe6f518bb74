import { BODY_STATE_SIZE } from '../../scene/scene-desc.js';
import type { WorldView } from '../task.js';
import { P } from './params.js';
import { BODY } from './scene.js';

/** Names of the pick-place observation entries (21 floats). */
export const PICK_PLACE_OBS_NAMES = [
  'ee_pos_x', 'ee_pos_y', 'ee_pos_z',
  'ee_quat_x', 'ee_quat_y', 'ee_quat_z', 'ee_quat_w',
  'gripper_opening',
  'cube_pos_x', 'cube_pos_y', 'cube_pos_z',
  'cube_quat_x', 'cube_quat_y', 'cube_quat_z', 'cube_quat_w',
  'cube_to_ee_x', 'cube_to_ee_y', 'cube_to_ee_z',
  'bin_pos_x', 'bin_pos_y', 'bin_pos_z',
] as const;

/** Writes the observation: end effector pose, gripper opening (m), cube pose, cube − ee, bin position. */
export function observePickPlace(view: WorldView, out: Float32Array, o: number): void {
  const b = view.bodies;
  const h = view.bodiesOffset + BODY.hand * BODY_STATE_SIZE;
  const c = view.bodiesOffset + BODY.cube * BODY_STATE_SIZE;
  for (let i = 0; i < 7; i++) out[o + i] = b[h + i];
  out[o + 7] = view.jointTravel[0] + view.jointTravel[1];
  for (let i = 0; i < 7; i++) out[o + 8 + i] = b[c + i];
  for (let i = 0; i < 3; i++) out[o + 15 + i] = b[c + i] - b[h + i];
  out[o + 18] = view.params[view.paramsOffset + P.binX];
  out[o + 19] = view.params[view.paramsOffset + P.binY];
  out[o + 20] = 0;
}
