import { CLUTTER_SPACE, type ClutterRandomization } from './params.js';
import { placeDistractors } from './placement.js';

/**
 * Pick-place-clutter's randomization: parameters, presets (`wide` when an override names none),
 * validation, and the draw — every column uniformly over its range (as every task draws), then
 * the distractors moved apart from the cube, the bin and each other, and those not in play
 * parked (`placeDistractors`). Pure in (seed, episode, world).
 */
export const CLUTTER_RANDOMIZATION = {
  ...CLUTTER_SPACE,
  drawParams(randomization: ClutterRandomization, seed: number, episode: number, world: number, out: Float32Array, offset: number): void {
    CLUTTER_SPACE.drawParams(randomization, seed, episode, world, out, offset);
    placeDistractors(randomization, seed, episode, world, out, offset);
  },
};
