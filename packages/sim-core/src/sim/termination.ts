/**
 * Why an episode ends. Every backend ends one by success; the Sim also ends one whose objects
 * left the task's workspace — fell off or below the table, or flew out of reach — as a failure.
 * That check reads the observations every backend reads back to the host, so it is written once
 * here, not in each backend; `fault` stays for states that are non-finite or run away.
 */

import type { SimWorkspaceLayout } from './gpu-access.js';

/** Codes of `StepResult.terminationReason`. */
export const TERMINATION_REASON = {
  /** The episode goes on. */
  none: 0,
  /** The task is solved. */
  success: 1,
  /** An object's centre is below the workspace's floor (under the table top): a failure. */
  objectBelowTable: 2,
  /** An object's centre is outside the workspace's sides or above its ceiling: a failure. */
  objectOutsideWorkspace: 3,
} as const;

/** Name of a termination reason (`TERMINATION_REASON` key). */
export type TerminationReasonName = keyof typeof TERMINATION_REASON;

/** The reason names, indexed by code. */
export const TERMINATION_REASON_NAMES: readonly TerminationReasonName[] = ['none', 'success', 'objectBelowTable', 'objectOutsideWorkspace'];

/** A box (metres, world frame) the centre of every object of a task must stay in. */
export interface ObjectWorkspace {
  min: readonly [number, number, number];
  max: readonly [number, number, number];
}

/** How far below a table top an object's centre may sink before it counts as below the table (m). */
export const BELOW_TABLE_MARGIN = 0.02;
/** Highest an object's centre may be above a table top (m): well above any reach of the gripper. */
export const OBJECT_CEILING = 1.0;

/**
 * The workspace of objects on a table whose top is z = 0 and spans ±`tableHalfExtents[0]` by
 * ±`tableHalfExtents[1]` around the origin: an object beyond the table's edge or more than
 * {@link BELOW_TABLE_MARGIN} below its top has fallen; one above {@link OBJECT_CEILING} flew off.
 */
export function objectWorkspaceOverTable(tableHalfExtents: readonly [number, number, number]): ObjectWorkspace {
  return {
    min: [-tableHalfExtents[0], -tableHalfExtents[1], -BELOW_TABLE_MARGIN],
    max: [tableHalfExtents[0], tableHalfExtents[1], OBJECT_CEILING],
  };
}

/** Why world `world`'s episode ended in the last `reset`/`step`/`setState` (`Sim.terminationInfo`). */
export interface TerminationInfo {
  reason: TerminationReasonName;
  /** The object that left the workspace (first in observation order); null for other reasons. */
  object: string | null;
  /** That object's position [x, y, z] (m); null for other reasons. */
  position: [number, number, number] | null;
}

/** The per-world rows {@link WorkspaceCheck.apply} reads (`success`, `fault`) and writes. */
export interface WorkspaceRows {
  success: Uint8Array;
  terminated: Uint8Array;
  fault: Uint8Array;
  /** `TERMINATION_REASON` code per world. */
  reason: Uint8Array;
  /** Index (into `WorkspaceCheck.objects`) of the first object outside, or -1. */
  leftObject: Int16Array;
}

/**
 * The objects a task observes (every `o` with `o_pos_{x,y,z}` entries, the end effector `ee`
 * excepted) and the check that keeps them inside its {@link ObjectWorkspace}.
 */
export class WorkspaceCheck {
  /** Object names, in observation order. */
  readonly objects: readonly string[];
  /** Index of each object's `o_pos_x`, `o_pos_y`, `o_pos_z` in an observation row. */
  private readonly positions: ReadonlyArray<readonly [number, number, number]>;

  /** `workspace` undefined: no object is checked. */
  constructor(
    obsNames: readonly string[],
    private readonly workspace: ObjectWorkspace | undefined,
  ) {
    const objects: string[] = [];
    const positions: Array<[number, number, number]> = [];
    if (workspace) {
      for (const name of obsNames) {
        const object = /^(.+)_pos_x$/.exec(name)?.[1];
        if (object === undefined || object === 'ee') continue;
        const at = (['x', 'y', 'z'] as const).map((axis) => obsNames.indexOf(`${object}_pos_${axis}`));
        if (at.some((index) => index < 0)) continue;
        objects.push(object);
        positions.push(at as [number, number, number]);
      }
    }
    this.objects = objects;
    this.positions = positions;
  }

  /**
   * Index (into `objects`) of the first object of the observation row at `offset` that is
   * outside the workspace, or -1 when every object is inside.
   */
  firstOutside(obs: ArrayLike<number>, offset: number): number {
    const space = this.workspace;
    if (!space) return -1;
    for (let k = 0; k < this.positions.length; k++) {
      const at = this.positions[k];
      for (let axis = 0; axis < 3; axis++) {
        const v = obs[offset + at[axis]];
        if (!(v >= space.min[axis] && v <= space.max[axis])) return k;
      }
    }
    return -1;
  }

  /** The check in the terms of an observation row (for kernels); null when nothing is checked. */
  layout(): SimWorkspaceLayout | null {
    const space = this.workspace;
    if (!space || this.objects.length === 0) return null;
    return { objects: this.objects, positions: this.positions, min: space.min, max: space.max };
  }

  /** Position of object `k` in the observation row at `offset`. */
  position(obs: ArrayLike<number>, offset: number, k: number): [number, number, number] {
    const at = this.positions[k];
    return [obs[offset + at[0]], obs[offset + at[1]], obs[offset + at[2]]];
  }

  /**
   * Ends the episode of every world with an object outside the workspace: sets `terminated`
   * and `reason` (success wins when the task is also solved), and each world's first such
   * object in `leftObject` (-1 if none). A world that faulted was just reset and is skipped.
   */
  apply(obs: Float32Array, obsSize: number, out: WorkspaceRows): void {
    const n = out.success.length;
    for (let w = 0; w < n; w++) {
      const object = out.fault[w] ? -1 : this.firstOutside(obs, w * obsSize);
      out.leftObject[w] = object;
      if (out.success[w]) {
        out.terminated[w] = 1;
        out.reason[w] = TERMINATION_REASON.success;
      } else if (object >= 0) {
        out.terminated[w] = 1;
        const at = this.positions[object];
        out.reason[w] = this.workspace && obs[w * obsSize + at[2]] < this.workspace.min[2] ? TERMINATION_REASON.objectBelowTable : TERMINATION_REASON.objectOutsideWorkspace;
      } else {
        out.terminated[w] = 0;
        out.reason[w] = TERMINATION_REASON.none;
      }
    }
  }
}
