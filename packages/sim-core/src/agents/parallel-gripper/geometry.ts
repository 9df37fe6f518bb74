/**
 * The floating parallel-jaw gripper (a Franka-hand-sized two-finger hand): its fixed
 * geometry, masses, pad friction, finger travel and actuator (metres, kilograms, newtons).
 *
 * The end-effector frame (the TCP) sits between the finger pads at the pads' mid-height;
 * with the identity orientation the fingers point down (−z) and open along the hand's local
 * y axis.
 */
export const PARALLEL_GRIPPER = {
  /** Finger box half extents: pad width along x (2 cm), thickness along y, length along z. */
  fingerHalfExtents: [0.01, 0.005, 0.035] as const,
  /** Finger box centre height in the hand frame; the finger spans z ∈ [−0.02, 0.05]. */
  fingerCenterZ: 0.015,
  fingerMass: 0.05,
  /** Pad friction; combined with the `max` rule, as in Rapier/nexus grasp set-ups. */
  fingerFriction: 1.0,
  /** Each finger travels 0 … 4 cm, so the gripper opens 0 … 8 cm (Franka hand). */
  fingerTravel: 0.04,
  /**
   * Force limit of the actuator, per finger (N): the squeeze a closed gripper exerts on a held
   * object (each pad pushes with this force).
   */
  fingerMaxForce: 20,
  /** Stiffness (N/m) and damping (N·s/m) of the actuator's position servo, per finger. */
  fingerDriveStiffness: 2000,
  fingerDriveDamping: 100,
  /**
   * Strength of the rack that couples the two fingers, in units of `fingerMaxForce`: the
   * largest internal force that keeps the travels symmetric (equal and opposite on the two
   * fingers, so it adds nothing to the squeeze).
   */
  couplingForceFactor: 3,

  /** Palm box, above the fingers. */
  palmHalfExtents: [0.015, 0.06, 0.01] as const,
  palmCenterZ: 0.06,
} as const;
