import { BODY_STATE_SIZE } from '../../scene/scene-desc.js';
import type { EvaluationOut, WorldView } from '../task.js';
import { PICK_PLACE_GEOMETRY as G } from './geometry.js';
import { P } from './params.js';
import { BODY } from './scene.js';

/** Sub-signals of pick-place, in the order of the signal table. */
export const PICK_PLACE_SIGNALS = ['success', 'isGrasped', 'isLifted', 'objectInBin', 'isAtRest'] as const;

/** Column of each sub-signal. */
export const SIGNAL = { success: 0, isGrasped: 1, isLifted: 2, objectInBin: 3, isAtRest: 4 } as const;

/** Thresholds of the success test. */
export const SUCCESS_THRESHOLDS = {
  /** Cube bottom this far above the table counts as lifted (m). */
  liftHeight: 0.02,
  /** At rest below these speeds (m/s, rad/s). */
  maxRestSpeed: 0.02,
  maxRestAngularSpeed: 0.5,
} as const;

/**
 * Pick-place success: the cube's centre lies inside the bin's inner footprint and below
 * its rim, the cube is at rest, and it is not held (not pinched by both fingers).
 */
export function evaluatePickPlace(view: WorldView, out: EvaluationOut): boolean {
  const b = view.bodies;
  const c = view.bodiesOffset + BODY.cube * BODY_STATE_SIZE;
  const edge = view.params[view.paramsOffset + P.cubeEdge];
  const binX = view.params[view.paramsOffset + P.binX];
  const binY = view.params[view.paramsOffset + P.binY];

  const isGrasped = view.contacts[view.contactsOffset] === 1 && view.contacts[view.contactsOffset + 1] === 1;
  const isLifted = b[c + 2] - edge / 2 > SUCCESS_THRESHOLDS.liftHeight;
  const inside = G.binInnerHalfSize;
  const objectInBin = Math.abs(b[c] - binX) < inside && Math.abs(b[c + 1] - binY) < inside && b[c + 2] < G.binRimHeight;
  const speed = Math.hypot(b[c + 7], b[c + 8], b[c + 9]);
  const spin = Math.hypot(b[c + 10], b[c + 11], b[c + 12]);
  const isAtRest = speed < SUCCESS_THRESHOLDS.maxRestSpeed && spin < SUCCESS_THRESHOLDS.maxRestAngularSpeed;
  const success = objectInBin && isAtRest && !isGrasped;

  const s = out.signals;
  const o = out.signalsOffset;
  s[o + SIGNAL.success] = success ? 1 : 0;
  s[o + SIGNAL.isGrasped] = isGrasped ? 1 : 0;
  s[o + SIGNAL.isLifted] = isLifted ? 1 : 0;
  s[o + SIGNAL.objectInBin] = objectInBin ? 1 : 0;
  s[o + SIGNAL.isAtRest] = isAtRest ? 1 : 0;
  return success;
}

/**
 * Staged dense reward in [0, 5] (ManiSkill PickCube style): reach the cube, grasp it,
 * carry it over the bin, and 5 on success.
 */
export function rewardPickPlace(view: WorldView, signals: Uint8Array, o: number): number {
  if (signals[o + SIGNAL.success]) return 5;
  const b = view.bodies;
  const c = view.bodiesOffset + BODY.cube * BODY_STATE_SIZE;
  const h = view.bodiesOffset + BODY.hand * BODY_STATE_SIZE;
  const reach = Math.hypot(b[c] - b[h], b[c + 1] - b[h + 1], b[c + 2] - b[h + 2]);
  let reward = 1 - Math.tanh(5 * reach);
  if (signals[o + SIGNAL.isGrasped]) {
    const binX = view.params[view.paramsOffset + P.binX];
    const binY = view.params[view.paramsOffset + P.binY];
    reward += 1 + 2 * (1 - Math.tanh(5 * Math.hypot(b[c] - binX, b[c + 1] - binY)));
  } else if (signals[o + SIGNAL.objectInBin]) {
    reward += 3;
  }
  return reward;
}
