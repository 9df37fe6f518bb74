import type { HandCommand } from './drive-worlds.js';

/** Control steps of each phase of the grasp script. */
export const GRASP_PHASES = { approach: 15, descend: 10, close: 10, lift: 20 } as const;

/** Step at which the grasp script's lift ends (the cube is held, 8 cm up). */
export const GRASP_LIFTED_STEP = GRASP_PHASES.approach + GRASP_PHASES.descend + GRASP_PHASES.close + GRASP_PHASES.lift;

/** Height above the grasp the script lifts the cube to (m). */
export const GRASP_LIFT_HEIGHT = 0.08;

const IDENTITY = [0, 0, 0, 1] as const;

/** Cubes for pinch scenarios: `narrow` placement, edge 3–6 cm, 0.05–0.5 kg, friction 0.5–1.2. */
export const PINCH_RANDOMIZATION = {
  preset: 'narrow',
  cubeEdge: { min: 0.03, max: 0.06 },
  cubeMass: { min: 0.05, max: 0.5 },
  cubeFriction: { min: 0.5, max: 1.2 },
};

/**
 * TCP height of the pinch (m): the finger tips 3 mm above the table, so the pads cover the cube's
 * face from 3 mm up and their contact's centre is within 1.5 mm of the cube's centre of mass
 * (a pinch above it would tip the cube while the second pad arrives).
 */
export const GRASP_TCP_HEIGHT = 0.023;

/**
 * Top-down pinch of a cube at (x, y) (yaw 0): approach above it, descend to
 * `GRASP_TCP_HEIGHT`, close, and lift slowly (speed ramping up over the lift, so the hand's
 * acceleration stays below 1 m/s²). Returns the command of step k (held after the lift).
 */
export function graspScript(x: number, y: number): (step: number) => HandCommand {
  const { approach, descend, close, lift } = GRASP_PHASES;
  const graspZ = GRASP_TCP_HEIGHT;
  const aboveZ = graspZ + 0.1;
  return (k) => {
    if (k < approach) return { position: [x, y, aboveZ], quaternion: IDENTITY, gripper: -1 };
    k -= approach;
    if (k < descend) return { position: [x, y, aboveZ - (0.1 * (k + 1)) / descend], quaternion: IDENTITY, gripper: -1 };
    k -= descend;
    if (k < close) return { position: [x, y, graspZ], quaternion: IDENTITY, gripper: 1 };
    k -= close;
    // Smooth-step height profile: zero speed at both ends.
    const t = Math.min(1, (k + 1) / lift);
    const s = t * t * (3 - 2 * t);
    return { position: [x, y, graspZ + GRASP_LIFT_HEIGHT * s], quaternion: IDENTITY, gripper: 1 };
  };
}
