/**
 * The formulas the physical scenarios are checked against: textbook mechanics, written out
 * so that no expected value comes from an engine's output.
 */
import { PICK_PLACE_GEOMETRY as G } from '../tasks/pick-place/geometry.js';

/** Standard gravity (m/s²), as every backend uses it. */
export const GRAVITY = 9.81;

/**
 * Coulomb friction coefficient of a cube–table contact under the scenes' combine rule
 * (the average of the two shapes' coefficients; neither asks for `max`).
 */
export function cubeTableFriction(cubeFriction: number): number {
  return 0.5 * (cubeFriction + G.tableFriction);
}

/** A block sliding on a plane with speed v decelerates at μg and stops after v² / (2μg). */
export function slideStopDistance(speed: number, friction: number): number {
  return (speed * speed) / (2 * friction * GRAVITY);
}

/**
 * Squeeze force (N) each pad of a closed gripper exerts on a held object: the actuator's
 * force limit per finger (agents/parallel-gripper), reached once the fingers stop on the
 * object short of the commanded travel by more than F / k.
 */
export const GRIP_FORCE = G.fingerMaxForce;
