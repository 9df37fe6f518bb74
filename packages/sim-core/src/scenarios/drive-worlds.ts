import type { Sim, StepResult } from '../sim/sim.js';
import { quatToRotationVector } from '../math/quat.js';

/** An absolute end-effector command: position, orientation quaternion [x, y, z, w], gripper (−1 … 1). */
export interface HandCommand {
  position: ArrayLike<number>;
  quaternion: ArrayLike<number>;
  gripper: number;
}

/**
 * Steps every world `steps` times, world w commanded by `command(w, k)` at step k (absolute
 * action mode), calling `observe(result, k)` after each step.
 */
export async function driveWorlds(
  sim: Sim,
  steps: number,
  command: (world: number, step: number) => HandCommand,
  observe?: (result: StepResult, step: number) => void | Promise<void>,
): Promise<StepResult> {
  const n = sim.spec.numWorlds;
  const actions = new Float32Array(n * sim.spec.actionSize);
  const rv = [0, 0, 0];
  let result: StepResult | undefined;
  for (let k = 0; k < steps; k++) {
    for (let w = 0; w < n; w++) {
      const c = command(w, k);
      const o = w * sim.spec.actionSize;
      quatToRotationVector(rv, c.quaternion);
      actions[o] = c.position[0]; actions[o + 1] = c.position[1]; actions[o + 2] = c.position[2];
      actions[o + 3] = rv[0]; actions[o + 4] = rv[1]; actions[o + 5] = rv[2];
      actions[o + 6] = c.gripper;
    }
    result = await sim.step(actions);
    await observe?.(result, k);
  }
  return result!;
}

/** Reads poses from a step's observations (every backend writes them). */
export class PoseReader {
  private readonly cube: number;
  private readonly hand: number;
  private readonly opening: number;
  private readonly obsSize: number;

  constructor(sim: Sim) {
    const at = (name: string) => {
      const i = sim.spec.obsNames.indexOf(name);
      if (i < 0) throw new Error(`the task observes no ${name}`);
      return i;
    };
    this.cube = at('cube_pos_x');
    this.hand = at('ee_pos_x');
    this.opening = at('gripper_opening');
    this.obsSize = sim.spec.obsSize;
  }

  /** The cube's pose [x, y, z, qx, qy, qz, qw] in world w. */
  cube7(result: StepResult, w: number): number[] {
    const o = w * this.obsSize + this.cube;
    return Array.from(result.obs.subarray(o, o + 7));
  }

  /** The end effector's pose [x, y, z, qx, qy, qz, qw] in world w. */
  hand7(result: StepResult, w: number): number[] {
    const o = w * this.obsSize + this.hand;
    return Array.from(result.obs.subarray(o, o + 7));
  }

  /** The gripper's opening (m) in world w. */
  opening1(result: StepResult, w: number): number {
    return result.obs[w * this.obsSize + this.opening];
  }
}
