import type { ScriptedExpert } from '../task.js';
import { PickPlaceExpert } from '../pick-place/expert.js';
import { DISTRACTORS } from './distractors.js';
import { NUM_CLUTTER_PARAMS, P } from './params.js';
import { DISTRACTOR_COLUMNS } from './placement.js';

/** Top (m) of the tallest distractor in play in the world whose parameters are at `offset`; 0 with none. */
export function tallestDistractorTop(params: ArrayLike<number>, offset: number): number {
  const inPlay = params[offset + P.distractorCount];
  let top = 0;
  for (let slot = 0; slot < DISTRACTORS.length && slot < inPlay; slot++) top = Math.max(top, params[offset + DISTRACTOR_COLUMNS[slot].height]);
  return top;
}

/**
 * The scripted expert of pick-place-clutter: pick-place's, told the parameter row's length and
 * that the hand must pass over the tallest distractor in play (the placement keeps every
 * distractor clear of the cube's grasp and of the bin, so the vertical moves meet none).
 */
export function clutterExpert(numWorlds: number, seed: number): ScriptedExpert {
  return new PickPlaceExpert(numWorlds, seed, { paramsPerWorld: NUM_CLUTTER_PARAMS, obstacleTop: tallestDistractorTop });
}
