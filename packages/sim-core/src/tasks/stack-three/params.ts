import type { Randomization } from '../../random/randomization.js';
import { randomizationSpace } from '../../random/randomization-space.js';
import { cubeBounds, cubeParamNames, d1Cube, HAND_BOUNDS, HAND_PARAM_NAMES, NARROW_HAND, narrowCube, WIDE_HAND, wideCube } from '../cube-stack/params.js';

/**
 * The per-world randomized parameters of `stack-three`, in column order (the position of a
 * name is also its PRNG parameter id: append new parameters at the end).
 */
export const STACK_THREE_PARAM_NAMES = [...cubeParamNames('A'), ...cubeParamNames('B'), ...cubeParamNames('C'), ...HAND_PARAM_NAMES];

/** Name of a `stack-three` parameter. */
export type StackThreeParamName = (typeof STACK_THREE_PARAM_NAMES)[number];

/** The distribution of every `stack-three` parameter. */
export type StackThreeRandomization = Randomization<StackThreeParamName>;

/**
 * `narrow` (MimicGen's StackThree D0 reset ranges): every cube's xy within ±10 cm of the
 * nominal centre, robosuite's cubes (A and C 4 cm, B 5 cm, density 1000 kg/m³, friction 1),
 * the gripper at a fixed start. The cubes stand square (no yaw), as in pick-place's `narrow`,
 * where MimicGen's StackThree_D0 turns them over the full circle.
 */
export const STACK_THREE_NARROW: StackThreeRandomization = {
  ...narrowCube('A', 0.1, 0.04),
  ...narrowCube('B', 0.1, 0.05),
  ...narrowCube('C', 0.1, 0.04),
  ...NARROW_HAND,
};

/**
 * `wide` (MimicGen's StackThree D1 and more): xy within ±20 cm and yaw over the full circle;
 * A's and C's edges 3–6 cm (grasped by the 8 cm gripper), B's 3–7 cm; masses 0.05–0.5 kg,
 * frictions 0.5–1.2, the gripper's start jittered.
 */
export const STACK_THREE_WIDE: StackThreeRandomization = {
  ...wideCube('A', 0.2, { min: 0.03, max: 0.06 }),
  ...wideCube('B', 0.2, { min: 0.03, max: 0.07 }),
  ...wideCube('C', 0.2, { min: 0.03, max: 0.06 }),
  ...WIDE_HAND,
};

/**
 * `d1` (MimicGen's StackThree D1 as it is, for comparing generation rates with MimicGen's):
 * `narrow`'s cubes and gripper start, xy within ±20 cm and yaw over the full circle.
 */
export const STACK_THREE_D1: StackThreeRandomization = {
  ...d1Cube('A', 0.2, 0.04),
  ...d1Cube('B', 0.2, 0.05),
  ...d1Cube('C', 0.2, 0.04),
  ...NARROW_HAND,
};

/** `stack-three`'s randomization: parameters, presets (`wide` when an override names none), validation and draw. */
export const STACK_THREE_RANDOMIZATION = randomizationSpace({
  names: STACK_THREE_PARAM_NAMES,
  bounds: { ...cubeBounds('A', true), ...cubeBounds('B', false), ...cubeBounds('C', true), ...HAND_BOUNDS },
  presets: { narrow: STACK_THREE_NARROW, d1: STACK_THREE_D1, wide: STACK_THREE_WIDE },
  defaultPreset: 'wide',
});
