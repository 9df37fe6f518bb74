import { WORKSPACE } from '../tasks/pick-place/geometry.js';
import {
  quatFromRotationVector,
  quatMultiply,
  quatNormalize,
  quatToRotationVector,
} from '../math/quat.js';

/**
 * The end-effector controller shared by every backend.
 *
 * Action (7 floats per world):
 *   0–2  end-effector position change (m), each component clipped to ±`maxDeltaPosition`;
 *   3–5  rotation change as a world-frame rotation vector (axis · angle, rad), its norm
 *        clipped to `maxDeltaRotation`;
 *   6    gripper command, clipped to [-1, 1]: -1 fully open (8 cm), +1 close (the finger
 *        drives then push with at most their force limit).
 * In `absolute` mode entries 0–5 are instead the target position and orientation (as a
 * rotation vector); the target moves toward it by at most the same per-step limits.
 * The target position is always clamped to the workspace box `WORKSPACE`.
 */
export const CONTROL_LIMITS = {
  /** Largest position change per control step per axis (m): 0.6 m/s at 20 Hz. */
  maxDeltaPosition: 0.03,
  /** Largest rotation change per control step (rad): 5 rad/s at 20 Hz. */
  maxDeltaRotation: 0.25,
} as const;

/** The box (m) the controller clamps every target position to, whatever the task. */
export { WORKSPACE };

/** Number of floats in one action. */
export const ACTION_SIZE = 7;

/** Names of the action entries. */
export const ACTION_NAMES = ['dx', 'dy', 'dz', 'rx', 'ry', 'rz', 'gripper'] as const;

/** How entries 0–5 of an action are read. */
export type ActionMode = 'delta' | 'absolute';

/** Floats of controller state per world: target position (3), target quaternion (4), gripper command (1). */
export const CONTROLLER_STATE_SIZE = 8;

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);

const scratchRv = [0, 0, 0];
const scratchQ = [0, 0, 0, 1];
const scratchQ2 = [0, 0, 0, 1];
const scratchCurrent = [0, 0, 0, 1];
const scratchInverse = [0, 0, 0, 1];

/**
 * Advances one world's controller target by one action.
 * `state` holds CONTROLLER_STATE_SIZE floats at `stateOffset` and is updated in place.
 */
export function applyAction(
  mode: ActionMode,
  actions: ArrayLike<number>,
  actionOffset: number,
  state: Float64Array,
  stateOffset: number,
): void {
  const dp = CONTROL_LIMITS.maxDeltaPosition;
  const s = stateOffset;
  for (let axis = 0; axis < 3; axis++) {
    const a = actions[actionOffset + axis];
    const delta = mode === 'delta' ? a : a - state[s + axis];
    state[s + axis] = clamp(state[s + axis] + clamp(delta, -dp, dp), WORKSPACE.min[axis], WORKSPACE.max[axis]);
  }

  const current = scratchCurrent;
  for (let i = 0; i < 4; i++) current[i] = state[s + 3 + i];
  scratchRv[0] = actions[actionOffset + 3];
  scratchRv[1] = actions[actionOffset + 4];
  scratchRv[2] = actions[actionOffset + 5];
  if (mode === 'absolute') {
    // Rotation that takes the current target orientation to the requested one.
    quatFromRotationVector(scratchQ, scratchRv);
    scratchInverse[0] = -current[0];
    scratchInverse[1] = -current[1];
    scratchInverse[2] = -current[2];
    scratchInverse[3] = current[3];
    quatMultiply(scratchQ2, scratchQ, scratchInverse);
    quatToRotationVector(scratchRv, scratchQ2);
  }
  const angle = Math.hypot(scratchRv[0], scratchRv[1], scratchRv[2]);
  if (angle > CONTROL_LIMITS.maxDeltaRotation) {
    const k = CONTROL_LIMITS.maxDeltaRotation / angle;
    scratchRv[0] *= k;
    scratchRv[1] *= k;
    scratchRv[2] *= k;
  }
  quatFromRotationVector(scratchQ, scratchRv);
  quatMultiply(scratchQ2, scratchQ, current);
  quatNormalize(scratchQ2, scratchQ2);
  state[s + 3] = scratchQ2[0];
  state[s + 4] = scratchQ2[1];
  state[s + 5] = scratchQ2[2];
  state[s + 6] = scratchQ2[3];

  state[s + 7] = clamp(actions[actionOffset + 6], -1, 1);
}
