import { PARALLEL_GRIPPER as G } from './geometry.js';

/**
 * The parallel gripper's actuation, shared by every backend.
 *
 * One actuator drives the mean finger travel ū = (s_L + s_R) / 2 toward the commanded travel
 * with a position servo (stiffness k, damping c) whose force per finger is limited to F
 * (`fingerMaxForce`); a rack couples the two travels so they stay symmetric. In joint space,
 * per finger i (positive = opening):
 *
 *   f_i = k·(T − s_i) − c·ṡ_i,  T = clamp(T_cmd, ū − F/k, ū + F/k)
 *       = [k·(T − ū) − c·dū/dt]  +  [k·(ū − s_i) − c·(ṡ_i − dū/dt)]
 *          actuator, |·| ≤ F         coupling: equal and opposite on the two fingers
 *
 * so the two fingers together never push harder than 2F, and the coupling term, limited to
 * `couplingForceFactor`·F, only moves force from one finger to the other (it is what keeps an
 * object held between the pads from sliding along the closing axis). Backends solve f_i
 * implicitly, as a force-limited position servo on each finger's joint with target T.
 */

/** Travel (m) each finger is commanded to: −1 opens fully, +1 closes fully. */
export function commandedTravel(command: number): number {
  return (G.fingerTravel * (1 - command)) / 2;
}

/**
 * The gripper command under which each finger squeezes an object of width `width` (m, between
 * the pads) with `force` (N, below the force limit): the actuator's k·(width/2 − T_cmd) = force.
 */
export function commandForSqueeze(width: number, force: number): number {
  const travel = width / 2 - force / G.fingerDriveStiffness;
  return 1 - (2 * travel) / G.fingerTravel;
}

/** The servo target T of both fingers, given the commanded travel and the current travels. */
export function gripperServoTarget(commanded: number, travelLeft: number, travelRight: number): number {
  const mean = 0.5 * (travelLeft + travelRight);
  const reach = G.fingerMaxForce / G.fingerDriveStiffness;
  return Math.min(Math.max(commanded, mean - reach), mean + reach);
}

/** Force limit (N) of each finger's joint servo: the actuator's share plus the coupling's. */
export const FINGER_SERVO_MAX_FORCE = G.fingerMaxForce * (1 + G.couplingForceFactor);
