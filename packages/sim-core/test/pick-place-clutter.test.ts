import { describe, expect, it } from 'vitest';
import { BODY_STATE_SIZE, createSim, getTask, PICK_PLACE_GEOMETRY as G, shapeHalfExtents, type SceneDesc, type Sim } from '../src/index.js';
import { parkingSpot } from '../src/tasks/pick-place-clutter/distractors.js';
import { BIN_CLEARANCE, DISTRACTOR_GAP, TARGET_CLEARANCE } from '../src/tasks/pick-place-clutter/placement.js';

const task = getTask('pick-place-clutter');
const pickPlace = getTask('pick-place');
const DISTRACTOR_NAMES = ['box0', 'cylinder0', 'box1', 'cylinder1', 'box2', 'cylinder2', 'box3', 'cylinder3'];

/** World `world`'s parameters and scene in episode `episode`. */
function world(preset: string, seed: number, episode: number, w: number): { params: Float32Array; scene: SceneDesc } {
  const params = new Float32Array(task.paramNames.length);
  task.drawParams(task.resolveRandomization(preset), seed, episode, w, params, 0);
  return { params, scene: task.buildScene(params, 0) };
}

/** Radius of the circle holding a distractor body's footprint at any yaw. */
function footprint(scene: SceneDesc, name: string): number {
  const shape = scene.bodies.find((b) => b.name === name)!.shapes[0];
  const [hx, hy] = shapeHalfExtents(shape);
  return shape.type === 'cylinder' ? hx : Math.hypot(hx, hy);
}

const param = (params: Float32Array, name: string) => params[task.paramNames.indexOf(name)];

/** Runs the task's expert for one episode; returns the worlds that succeeded at some step. */
async function expertSuccesses(sim: Sim): Promise<number> {
  const n = sim.spec.numWorlds;
  const expert = task.expert!(n, sim.spec.seed);
  const actions = new Float32Array(n * sim.spec.actionSize);
  let r = await sim.reset();
  const ever = new Uint8Array(n);
  for (let s = 0; s < sim.spec.maxEpisodeSteps; s++) {
    r = await sim.step(expert.act(r.obs, sim.spec.obsSize, sim.paramTable, r.episode, r.stepCount, actions));
    for (let w = 0; w < n; w++) ever[w] |= r.success[w];
  }
  return ever.reduce((a, b) => a + b, 0);
}

