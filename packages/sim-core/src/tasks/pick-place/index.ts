import { quatFromYaw } from '../../math/quat.js';
import { formatZodError } from '../../config/errors.js';
import type { Task } from '../task.js';
import { evaluatePickPlace, PICK_PLACE_SIGNALS, rewardPickPlace } from './evaluate.js';
import { observePickPlace, PICK_PLACE_OBS_NAMES } from './observe.js';
import { drawPickPlaceParams, P, PICK_PLACE_PARAM_NAMES, PICK_PLACE_PRESETS, type PickPlaceRandomization } from './params.js';
import { pickPlaceRandomizationSchema, resolvePickPlaceRandomization } from './randomization-schema.js';
import { buildPickPlaceScene, NUM_PICK_PLACE_BODIES } from './scene.js';

/** The `pick-place` task: pick the cube off the table and place it in the bin. */
export const pickPlaceTask: Task<PickPlaceRandomization> = {
  id: 'pick-place',
  paramNames: PICK_PLACE_PARAM_NAMES,
  presets: PICK_PLACE_PRESETS,
  resolveRandomization(input: unknown) {
    const parsed = pickPlaceRandomizationSchema.safeParse(input);
    if (!parsed.success) throw new Error(formatZodError(parsed.error, 'randomization'));
    return resolvePickPlaceRandomization(parsed.data);
  },
  drawParams: drawPickPlaceParams,
  buildScene: (params, offset) => buildPickPlaceScene(params, offset),
  numBodies: NUM_PICK_PLACE_BODIES,
  initialControllerPose(params, offset, out, o) {
    out[o] = params[offset + P.handX];
    out[o + 1] = params[offset + P.handY];
    out[o + 2] = params[offset + P.handZ];
    const q = quatFromYaw([0, 0, 0, 1], params[offset + P.handYaw]);
    for (let i = 0; i < 4; i++) out[o + 3 + i] = q[i];
  },
  signalNames: PICK_PLACE_SIGNALS,
  evaluate: evaluatePickPlace,
  obsNames: PICK_PLACE_OBS_NAMES,
  observe: observePickPlace,
  reward: rewardPickPlace,
};
