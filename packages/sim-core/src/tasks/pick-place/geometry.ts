/**
 * Fixed geometry of the pick-place scene (metres, kilograms, Z up, table top at z = 0).
 *
 * The end-effector frame (the TCP) sits between the finger pads at the pads' mid-height;
 * with the identity orientation the fingers point down (-z) and open along the hand's
 * local y axis. Everything randomized per world lives in `params.ts`.
 */
export const PICK_PLACE_GEOMETRY = {
  /** Half extents of the table slab; its top face is z = 0. */
  tableHalfExtents: [0.8, 0.8, 0.05] as const,
  tableFriction: 0.8,

  /** Inner half-size of the square bin (its floor is the table). */
  binInnerHalfSize: 0.08,
  binWallHalfThickness: 0.005,
  /** Height of the bin's rim above the table. */
  binRimHeight: 0.07,
  binFriction: 0.6,

  /** Finger box half extents: pad width along x (2 cm), thickness along y, length along z. */
  fingerHalfExtents: [0.01, 0.005, 0.035] as const,
  /** Finger box centre height in the hand frame; the finger spans z ∈ [-0.02, 0.05]. */
  fingerCenterZ: 0.015,
  fingerMass: 0.05,
  /** Pad friction; combined with the `max` rule, as in Rapier/nexus grasp set-ups. */
  fingerFriction: 1.0,
  /** Each finger travels 0 … 4 cm, so the gripper opens 0 … 8 cm (Franka hand). */
  fingerTravel: 0.04,
  /** Force limit of each finger's position drive (N). */
  fingerMaxForce: 20,
  fingerDriveStiffness: 2000,
  fingerDriveDamping: 100,

  /** Palm box, above the fingers. */
  palmHalfExtents: [0.015, 0.06, 0.01] as const,
  palmCenterZ: 0.06,

  /** Lowest TCP height the controller allows: finger tips stay 2 mm above the table. */
  minTcpHeight: 0.022,
} as const;

/** Bounds of the controller's target position (the reachable workspace), metres. */
export const WORKSPACE = {
  min: [0.05, -0.5, PICK_PLACE_GEOMETRY.minTcpHeight] as const,
  max: [0.85, 0.6, 0.4] as const,
};
