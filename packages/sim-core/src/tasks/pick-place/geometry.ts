import { PARALLEL_GRIPPER } from '../../agents/parallel-gripper/geometry.js';
import { objectWorkspaceOverTable } from '../../sim/termination.js';

/**
 * Fixed geometry of the pick-place scene (metres, kilograms, Z up, table top at z = 0).
 * The gripper's own geometry comes from its agent (`agents/parallel-gripper`). Everything
 * randomized per world lives in `params.ts`.
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

  /** The gripper agent's geometry and actuator (fingers, pads, palm, travel, force limit). */
  ...PARALLEL_GRIPPER,

  /** Lowest TCP height the controller allows: finger tips stay 2 mm above the table. */
  minTcpHeight: 0.022,
} as const;

/** Bounds of the controller's target position (the reachable workspace), metres. */
export const WORKSPACE = {
  min: [0.05, -0.5, PICK_PLACE_GEOMETRY.minTcpHeight] as const,
  max: [0.85, 0.6, 0.4] as const,
};

/**
 * Where the objects of the tasks on this table must stay (metres): over the table top
 * (±0.8 m), at most 2 cm below its surface and at most 1 m above it. Wider than `WORKSPACE`
 * (the gripper's reach): objects parked out of reach on the table are still in play.
 */
export const OBJECT_WORKSPACE = objectWorkspaceOverTable(PICK_PLACE_GEOMETRY.tableHalfExtents);
