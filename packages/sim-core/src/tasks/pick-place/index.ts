import { quatFromYaw } from '../../math/quat.js';
import type { Task } from '../task.js';
import { evaluatePickPlace, PICK_PLACE_SIGNALS, rewardPickPlace } from './evaluate.js';
import { PickPlaceExpert } from './expert.js';
import { PICK_PLACE_GPU_EXPERT } from './expert-wgsl.js';
import { PICK_PLACE_GPU } from './gpu.js';
import { observePickPlace, PICK_PLACE_OBS_NAMES } from './observe.js';
import { P, PICK_PLACE_RANDOMIZATION, type PickPlaceRandomization } from './params.js';
import { buildPickPlaceScene, NUM_PICK_PLACE_BODIES } from './scene.js';
import { OBJECT_WORKSPACE } from './geometry.js';

/** The `pick-place` task: pick the cube off the table and place it in the bin. */
export const pickPlaceTask: Task<PickPlaceRandomization> = {
  id: 'pick-place',
  description: 'pick the cube off the table and place it in the bin',
  agent: 'parallel-gripper',
  ...PICK_PLACE_RANDOMIZATION,
  demoPreset: 'narrow',
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
  objectWorkspace: OBJECT_WORKSPACE,
  expert: (numWorlds, seed) => new PickPlaceExpert(numWorlds, seed),
  gpuExpert: PICK_PLACE_GPU_EXPERT,
  // MimicGen's subtasks: grasp relative to the cube (ends when both pads pinch it), then place
  // relative to the bin (to the end). The bin does not turn: its pose is its position.
  datagen: {
    subtasks: [
      { name: 'grasp', object: 'cube', endSignal: 'isGrasped' },
      { name: 'place', object: 'bin', endSignal: null },
    ],
    objects: ['cube', 'bin'],
  },
  gpu: PICK_PLACE_GPU,
};
