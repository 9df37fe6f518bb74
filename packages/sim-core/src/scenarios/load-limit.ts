import type { Scenario, WorldOutcome } from './scenario.js';
import { judge } from './scenario.js';
import { driveWorlds, PoseReader } from './drive-worlds.js';
import { squeezeCubes, SQUEEZE_CLOSED_STEP } from './squeeze.js';
import { GRASP_LIFT_HEIGHT, GRASP_PHASES } from './grasp-script.js';
import { cubePadFriction, GRAVITY, pinchLoadLimit } from './mechanics.js';
import { uniform01 } from '../random/hash-prng.js';
import { commandForSqueeze } from '../agents/parallel-gripper/drive.js';

/** Scenario-specific draw id (the task's parameters use ids below 0x100). */
const MARGIN_DRAW = 0x220;
/**
 * Peak acceleration (m/s²) of the grasp script's lift as the hand feels it: the smooth-step's
 * largest speed change per control step (6·h/T² · 1/20 s), made within one physics step (1/40 s)
 * since the hand moves at constant speed within a control step.
 */
const LIFT_ACCELERATION = ((6 * GRASP_LIFT_HEIGHT) / (GRASP_PHASES.lift / 20) ** 2) * 2;

/**
 * Squeeze ratio of world w: the grip force aimed at, in units of the load limit's threshold
 * m·(g + a) / (2μ): half the worlds below (0.5–0.85), half above (1.2–2).
 */
function squeezeRatio(seed: number, world: number): number {
  const u = uniform01(seed, 0, world, MARGIN_DRAW);
  return u < 0.5 ? 0.5 + 0.7 * u : 1.2 + 1.6 * (u - 0.5);
}

/**
 * Load limit: a heavy cube pinched with a partial gripper command (so the actuator's force,
 * k·(travel − commanded travel), is below its limit) and lifted; it is carried iff the pads'
 * friction can bear its weight.
 */
export const loadLimitScenario: Scenario = {
  id: 'load-limit',
  title: 'cube of 0.5–2 kg pinched with 0.5–2× the force it needs, then lifted 8 cm',
  expectation: 'held iff m·(g + a) < 2μF, F the pads\' measured normal force before the lift (each pad), μ = max(μcube, μpad), a the lift\'s peak acceleration; right in ≥ 95 % of worlds',
  requiredPassRate: 0.95,
  randomization: {
    preset: 'narrow',
    cubeEdge: { min: 0.03, max: 0.06 },
    cubeMass: { min: 0.5, max: 2 },
    cubeFriction: { min: 0.5, max: 1 },
  },
  async measure(sim) {
    const n = sim.spec.numWorlds;
    const poses = new PoseReader(sim);
    await sim.reset();
    const params = Array.from({ length: n }, (_, w) => sim.params(w));
    // Gripper command whose actuator force on the cube's faces is the aimed grip force.
    const commands = params.map((p, w) =>
      commandForSqueeze(p.cubeEdge, (squeezeRatio(sim.spec.seed, w) * p.cubeMass * (GRAVITY + LIFT_ACCELERATION)) / (2 * cubePadFriction(p.cubeFriction))),
    );
    const { scripts, grip, result } = await squeezeCubes(sim, params, commands);
    let r = result;
    const startZ = params.map((_, w) => poses.cube7(r, w)[2]);
    r = await driveWorlds(sim, GRASP_PHASES.lift + 10, (w, step) => scripts[w](step + SQUEEZE_CLOSED_STEP));
    return params.map((p, w): WorldOutcome => {
      const mu = cubePadFriction(p.cubeFriction);
      const load = p.cubeMass * (GRAVITY + LIFT_ACCELERATION);
      const limit = pinchLoadLimit(mu, grip[w]);
      const held = poses.cube7(r, w)[2] - startZ[w] > 0.5 * GRASP_LIFT_HEIGHT;
      const predicted = load < limit;
      return judge(
        w,
        { gripForce: grip[w], loadOverLimit: load / limit, held: held ? 1 : 0 },
        { held: predicted ? 1 : 0 },
        [['held iff m(g + a) < 2μF', held === predicted]],
      );
    });
  },
};
