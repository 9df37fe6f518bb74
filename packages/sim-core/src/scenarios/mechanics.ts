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

/** Coulomb friction coefficient of a cube–pad contact (the pads ask for `max`). */
export function cubePadFriction(cubeFriction: number): number {
  return Math.max(cubeFriction, G.fingerFriction);
}

/**
 * A cube of edge e pushed horizontally on a face at height h by a pusher with friction μp
 * tips about its leading bottom edge before it slides iff the push can reach an N with
 * N·(h − μp·e) > m·g·e/2 while the table still holds, N ≤ μt·(m·g + μp·N): the pusher's
 * friction drags down on the rising face. With μp ≥ h/e no push tips it.
 */
export function pushTips(edge: number, height: number, padFriction: number, tableFriction: number): boolean {
  const lever = height - padFriction * edge;
  if (lever <= 0) return false;
  // Largest push before sliding, per unit weight: N ≤ μt / (1 − μt·μp).
  const slideLimit = tableFriction * padFriction >= 1 ? Infinity : tableFriction / (1 - tableFriction * padFriction);
  return slideLimit * lever > edge / 2;
}

/**
 * Quasi-static pushing (Lynch & Mason's ellipsoidal limit surface, sticking contact): a cube of
 * edge e on a uniform-pressure support, pushed at a point of its face a distance `lever` from
 * the line through its centre, turns by dθ/ds = lever / (c² + e²/4 + lever²) per metre of
 * pusher travel, where c = m_max / f_max = 0.3826·e for a square base (the mean distance of its
 * points from its centre). Returns that rate (rad/m), signed as `lever`.
 */
export function pushTurnRate(edge: number, lever: number): number {
  const c = 0.3826 * edge;
  return lever / (c * c + (edge * edge) / 4 + lever * lever);
}

/**
 * A pinch grasp carries a load L along the pads' plane while L < 2μF (two pads, each with normal
 * force F and friction μ).
 */
export function pinchLoadLimit(padFriction: number, gripForce: number): number {
  return 2 * padFriction * gripForce;
}

/**
 * One-dimensional Coulomb stick–slip of an object pinched with friction capacity `capacity`
 * (N, = 2μF) by a hand moving vertically. The hand's velocity is constant within each control
 * step, as the engines move a kinematic hand between the controller's targets (`handHeights`
 * are its heights at the ends of the control steps, starting with the initial one), so it jumps
 * at each step's start: the object then slides, with the capacity's force, until it moves with
 * the hand again (by Δv²/2(capacity/m ∓ g) per jump). Integrated in `resolution` small steps
 * per control step, the object sticking in one whenever the force that keeps it with the hand,
 * m·Δv/h + m·g, is within the capacity. Returns the object's height relative to the hand after
 * each control step, minus the initial one (negative: slipped down).
 */
export function stickSlipOffsets(handHeights: readonly number[], mass: number, capacity: number, controlDt: number, resolution = 1000): number[] {
  const h = controlDt / resolution;
  let objectVelocity = 0;
  let offset = 0;
  const out: number[] = [];
  for (let k = 1; k < handHeights.length; k++) {
    const handVelocity = (handHeights[k] - handHeights[k - 1]) / controlDt;
    for (let s = 0; s < resolution; s++) {
      const needed = (mass * (handVelocity - objectVelocity)) / h + mass * GRAVITY;
      const force = Math.abs(needed) <= capacity ? needed : Math.sign(needed) * capacity;
      objectVelocity += (force / mass - GRAVITY) * h;
      offset += (objectVelocity - handVelocity) * h;
    }
    out.push(offset);
  }
  return out;
}
