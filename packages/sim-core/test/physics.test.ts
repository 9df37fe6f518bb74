import { describe, expect, it } from 'vitest';
import { loadRapier } from '../src/backends/rapier/rapier-module.js';
import { RapierWorld } from '../src/backends/rapier/rapier-world.js';
import { DEFAULT_PHYSICS, NARROW, BODY, BODY_STATE_SIZE } from '../src/index.js';
import { buildPickPlaceScene } from '../src/tasks/pick-place/scene.js';
import { drawPickPlaceParams, NUM_PICK_PLACE_PARAMS, P } from '../src/tasks/pick-place/params.js';
import { makeSim, obsIndex, repeatAction } from './helpers.js';

const BACKENDS = ['rapier', 'webgpu', 'mujoco'] as const;

describe('Rapier pick-place physics', () => {
  // Scenario tests through the Sim API run on both backends (webgpu on SwiftShader in CI).
  it('a cube dropped from 5 cm settles at z = half-edge ± 1 mm and drifts < 1 mm over 5 s', async () => {
    const rapier = await loadRapier();
    for (const edge of [0.03, 0.06]) {
      const params = new Float32Array(NUM_PICK_PLACE_PARAMS);
      drawPickPlaceParams(NARROW, 0, 0, 0, params, 0);
      params[P.cubeEdge] = edge;
      params[P.handZ] = 0.35;
      const scene = buildPickPlaceScene(params);
      const cube = scene.bodies[BODY.cube];
      const dropped = { ...scene, bodies: scene.bodies.map((b, i) => (i === BODY.cube ? { ...b, position: [cube.position[0], cube.position[1], edge / 2 + 0.05] as const } : b)) };
      const world = RapierWorld.build(rapier, dropped, DEFAULT_PHYSICS);
      const state = new Float64Array(scene.bodies.length * BODY_STATE_SIZE);
      const pose = [params[P.handX], params[P.handY], params[P.handZ], 0, 0, 0, 1];
      const stepSeconds = (seconds: number) => {
        for (let i = 0; i < seconds * DEFAULT_PHYSICS.controlHz; i++) world.stepControl(pose, 0, pose, 0);
        world.readBodies(state, 0);
        const c = BODY.cube * BODY_STATE_SIZE;
        return [state[c], state[c + 1], state[c + 2]];
      };
      const settled = stepSeconds(1);
      expect(Math.abs(settled[2] - edge / 2)).toBeLessThan(0.001);
      const later = stepSeconds(5);
      expect(Math.hypot(later[0] - settled[0], later[1] - settled[1], later[2] - settled[2])).toBeLessThan(0.001);
      world.free();
    }
  });

  for (const backend of BACKENDS) for (const edge of [0.03, 0.06]) {
    for (const mass of [0.05, 0.5]) {
      it(`${backend}: grasp–lift–hold: edge ${edge} m, mass ${mass} kg slips < 5 mm carried at 0.3 m/s for 5 s`, async () => {
        const sim = await makeSim({
          backend,
          numWorlds: 1,
          actionMode: 'absolute',
          maxEpisodeSteps: 1000,
          randomization: { preset: 'narrow', cubeX: 0.45, cubeY: -0.1, cubeEdge: edge, cubeMass: mass, cubeFriction: 0.5, handX: 0.45, handY: -0.1, handZ: 0.15 },
        });
        let r = await sim.reset();
        const grasp = Math.max(0.023, edge / 2);
        const goTo = async (x: number, y: number, z: number, gripper: number, steps: number) => {
          for (let i = 0; i < steps; i++) r = await sim.step(repeatAction(1, [x, y, z, 0, 0, 0, gripper]));
        };
        await goTo(0.45, -0.1, grasp, -1, 10);
        await goTo(0.45, -0.1, grasp, 1, 10);
        await goTo(0.45, -0.1, grasp + 0.1, 1, 10);
        const rel = obsIndex(sim, 'cube_to_ee_x');
        const start = Array.from(r.obs.slice(rel, rel + 3));
        expect(r.signals[sim.spec.signalNames.indexOf('isGrasped')]).toBe(1);
        let maxSlip = 0;
        let y = -0.1;
        for (let i = 0; i < 100; i++) {
          y += (Math.floor(i / 25) % 2 === 0 ? 1 : -1) * 0.015; // 0.3 m/s along the closing axis
          await goTo(0.45, y, grasp + 0.1, 1, 1);
          const now = r.obs.slice(rel, rel + 3);
          maxSlip = Math.max(maxSlip, Math.hypot(now[0] - start[0], now[1] - start[1], now[2] - start[2]));
        }
        expect(maxSlip).toBeLessThan(0.005);
        expect(r.obs[obsIndex(sim, 'cube_pos_z')]).toBeGreaterThan(edge / 2 + 0.09);
        await sim.dispose();
      });
    }
  }

  for (const backend of BACKENDS) it(`${backend}: a cube pushed by the closed gripper slides, then comes to rest after the push`, async () => {
    const sim = await makeSim({
      backend,
      numWorlds: 1,
      actionMode: 'absolute',
      maxEpisodeSteps: 1000,
      randomization: { preset: 'narrow', cubeX: 0.45, cubeY: -0.1, cubeEdge: 0.04, cubeMass: 0.2, cubeFriction: 0.6, handX: 0.35, handY: -0.1, handZ: 0.15 },
    });
    let r = await sim.reset();
    const cubeX = obsIndex(sim, 'cube_pos_x');
    const goTo = async (x: number, z: number, steps: number) => {
      for (let i = 0; i < steps; i++) r = await sim.step(repeatAction(1, [x, -0.1, z, 0, 0, 0, 1]));
    };
    await goTo(0.35, 0.03, 10);
    const before = r.obs[cubeX];
    for (let x = 0.36; x <= 0.5 + 1e-9; x += 0.01) await goTo(x, 0.03, 1);
    await goTo(0.5, 0.15, 6); // lift away: the push has ended
    const pushed = r.obs[cubeX];
    expect(pushed - before).toBeGreaterThan(0.03);
    await goTo(0.5, 0.15, 20);
    const rest = Array.from(r.obs.slice(cubeX, cubeX + 3));
    await goTo(0.5, 0.15, 20);
    const later = Array.from(r.obs.slice(cubeX, cubeX + 3));
    expect(Math.hypot(later[0] - rest[0], later[1] - rest[1], later[2] - rest[2])).toBeLessThan(0.0005);
    expect(r.signals[sim.spec.signalNames.indexOf('isAtRest')]).toBe(1);
    await sim.dispose();
  });

  for (const backend of BACKENDS) {
    it(`${backend}: a cube thrown up to 5 cm above the table settles at z = half-edge ± 1 mm and drifts < 1 mm over 5 s`, async () => {
      for (const edge of [0.03, 0.06]) {
        const sim = await makeSim({
          backend,
          numWorlds: 1,
          maxEpisodeSteps: 1000,
          randomization: { preset: 'narrow', cubeEdge: edge, handZ: 0.35 },
        });
        let r = await sim.reset();
        const cube = obsIndex(sim, 'cube_pos_x');
        // Launch the resting cube upward so it rises 5 cm and drops from there.
        await sim.perturb(0, { body: 'cube', linearVelocity: [0, 0, Math.sqrt(2 * 9.81 * 0.05)], angularVelocity: [0, 0, 0] });
        const idle = repeatAction(1, [0, 0, 0, 0, 0, 0, -1]);
        let peak = 0;
        for (let i = 0; i < 20; i++) {
          r = await sim.step(idle);
          peak = Math.max(peak, r.obs[cube + 2]);
        }
        expect(peak).toBeGreaterThan(edge / 2 + 0.03);
        const settled = Array.from(r.obs.slice(cube, cube + 3));
        expect(Math.abs(settled[2] - edge / 2)).toBeLessThan(0.001);
        for (let i = 0; i < 100; i++) r = await sim.step(idle);
        const later = r.obs.slice(cube, cube + 3);
        expect(Math.hypot(later[0] - settled[0], later[1] - settled[1], later[2] - settled[2])).toBeLessThan(0.001);
        await sim.dispose();
      }
    });
  }
});