describe('pick-place-clutter', () => {
  it("is pick-place's task among distractors: its presets, signals, subtasks and the leading parameter columns are pick-place's", () => {
    expect(task.defaultPreset).toBe('wide');
    expect(task.demoPreset).toBe('narrow');
    expect(Object.keys(task.presets)).toEqual(['narrow', 'wide']);
    expect(task.signalNames).toEqual(pickPlace.signalNames);
    expect(task.datagen).toEqual(pickPlace.datagen);
    expect(task.gpu).toBeUndefined();
    expect(task.paramNames.slice(0, pickPlace.paramNames.length)).toEqual(pickPlace.paramNames);
    expect(task.obsNames.slice(0, pickPlace.obsNames.length)).toEqual(pickPlace.obsNames);
    // The same (seed, episode, world) draws the same cube, bin and gripper start as pick-place.
    for (const preset of ['narrow', 'wide']) {
      for (let w = 0; w < 20; w++) {
        const ours = world(preset, 7, 2, w).params;
        const theirs = new Float32Array(pickPlace.paramNames.length);
        pickPlace.drawParams(pickPlace.resolveRandomization(preset), 7, 2, w, theirs, 0);
        expect(Array.from(ours.subarray(0, theirs.length))).toEqual(Array.from(theirs));
      }
    }
  });

  it('every world has the same bodies; each object is observed by name and coloured by a <body>Hue parameter', () => {
    const reference = world('wide', 0, 0, 0).scene;
    expect(reference.bodies.length).toBe(task.numBodies);
    for (const preset of ['narrow', 'wide']) {
      for (let w = 0; w < 50; w++) {
        const { scene } = world(preset, 1, w % 3, w);
        expect(scene.bodies.map((b) => [b.name, b.kind, b.shapes.map((s) => s.type).join()])).toEqual(
          reference.bodies.map((b) => [b.name, b.kind, b.shapes.map((s) => s.type).join()]),
        );
        expect(scene.joints.map((j) => [j.body1, j.body2])).toEqual(reference.joints.map((j) => [j.body1, j.body2]));
      }
    }
    const objects = reference.bodies.filter((b) => b.kind === 'dynamic' && !b.name.startsWith('finger')).map((b) => b.name);
    expect(objects).toEqual(['cube', ...DISTRACTOR_NAMES]);
    expect(reference.bodies.filter((b) => b.shapes[0].type === 'cylinder').map((b) => b.name)).toEqual(DISTRACTOR_NAMES.filter((n) => n.startsWith('cylinder')));
    for (const o of objects) {
      for (const e of ['pos_x', 'pos_y', 'pos_z', 'quat_x', 'quat_y', 'quat_z', 'quat_w']) expect(task.obsNames).toContain(`${o}_${e}`);
      expect(task.paramNames).toContain(`${o}Hue`);
    }
  });

  it('distractors start clear of the cube, the bin and each other; 3–8 in play (wide), 5 (narrow); the rest parked out of reach', () => {
    const counts = new Map<number, number>();
    for (const preset of ['narrow', 'wide']) {
      for (let w = 0; w < 1500; w++) {
        const { params, scene } = world(preset, 3, w % 4, w);
        const count = param(params, 'distractorCount');
        if (preset === 'narrow') expect(count).toBe(5);
        else counts.set(count, (counts.get(count) ?? 0) + 1);
        const cube = [param(params, 'cubeX'), param(params, 'cubeY')];
        const bin = [param(params, 'binX'), param(params, 'binY')];
        const binOuter = G.binInnerHalfSize + 2 * G.binWallHalfThickness;
        const placed: { x: number; y: number; r: number }[] = [];
        DISTRACTOR_NAMES.forEach((name, slot) => {
          const body = scene.bodies.find((b) => b.name === name)!;
          const [x, y, z] = body.position;
          const r = footprint(scene, name);
          // Resting on the table (its centre half its height up).
          expect(z).toBeCloseTo(shapeHalfExtents(body.shapes[0])[2], 6);
          if (slot >= count) {
            expect([x, y]).toEqual(parkingSpot(slot).map(Math.fround));
            // Behind the workspace's x limit, clear of the reach of the fingers (1 cm) and palm (1.5 cm).
            expect(x + r).toBeLessThan(0.05 - 0.015);
            return;
          }
          expect(Math.hypot(x - cube[0], y - cube[1]) - r).toBeGreaterThanOrEqual(TARGET_CLEARANCE - 1e-6);
          const dx = Math.max(Math.abs(x - bin[0]) - binOuter, 0), dy = Math.max(Math.abs(y - bin[1]) - binOuter, 0);
          expect(Math.hypot(dx, dy) - r).toBeGreaterThanOrEqual(BIN_CLEARANCE - 1e-6);
          for (const q of placed) expect(Math.hypot(x - q.x, y - q.y) - r - q.r).toBeGreaterThanOrEqual(DISTRACTOR_GAP - 1e-6);
          placed.push({ x, y, r });
        });
      }
    }
    // Every count from 3 to 8 comes up, each about a sixth of the time.
    expect([...counts.keys()].sort()).toEqual([3, 4, 5, 6, 7, 8]);
    for (const n of counts.values()) expect(Math.abs(n / 1500 - 1 / 6)).toBeLessThan(0.04);
  });

  it("a world's draw is a pure function of (seed, episode, world), whatever the batch", async () => {
    const small = await createSim({ task: task.id, numWorlds: 4, backend: 'rapier', seed: 11, threads: 0 });
    const large = await createSim({ task: task.id, numWorlds: 64, backend: 'rapier', seed: 11, threads: 0 });
    await small.reset();
    await large.reset();
    for (let w = 0; w < 4; w++) {
      expect(small.params(w)).toEqual(large.params(w));
      expect(Array.from(world('wide', 11, 0, w).params)).toEqual(task.paramNames.map((n) => large.params(w)[n]));
    }
    await small.dispose();
    await large.dispose();
  });

  for (const backend of ['rapier', 'mujoco'] as const) {
    it(`${backend}: left alone, every object rests where it was put (< 2 mm in 2 s) and is observed at its body's pose`, async () => {
      const sim = await createSim({ task: task.id, numWorlds: 16, backend, seed: 5, threads: 0, randomization: 'wide' });
      const r0 = await sim.reset();
      const start = Array.from({ length: 16 }, (_, w) => sim.bodyStates(w).slice());
      const idle = new Float32Array(16 * 7).fill(0);
      for (let w = 0; w < 16; w++) idle[w * 7 + 6] = -1;
      let r = r0;
      for (let s = 0; s < 40; s++) r = await sim.step(idle);
      expect(Array.from(r.fault)).toEqual(new Array(16).fill(0));
      const bodies = sim.spec.bodyNames;
      for (let w = 0; w < 16; w++) {
        const now = sim.bodyStates(w);
        for (const name of ['cube', ...DISTRACTOR_NAMES]) {
          const b = bodies.indexOf(name) * BODY_STATE_SIZE;
          expect(Math.hypot(now[b] - start[w][b], now[b + 1] - start[w][b + 1], now[b + 2] - start[w][b + 2])).toBeLessThan(0.002);
          const o = w * sim.spec.obsSize + sim.spec.obsNames.indexOf(`${name}_pos_x`);
          for (let i = 0; i < 7; i++) expect(r.obs[o + i]).toBeCloseTo(now[b + i], 6);
        }
      }
      await sim.dispose();
    });
  }

  it('rapier: the scripted expert succeeds in ≥ 95 % of 500 wide worlds (seed 0)', async () => {
    const sim = await createSim({ task: task.id, numWorlds: 500, backend: 'rapier', seed: 0, threads: 2, randomization: 'wide' });
    const successes = await expertSuccesses(sim);
    expect(successes / 500).toBeGreaterThanOrEqual(0.95);
    await sim.dispose();
  });

  it('mujoco: the scripted expert succeeds in ≥ 90 % of 32 wide worlds (seed 0)', async () => {
    const sim = await createSim({ task: task.id, numWorlds: 32, backend: 'mujoco', seed: 0, threads: 2, randomization: 'wide' });
    expect((await expertSuccesses(sim)) / 32).toBeGreaterThanOrEqual(0.9);
    await sim.dispose();
  });
});
