import { PICK_PLACE_OBS_NAMES } from '@gripgen/sim-core';
import type { DatagenTask } from './datagen-task.js';

const at = (name: (typeof PICK_PLACE_OBS_NAMES)[number]) => PICK_PLACE_OBS_NAMES.indexOf(name);
const EE = at('ee_pos_x');
const CUBE = at('cube_pos_x');
const BIN = at('bin_pos_x');

function copy7(obs: ArrayLike<number>, from: number, out: Float64Array | Float32Array, o: number): void {
  for (let i = 0; i < 7; i++) out[o + i] = obs[from + i];
}

/**
 * Pick-place for generation: subtask "grasp" (relative to the cube, ends when the cube is
 * grasped) and "place" (relative to the bin, to the end). The bin is not rotated by the
 * randomization, so its pose is its position with the identity orientation.
 */
export const PICK_PLACE_DATAGEN: DatagenTask = {
  taskId: 'pick-place',
  subtasks: [
    { name: 'grasp', object: 'cube', endSignal: 'isGrasped' },
    { name: 'place', object: 'bin', endSignal: null },
  ],
  objects: ['cube', 'bin'],
  eefPose(obs, o, out, outOffset = 0) {
    copy7(obs, o + EE, out, outOffset);
  },
  objectPose(name, obs, o, out, outOffset = 0) {
    if (name === 'cube') return copy7(obs, o + CUBE, out, outOffset);
    if (name === 'bin') {
      for (let i = 0; i < 3; i++) out[outOffset + i] = obs[o + BIN + i];
      out[outOffset + 3] = out[outOffset + 4] = out[outOffset + 5] = 0;
      out[outOffset + 6] = 1;
      return;
    }
    throw new Error(`pick-place has no object "${name}" (objects: cube, bin)`);
  },
};
