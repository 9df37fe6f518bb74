import { PARALLEL_GRIPPER } from '../../agents/parallel-gripper/geometry.js';
import { WORKSPACE } from '../../controller/ee-controller.js';
import { objectWorkspaceOverTable } from '../../sim/termination.js';

/**
 * Fixed geometry of the cube-stacking scenes (`stack`, `stack-three`): metres, kilograms, Z up,
 * table top at z = 0. The gripper's own geometry comes from its agent; everything randomized
 * per world lives in each task's `params.ts`.
 */
export const CUBE_STACK_GEOMETRY = {
  /** Half extents of the table slab; its top face is z = 0. */
  tableHalfExtents: [0.8, 0.8, 0.05] as const,
  tableFriction: 0.8,
  /** Centre of the region the cubes are placed in (robosuite's table centre, here in reach of the hand). */
  nominalCenter: [0.45, 0] as const,
  /** The gripper's start pose in the `narrow` presets (TCP position). */
  nominalHand: [0.45, 0, 0.25] as const,
  /**
   * Smallest horizontal gap between two cubes' bounding circles at reset (m): one finger's
   * thickness, so a finger fits between neighbours (robosuite's placement sampler only keeps
   * the circles from overlapping).
   */
  cubeGap: 0.01,
  /** The gripper agent's geometry and actuator (fingers, pads, palm, travel, force limit). */
  ...PARALLEL_GRIPPER,
} as const;

/** The box (m) the controller clamps every target position to. */
export const CUBE_STACK_WORKSPACE = WORKSPACE;

/** Where the cubes must stay: over the table top, at most 2 cm below it and 1 m above it (see `objectWorkspaceOverTable`). */
export const CUBE_STACK_OBJECT_WORKSPACE = objectWorkspaceOverTable(CUBE_STACK_GEOMETRY.tableHalfExtents);
