import { describe, expect, it } from 'vitest';
import { PICK_PLACE_GEOMETRY, PickPlaceExpert, SIGNAL, pickPlaceGripForce } from '../src/index.js';
import { makeSim, obsIndex, repeatAction } from './helpers.js';
import { runScenario, SCENARIOS } from '../src/scenarios/index.js';

const GRAVITY = 9.81;

describe('mujoco backend: physics', () => {
  it('a cube resting on the table settles at z = edge/2 ± 1 mm, its contacts at the bottom face carrying m·g', async () => {
    for (const edge of [0.03, 0.06]) {
      const sim = await makeSim({ backend: 'mujoco', numWorlds: 1, randomization: { preset: 'narrow', cubeEdge: edge, cubeMass: 0.3, handZ: 0.3 } });
      let r = await sim.reset();
      const idle = repeatAction(1, [0, 0, 0, 0, 0, 0, -1]);
      for (let i = 0; i < 20; i++) r = await sim.step(idle);
      const z = obsIndex(sim, 'cube_pos_z');
      expect(Math.abs(r.obs[z] - edge / 2)).toBeLessThan(0.001);
      const settled = Array.from(r.obs.slice(z - 2, z + 1));
      for (let i = 0; i < 60; i++) r = await sim.step(idle);
      const later = r.obs.slice(z - 2, z + 1);
      expect(Math.hypot(later[0] - settled[0], later[1] - settled[1], later[2] - settled[2])).toBeLessThan(0.001);
      expect(r.signals[SIGNAL.isAtRest]).toBe(1);
      const table = (await sim.contacts(0)).filter((c) => c.bodyA === 'cube' && c.bodyB === 'table');
      expect(table.length).toBeGreaterThanOrEqual(3);
      let total = 0;
      for (const c of table) {
        expect(Math.abs(c.point[2])).toBeLessThan(0.003);
        expect(c.normal[2]).toBeGreaterThan(0.999);
        expect(c.separation).toBeLessThan(0.001);
        total += c.normalForce;
      }
      expect(Math.abs(total / (0.3 * GRAVITY) - 1)).toBeLessThan(0.05);
      await sim.dispose();
    }
  });

  it("the hand follows its target without sagging, holding a 0.5 kg cube; each pad squeezes within the finger force limit", async () => {
    const sim = await makeSim({
      backend: 'mujoco',
      numWorlds: 1,
      actionMode: 'absolute',
      randomization: { preset: 'narrow', cubeX: 0.45, cubeY: -0.1, cubeEdge: 0.05, cubeMass: 0.5, cubeFriction: 0.8, handX: 0.45, handY: -0.1, handZ: 0.15 },
    });
    let r = await sim.reset();
    const goTo = async (z: number, gripper: number, steps: number) => {
      for (let i = 0; i < steps; i++) r = await sim.step(repeatAction(1, [0.45, -0.1, z, 0, 0, 0, gripper]));
    };
    await goTo(0.025, -1, 10);
    await goTo(0.025, 1, 10);
    await goTo(0.15, 1, 20);
    const ee = obsIndex(sim, 'ee_pos_x');
    expect(r.signals[SIGNAL.isGrasped]).toBe(1);
    expect(r.signals[SIGNAL.isLifted]).toBe(1);
    // Kinematic-like: within 0.1 mm of the controller's target, the cube's weight on it.
    expect(Math.abs(r.obs[ee + 2] - 0.15)).toBeLessThan(1e-4);
    expect(Math.hypot(r.obs[ee] - 0.45, r.obs[ee + 1] + 0.1)).toBeLessThan(1e-4);
    const grip = pickPlaceGripForce(await sim.contacts(0));
    expect(grip.left).toBeGreaterThan(0.5 * PICK_PLACE_GEOMETRY.fingerMaxForce);
    expect(grip.left).toBeLessThan(1.05 * PICK_PLACE_GEOMETRY.fingerMaxForce);
    expect(grip.right).toBeLessThan(1.05 * PICK_PLACE_GEOMETRY.fingerMaxForce);
    await sim.dispose();
  });

  it("the expert's grasps: both pads push the cube from opposite sides and lift it off the table", async () => {
    const n = 2;
    const sim = await makeSim({ backend: 'mujoco', numWorlds: n, randomization: 'wide', seed: 3 });
    const expert = new PickPlaceExpert(n, 3);
    const act = new Float32Array(n * 7);
    const ns = sim.spec.signalNames.length;
    let r = await sim.reset();
    const checked = new Array<boolean>(n).fill(false);
    for (let s = 0; s < 120 && checked.some((c) => !c); s++) {
      r = await sim.step(expert.act(r.obs, sim.spec.obsSize, sim.paramTable, r.episode, r.stepCount, act));
      for (let w = 0; w < n; w++) {
        if (checked[w] || !r.signals[w * ns + SIGNAL.isGrasped] || !r.signals[w * ns + SIGNAL.isLifted]) continue;
        checked[w] = true;
        const contacts = await sim.contacts(w);
        const fingers = contacts.filter((c) => c.bodyA === 'cube' && c.bodyB.startsWith('finger') && c.normalForce > 1e-3);
        const normalOf = (finger: string) => fingers.find((c) => c.bodyB === finger)!.normal;
        const [nl, nr] = [normalOf('fingerLeft'), normalOf('fingerRight')];
        expect(nl[0] * nr[0] + nl[1] * nr[1] + nl[2] * nr[2]).toBeLessThan(-0.95);
        expect(contacts.filter((c) => c.bodyA === 'cube' && c.bodyB === 'table' && c.normalForce > 1e-3)).toEqual([]);
        const grip = pickPlaceGripForce(contacts);
        expect(grip.left + grip.right).toBeLessThan(2 * 1.05 * PICK_PLACE_GEOMETRY.fingerMaxForce);
      }
    }
    expect(checked).toEqual([true, true]);
    await sim.dispose();
  });

  // The referee against mechanics: the scenarios that pass in every world at the default timestep
  // (bench:scenarios -- --backends mujoco runs them all; see MujocoSettings.timestep).
  for (const id of ['rest', 'lift-hold', 'load-limit']) {
    it(`physical scenario ${id} passes in every world`, async () => {
      const report = await runScenario(SCENARIOS.find((s) => s.id === id)!, { backend: 'mujoco', numWorlds: 8 });
      expect(report.worlds.filter((w) => !w.pass)).toEqual([]);
    });
  }
});
