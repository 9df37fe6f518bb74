import type { Randomization } from '../../random/randomization.js';
import { randomizationSpace } from '../../random/randomization-space.js';
import { cubeBounds, cubeParamNames, d1Cube, HAND_BOUNDS, HAND_PARAM_NAMES, NARROW_HAND, narrowCube, WIDE_HAND, wideCube } from '../cube-stack/params.js';

/**
 * The per-world randomized parameters of `stack`, in column order (the position of a name is
 * also its PRNG parameter id: append new parameters at the end).
 */
export const STACK_PARAM_NAMES = [...cubeParamNames('A'), ...cubeParamNames('B'), ...HAND_PARAM_NAMES];

/** Name of a `stack` parameter. */
export type StackParamName = (typeof STACK_PARAM_NAMES)[number];

/** The distribution of every `stack` parameter. */
export type StackRandomization = Randomization<StackParamName>;

/**
 * `narrow` (MimicGen's Stack D0 reset ranges): both cubes' xy within ±8 cm of the nominal
 * centre, robosuite's cubes (A 4 cm, B 5 cm, density 1000 kg/m³, friction 1), the gripper at a
 * fixed start. The cubes stand square (no yaw), as in pick-place's `narrow`, where MimicGen's
 * Stack_D0 turns them over the full circle.
 */
export const STACK_NARROW: StackRandomization = {
  ...narrowCube('A', 0.08, 0.04),
  ...narrowCube('B', 0.08, 0.05),
  ...NARROW_HAND,
};

/**
 * `wide` (MimicGen's Stack D1 and more): xy within ±20 cm and yaw over the full circle; A's
 * edge 3–6 cm (the 8 cm gripper keeps ≥ 1 cm per side), B's 3–7 cm (B may be larger than A);
 * masses 0.05–0.5 kg, frictions 0.5–1.2, the gripper's start jittered.
 */
export const STACK_WIDE: StackRandomization = {
  ...wideCube('A', 0.2, { min: 0.03, max: 0.06 }),
  ...wideCube('B', 0.2, { min: 0.03, max: 0.07 }),
  ...WIDE_HAND,
};

/**
 * `d1` (MimicGen's Stack D1 as it is, for comparing generation rates with MimicGen's): `narrow`'s
 * cubes and gripper start, xy within ±20 cm and yaw over the full circle.
 */
export const STACK_D1: StackRandomization = {
  ...d1Cube('A', 0.2, 0.04),
  ...d1Cube('B', 0.2, 0.05),
  ...NARROW_HAND,
};

/** `stack`'s randomization: parameters, presets (`wide` when an override names none), validation and draw. */
export const STACK_RANDOMIZATION = randomizationSpace({
  names: STACK_PARAM_NAMES,
  bounds: { ...cubeBounds('A', true), ...cubeBounds('B', false), ...HAND_BOUNDS },
  presets: { narrow: STACK_NARROW, d1: STACK_D1, wide: STACK_WIDE },
  defaultPreset: 'wide',
});
