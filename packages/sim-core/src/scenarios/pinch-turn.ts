import type { Scenario, WorldOutcome } from './scenario.js';
import { judge } from './scenario.js';
import { driveWorlds, PoseReader } from './drive-worlds.js';
import { graspScript, GRASP_LIFTED_STEP, PINCH_RANDOMIZATION } from './grasp-script.js';
import { quatAngleBetween, quatFromRotationVector, quatMultiply } from '../math/quat.js';
import type { StepResult } from '../sim/sim.js';

const TURN_STEPS = 20;
const HOLD_STEPS = 10;
/** Hand turn of every world (rad). */
const TURN = Math.PI / 4;

/**
 * A cube pinched and lifted, then the hand turns 45° about `axis` (world frame: the vertical,
 * or the pads' normal, which is the hand's y axis at the grasp).
 */
function pinchTurn(id: string, axisName: string, axis: readonly [number, number, number]): Scenario {
  return {
    id,
    title: `pinched cube, hand turns 45° about ${axisName}`,
    expectation:
      'torque needed (inertia; the centred grasp has no gravity moment) ≪ the pads\' friction moment ⇒ the cube turns with the hand: its orientation in the hand frame changes < 2°, its position < 2 mm',
    requiredPassRate: 1,
    randomization: PINCH_RANDOMIZATION,
    async measure(sim) {
      const n = sim.spec.numWorlds;
      const poses = new PoseReader(sim);
      await sim.reset();
      const params = Array.from({ length: n }, (_, w) => sim.params(w));
      const scripts = params.map((p) => graspScript(p.cubeX, p.cubeY));
      let r = await driveWorlds(sim, GRASP_LIFTED_STEP, (w, k) => scripts[w](k));
      const before = params.map((_, w) => cubeInHand(poses, r, w));
      const held = params.map((_, w) => poses.hand7(r, w));
      r = await driveWorlds(sim, TURN_STEPS + HOLD_STEPS, (w, k) => {
        const turn = quatFromRotationVector([0, 0, 0, 1], axis.map((a) => a * TURN * Math.min(1, (k + 1) / TURN_STEPS)));
        return { position: held[w].slice(0, 3), quaternion: quatMultiply([0, 0, 0, 1], turn, held[w].slice(3)), gripper: 1 };
      });
      return params.map((_, w): WorldOutcome => {
        const after = cubeInHand(poses, r, w);
        const handTurn = quatAngleBetween(held[w].slice(3), poses.hand7(r, w).slice(3)) * (180 / Math.PI);
        const slipAngle = quatAngleBetween(before[w].quaternion, after.quaternion) * (180 / Math.PI);
        const slip = Math.hypot(...before[w].position.map((v, i) => v - after.position[i]));
        return judge(
          w,
          { handTurn_deg: handTurn, relativeTurn_deg: slipAngle, relativeShift_mm: slip * 1e3 },
          { handTurn_deg: TURN * (180 / Math.PI), relativeTurn_deg: 0, relativeShift_mm: 0 },
          [
            ['hand turned', Math.abs(handTurn - TURN * (180 / Math.PI)) < 1],
            ['cube follows the hand (angle)', slipAngle < 2],
            ['cube follows the hand (position)', slip < 0.002],
          ],
        );
      });
    },
  };
}

/** The cube's pose in the hand's frame. */
function cubeInHand(poses: PoseReader, r: StepResult, w: number): { position: number[]; quaternion: number[] } {
  const hand = poses.hand7(r, w);
  const cube = poses.cube7(r, w);
  const inv = [-hand[3], -hand[4], -hand[5], hand[6]];
  const d = [cube[0] - hand[0], cube[1] - hand[1], cube[2] - hand[2], 0];
  const rotated = quatMultiply([0, 0, 0, 1], quatMultiply([0, 0, 0, 1], inv, d), [hand[3], hand[4], hand[5], hand[6]]);
  return { position: [rotated[0], rotated[1], rotated[2]], quaternion: Array.from(quatMultiply([0, 0, 0, 1], inv, cube.slice(3))) };
}

/** Pinch and turn about the vertical. */
export const pinchTurnVerticalScenario = pinchTurn('pinch-turn-vertical', 'the vertical', [0, 0, 1]);
/** Pinch and turn about the pads' normal (a horizontal axis). */
export const pinchTurnHorizontalScenario = pinchTurn('pinch-turn-horizontal', "the pads' normal (horizontal)", [0, 1, 0]);
