import type { Sim, StepResult } from '../sim/sim.js';
import { pickPlaceGripForce } from '../sim/contacts.js';
import { driveWorlds, type HandCommand } from './drive-worlds.js';
import { graspScript, GRASP_PHASES } from './grasp-script.js';

/** Control step at which the grasp script's fingers have closed on the cube. */
export const SQUEEZE_CLOSED_STEP = GRASP_PHASES.approach + GRASP_PHASES.descend + GRASP_PHASES.close;

/** Steps the squeeze is held, with the grip force averaged, before anything else happens. */
const SETTLE_STEPS = 10;

/** A pinch with a chosen gripper command per world, settled and measured. */
export interface Squeeze {
  /** The grasp script of each world with its command in place of "close" (step k → command). */
  scripts: ((step: number) => HandCommand)[];
  /** Each world's grip force (N): the mean of the two pads' normal forces over the settling. */
  grip: Float64Array;
  /** The step result after the settling. */
  result: StepResult;
}

/**
 * Runs the grasp script on every world (reset already) up to the closed fingers, with `commands[w]`
 * as world w's gripper command instead of a full close, then holds the squeeze while the fingers
 * settle and measures the grip force (one physics step's contact impulses fluctuate, so it is the
 * mean over the settling).
 */
export async function squeezeCubes(sim: Sim, params: readonly Record<string, number>[], commands: readonly number[]): Promise<Squeeze> {
  const n = sim.spec.numWorlds;
  const scripts = params.map((p, w) => {
    const grasp = graspScript(p.cubeX, p.cubeY);
    return (step: number): HandCommand => {
      const c = grasp(step);
      return c.gripper > 0 ? { ...c, gripper: commands[w] } : c;
    };
  });
  await driveWorlds(sim, SQUEEZE_CLOSED_STEP, (w, step) => scripts[w](step));
  const grip = new Float64Array(n);
  const result = await driveWorlds(sim, SETTLE_STEPS, (w) => scripts[w](SQUEEZE_CLOSED_STEP - 1), async () => {
    for (let w = 0; w < n; w++) grip[w] += pickPlaceGripForce(await sim.contacts(w)).mean / SETTLE_STEPS;
  });
  return { scripts, grip, result };
}
