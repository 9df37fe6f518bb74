import type { Task } from '../task.js';
import { pickPlaceTask } from '../pick-place/index.js';
import { evaluatePickPlace, PICK_PLACE_SIGNALS, rewardPickPlace } from '../pick-place/evaluate.js';
import { clutterExpert } from './expert.js';
import { CLUTTER_OBS_NAMES, observeClutter } from './observe.js';
import type { ClutterRandomization } from './params.js';
import { CLUTTER_RANDOMIZATION } from './randomization.js';
import { buildClutterScene, NUM_CLUTTER_BODIES } from './scene.js';

/**
 * The `pick-place-clutter` task: pick-place's cube into the bin among 3–8 distractors — boxes
 * and upright cylinders of varied sizes — on the table. Every world has the same bodies: eight
 * distractor slots, those not in play parked on the table out of the robot's reach. Its
 * parameter and observation rows start with pick-place's, so success, sub-signals, reward, the
 * gripper's start and the expert are pick-place's.
 */
export const pickPlaceClutterTask: Task<ClutterRandomization> = {
  id: 'pick-place-clutter',
  description: 'pick the cube off a table cluttered with 3–8 boxes and cylinders and place it in the bin',
  agent: 'parallel-gripper',
  ...CLUTTER_RANDOMIZATION,
  demoPreset: 'narrow',
  buildScene: (params, offset) => buildClutterScene(params, offset),
  numBodies: NUM_CLUTTER_BODIES,
  initialControllerPose: pickPlaceTask.initialControllerPose,
  signalNames: PICK_PLACE_SIGNALS,
  evaluate: evaluatePickPlace,
  obsNames: CLUTTER_OBS_NAMES,
  observe: observeClutter,
  reward: rewardPickPlace,
  // Parked distractors rest on the table out of the gripper's reach: still inside.
  objectWorkspace: pickPlaceTask.objectWorkspace,
  expert: clutterExpert,
  // Pick-place's subtasks: grasp relative to the cube, place relative to the bin.
  datagen: pickPlaceTask.datagen,
};
