import { BODY_STATE_SIZE } from '../../scene/scene-desc.js';
import type { WorldView } from '../task.js';
import { observePickPlace, PICK_PLACE_OBS_NAMES } from '../pick-place/observe.js';
import { DISTRACTORS } from './distractors.js';
import { distractorBody } from './scene.js';

/**
 * Names of the pick-place-clutter observation entries: pick-place's (end effector, gripper
 * opening, cube, cube − ee, bin), then each distractor's pose `o_pos_{x,y,z}`,
 * `o_quat_{x,y,z,w}` in slot order — parked ones too, where they rest.
 */
export const CLUTTER_OBS_NAMES: readonly string[] = [
  ...PICK_PLACE_OBS_NAMES,
  ...DISTRACTORS.flatMap((d) => ['pos_x', 'pos_y', 'pos_z', 'quat_x', 'quat_y', 'quat_z', 'quat_w'].map((e) => `${d.name}_${e}`)),
];

/** Writes the observation: pick-place's, then every distractor's position and orientation. */
export function observeClutter(view: WorldView, out: Float32Array, o: number): void {
  observePickPlace(view, out, o);
  let k = o + PICK_PLACE_OBS_NAMES.length;
  for (let slot = 0; slot < DISTRACTORS.length; slot++) {
    const b = view.bodiesOffset + distractorBody(slot) * BODY_STATE_SIZE;
    for (let i = 0; i < 7; i++) out[k++] = view.bodies[b + i];
  }
}
