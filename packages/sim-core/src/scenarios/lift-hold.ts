import type { Scenario, WorldOutcome } from './scenario.js';
import { judge } from './scenario.js';
import { driveWorlds, PoseReader } from './drive-worlds.js';
import { graspScript, GRASP_LIFTED_STEP, GRASP_PHASES, PINCH_RANDOMIZATION } from './grasp-script.js';
import { GRIP_FORCE } from './mechanics.js';
import { PICK_PLACE_GEOMETRY as G } from '../tasks/pick-place/geometry.js';
import { quatRotate } from '../math/quat.js';
import type { ContactPoint } from '../sim/contacts.js';

/** Control step at which the fingers have closed on the cube (before the lift). */
const CLOSED_STEP = GRASP_PHASES.approach + GRASP_PHASES.descend + GRASP_PHASES.close;

/**
 * A cube pinched and lifted 8 cm: it must not sag in the grasp, the pad contacts must lie on
 * the pads, and each pad must push with the gripper's force limit.
 */
export const liftHoldScenario: Scenario = {
  id: 'lift-hold',
  title: 'cube of 0.05–0.5 kg pinched and lifted 8 cm',
  expectation: `sag of the cube relative to the hand ≤ 1 mm; pad contact points within 1 mm of the pad faces; grip force (the mean of the two pads' normal forces) = F = ${GRIP_FORCE} N ± 10 %`,
  requiredPassRate: 1,
  randomization: PINCH_RANDOMIZATION,
  async measure(sim) {
    const n = sim.spec.numWorlds;
    const poses = new PoseReader(sim);
    await sim.reset();
    const params = Array.from({ length: n }, (_, w) => sim.params(w));
    const scripts = params.map((p) => graspScript(p.cubeX, p.cubeY));
    let r = await driveWorlds(sim, CLOSED_STEP, (w, k) => scripts[w](k));
    const grasped = params.map((_, w) => offset(poses.cube7(r, w), poses.hand7(r, w)));
    const sag = new Float64Array(n);
    r = await driveWorlds(sim, GRASP_LIFTED_STEP - CLOSED_STEP + 10, (w, k) => scripts[w](k + CLOSED_STEP), (result) => {
      for (let w = 0; w < n; w++) sag[w] = Math.max(sag[w], grasped[w][2] - offset(poses.cube7(result, w), poses.hand7(result, w))[2]);
    });
    const outcomes: WorldOutcome[] = [];
    for (let w = 0; w < n; w++) {
      const contacts = await sim.contacts(w);
      const hand = poses.hand7(r, w);
      const pads = { left: padContacts(contacts, 'fingerLeft'), right: padContacts(contacts, 'fingerRight') };
      const opening = poses.opening1(r, w);
      const offPad = Math.max(0, ...[...pads.left, ...pads.right].map((c) => distanceFromPad(c, hand, opening)));
      const force = { left: sum(pads.left), right: sum(pads.right) };
      outcomes.push(
        judge(
          w,
          { sag_mm: sag[w] * 1e3, padOffset_mm: offPad * 1e3, gripForce: (force.left + force.right) / 2, forceLeft: force.left, forceRight: force.right },
          { sag_mm: 0, padOffset_mm: 0, gripForce: GRIP_FORCE },
          [
            ['sag', sag[w] <= 0.001],
            ['pads touch', pads.left.length > 0 && pads.right.length > 0],
            ['contacts at the pads', offPad <= 0.001],
            ['grip force', Math.abs((force.left + force.right) / 2 / GRIP_FORCE - 1) <= 0.1],
          ],
        ),
      );
    }
    return outcomes;
  },
};

function offset(a: number[], b: number[]): number[] {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

function padContacts(contacts: readonly ContactPoint[], finger: string): ContactPoint[] {
  return contacts.filter((c) => c.normalForce > 0 && ((c.bodyA === 'cube' && c.bodyB === finger) || (c.bodyB === 'cube' && c.bodyA === finger)));
}

function sum(contacts: readonly ContactPoint[]): number {
  return contacts.reduce((s, c) => s + c.normalForce, 0);
}

/**
 * Distance (m) of a contact point from the inner face of the pad it touches, from the hand's
 * pose and the gripper's opening (the pads' faces are ±opening/2 from the TCP along the
 * hand's y axis; the pad spans its finger's box in x and z).
 */
function distanceFromPad(c: ContactPoint, hand: number[], opening: number): number {
  const inv = [-hand[3], -hand[4], -hand[5], hand[6]];
  const local = quatRotate([0, 0, 0], inv, [c.point[0] - hand[0], c.point[1] - hand[1], c.point[2] - hand[2]]);
  const [hx, , hz] = G.fingerHalfExtents;
  const outside = (v: number, half: number) => Math.max(0, Math.abs(v) - half);
  return Math.hypot(outside(local[0], hx), Math.abs(local[1]) - opening / 2, outside(local[2] - G.fingerCenterZ, hz));
}
