import { describe, expect, it } from 'vitest';
import { BODY_STATE_SIZE, createSim, getTask, obsPoseSlot, type Task, type WorldView } from '../src/index.js';

/**
 * The cube-stacking tasks (MimicGen's Stack and StackThree): their signals in hand-built
 * states (expected values from the geometry of resting cubes), their reset draw, and their
 * scripted experts on Rapier.
 */

const quatAboutZ = (angle: number) => [0, 0, Math.sin(angle / 2), Math.cos(angle / 2)];
const quatAboutX = (angle: number) => [Math.sin(angle / 2), 0, 0, Math.cos(angle / 2)];

/** A hand-built world of `task`: cube edges set, every cube far apart on the table, at rest. */
class HandBuiltWorld {
  readonly params: Float32Array;
  readonly bodies: Float32Array;
  readonly contacts: Uint8Array;
  private readonly bodyIndex: Map<string, number>;
  private readonly queries: (readonly [number, number])[];

  constructor(
    readonly task: Task,
    edges: Record<string, number>,
  ) {
    this.params = new Float32Array(task.paramNames.length);
    task.drawParams(task.resolveRandomization('narrow'), 0, 0, 0, this.params, 0);
    for (const [cube, edge] of Object.entries(edges)) this.params[task.paramNames.indexOf(`${cube}Edge`)] = edge;
    const scene = task.buildScene(this.params, 0);
    this.bodyIndex = new Map(scene.bodies.map((b, i) => [b.name, i]));
    this.queries = scene.contactQueries.map((q) => [q[0], q[1]] as const);
    this.bodies = new Float32Array(task.numBodies * BODY_STATE_SIZE);
    this.contacts = new Uint8Array(this.queries.length);
    Object.keys(edges).forEach((cube, k) => this.place(cube, [0.3 + 0.15 * k, 0.3, edges[cube] / 2]));
    this.place('hand', [0.45, 0, 0.3]);
  }

  /** Half the edge of `cube`. */
  half(cube: string): number {
    return this.params[this.task.paramNames.indexOf(`${cube}Edge`)] / 2;
  }

  /** Puts body `name` at `position` with orientation `quat`, velocity `velocity`. */
  place(name: string, position: readonly number[], quat: readonly number[] = [0, 0, 0, 1], velocity: readonly number[] = [0, 0, 0]): this {
    const o = this.index(name) * BODY_STATE_SIZE;
    this.bodies.set([...position, ...quat, ...velocity, 0, 0, 0], o);
    return this;
  }

  /** Sets the contact flag of finger `finger` against `cube`. */
  touch(finger: 'fingerLeft' | 'fingerRight', cube: string, on = true): this {
    const f = this.index(finger), c = this.index(cube);
    const q = this.queries.findIndex(([a, b]) => a === f && b === c);
    if (q < 0) throw new Error(`no contact query between ${finger} and ${cube}`);
    this.contacts[q] = on ? 1 : 0;
    return this;
  }

  /** Pinches `cube` with both pads. */
  pinch(cube: string): this {
    return this.touch('fingerLeft', cube).touch('fingerRight', cube);
  }

  /** The task's signals in this state, by name. */
  signals(): Record<string, boolean> {
    const view: WorldView = {
      bodies: this.bodies,
      bodiesOffset: 0,
      contacts: this.contacts,
      contactsOffset: 0,
      params: this.params,
      paramsOffset: 0,
      controller: new Float64Array(8),
      controllerOffset: 0,
      jointTravel: [0.02, 0.02],
    };
    const out = new Uint8Array(this.task.signalNames.length);
    const success = this.task.evaluate(view, { signals: out, signalsOffset: 0 });
    expect(out[0] === 1).toBe(success);
    return Object.fromEntries(this.task.signalNames.map((n, i) => [n, out[i] === 1]));
  }

  private index(name: string): number {
    const i = this.bodyIndex.get(name);
    if (i === undefined) throw new Error(`no body ${name}`);
    return i;
  }
}

describe('stack', () => {
  const task = getTask('stack');
  const world = () => new HandBuiltWorld(task, { cubeA: 0.04, cubeB: 0.05 });
  /** A resting on B: A's bottom on B's top face (z = edge_B + edge_A / 2). */
  const aOnB = (w: HandBuiltWorld, dx = 0, dy = 0) => w.place('cubeB', [0.45, 0, w.half('cubeB')]).place('cubeA', [0.45 + dx, dy, 2 * w.half('cubeB') + w.half('cubeA')]);

  it('names success first, then the signals its datagen subtasks end on', () => {
    expect(task.signalNames[0]).toBe('success');
    expect(task.signalNames).toEqual(expect.arrayContaining(['isGraspedA', 'aOnB', 'isAtRest']));
    expect(task.datagen?.subtasks.map((s) => [s.name, s.object, s.endSignal])).toEqual([
      ['grasp', 'cubeA', 'isGraspedA'],
      ['place', 'cubeB', null],
    ]);
    for (const object of task.datagen?.objects ?? []) expect(() => obsPoseSlot(task.obsNames, object)).not.toThrow();
    expect(task.defaultPreset).toBe('wide');
    expect(task.demoPreset).toBe('narrow');
  });

  it('A resting on B, released and still, is a success', () => {
    const s = aOnB(world(), 0.006, -0.004).signals();
    expect(s).toMatchObject({ success: true, aOnB: true, isGraspedA: false, isLiftedA: true, isAtRest: true });
  });

  it('A beside B on the table is not', () => {
    const w = world();
    w.place('cubeB', [0.45, 0, w.half('cubeB')]).place('cubeA', [0.45 + w.half('cubeB') + w.half('cubeA') + 0.01, 0, w.half('cubeA')]);
    expect(w.signals()).toMatchObject({ success: false, aOnB: false, isLiftedA: false });
  });

  it('A on B while both pads pinch it is not (one pad touching is no grasp)', () => {
    expect(aOnB(world()).pinch('cubeA').signals()).toMatchObject({ success: false, aOnB: false, isGraspedA: true });
    expect(aOnB(world()).touch('fingerLeft', 'cubeA').signals()).toMatchObject({ success: true, isGraspedA: false });
  });

  it('A hovering 1 cm over B, A off B’s top face, or A still moving is not', () => {
    const hovering = world();
    aOnB(hovering).place('cubeA', [0.45, 0, 2 * hovering.half('cubeB') + hovering.half('cubeA') + 0.01]);
    expect(hovering.signals()).toMatchObject({ success: false, aOnB: false });
    // Centre 2 mm beyond B's face: A would tip off.
    const overhanging = world();
    expect(aOnB(overhanging, overhanging.half('cubeB') + 0.002).signals()).toMatchObject({ success: false, aOnB: false });
    const moving = world();
    aOnB(moving).place('cubeA', [0.45, 0, 2 * moving.half('cubeB') + moving.half('cubeA')], [0, 0, 0, 1], [0.1, 0, 0]);
    expect(moving.signals()).toMatchObject({ success: false, aOnB: true, isAtRest: false });
  });

  it("B's top face is found whichever way B is turned", () => {
    // B turned 45° about z: 1.2·h_B along x lies within its face (at 0.85·h_B along both of its axes).
    const turned = world();
    const hB = turned.half('cubeB');
    turned.place('cubeB', [0.45, 0, hB], quatAboutZ(Math.PI / 4)).place('cubeA', [0.45 + 1.2 * hB, 0, 2 * hB + turned.half('cubeA')]);
    expect(turned.signals()).toMatchObject({ success: true, aOnB: true });
    // The same offset is off an unturned B.
    expect(aOnB(world(), 1.2 * hB).signals()).toMatchObject({ aOnB: false });
    // B on its side (a quarter turn about x): its y face is on top, still a 5 cm square.
    const onSide = world();
    onSide.place('cubeB', [0.45, 0, hB], quatAboutX(Math.PI / 2)).place('cubeA', [0.45, 0.8 * hB, 2 * hB + onSide.half('cubeA')]);
    expect(onSide.signals()).toMatchObject({ success: true, aOnB: true });
  });

  it('A turned on B still rests on it: its lowest corner, not its centre, meets B', () => {
    const w = world();
    const hA = w.half('cubeA'), hB = w.half('cubeB');
    // A tilted 10° about x: its lowest point is h_A·(cos 10° + sin 10°) below its centre.
    const tilt = (10 * Math.PI) / 180;
    w.place('cubeB', [0.45, 0, hB]).place('cubeA', [0.45, 0, 2 * hB + hA * (Math.cos(tilt) + Math.sin(tilt))], quatAboutX(tilt));
    expect(w.signals()).toMatchObject({ aOnB: true });
  });
});

describe('stack-three', () => {
  const task = getTask('stack-three');
  const world = () => new HandBuiltWorld(task, { cubeA: 0.04, cubeB: 0.05, cubeC: 0.04 });
  /** A on B at the nominal point, C on A. */
  const stacked = (w: HandBuiltWorld) => {
    const hA = w.half('cubeA'), hB = w.half('cubeB'), hC = w.half('cubeC');
    return w
      .place('cubeB', [0.45, 0, hB])
      .place('cubeA', [0.452, 0.003, 2 * hB + hA], quatAboutZ(0.3))
      .place('cubeC', [0.449, 0.001, 2 * hB + 2 * hA + hC], quatAboutZ(-0.2));
  };

  it('has MimicGen’s four subtasks with their end signals', () => {
    expect(task.signalNames[0]).toBe('success');
    expect(task.datagen?.subtasks.map((s) => [s.object, s.endSignal])).toEqual([
      ['cubeA', 'isGraspedA'],
      ['cubeB', 'aOnB'],
      ['cubeC', 'isGraspedC'],
      ['cubeA', null],
    ]);
    for (const s of task.datagen?.subtasks ?? []) if (s.endSignal) expect(task.signalNames).toContain(s.endSignal);
    for (const object of task.datagen?.objects ?? []) expect(() => obsPoseSlot(task.obsNames, object)).not.toThrow();
  });

  it('C on A on B, released and still, is a success', () => {
    expect(stacked(world()).signals()).toMatchObject({ success: true, aOnB: true, cOnA: true, isGraspedA: false, isGraspedC: false });
  });

  it('A on B with C beside them is not, but A on B counts', () => {
    const w = stacked(world());
    w.place('cubeC', [0.3, 0.2, w.half('cubeC')]);
    expect(w.signals()).toMatchObject({ success: false, aOnB: true, cOnA: false, isLiftedC: false });
  });

  it('C on A while pinched is not; C on A with A fallen off B is not', () => {
    expect(stacked(world()).pinch('cubeC').signals()).toMatchObject({ success: false, isGraspedC: true, cOnA: false, aOnB: true });
    const fallen = world();
    const hA = fallen.half('cubeA');
    fallen.place('cubeB', [0.6, 0, fallen.half('cubeB')]).place('cubeA', [0.45, 0, hA]).place('cubeC', [0.45, 0, 2 * hA + fallen.half('cubeC')]);
    expect(fallen.signals()).toMatchObject({ success: false, aOnB: false, cOnA: true });
  });
});

describe('cube-stacking reset draw', () => {
  for (const id of ['stack', 'stack-three']) {
    it(`${id}: cubes never start overlapping, and a world's draw does not depend on the batch`, () => {
      const task = getTask(id);
      const letters = ['A', 'B', 'C'].filter((l) => task.paramNames.includes(`cube${l}X`));
      const col = (l: string, what: string) => task.paramNames.indexOf(`cube${l}${what}`);
      const n = task.paramNames.length;
      for (const preset of ['narrow', 'wide']) {
        const randomization = task.resolveRandomization(preset);
        const row = new Float32Array(n);
        let leastGap = Infinity;
        for (let world = 0; world < 2000; world++) {
          task.drawParams(randomization, 7, 2, world, row, 0);
          for (let i = 0; i < letters.length; i++) {
            for (let j = 0; j < i; j++) {
              const [a, b] = [letters[i], letters[j]];
              const centres = Math.hypot(row[col(a, 'X')] - row[col(b, 'X')], row[col(a, 'Y')] - row[col(b, 'Y')]);
              // Bounding circles of the footprints: half the diagonal, edge / √2.
              leastGap = Math.min(leastGap, centres - (row[col(a, 'Edge')] + row[col(b, 'Edge')]) / Math.SQRT2);
            }
          }
        }
        expect(leastGap).toBeGreaterThan(0);
        // World 17 alone and inside a batch of 64 draw the same row.
        const batch = new Float32Array(64 * n);
        for (let world = 0; world < 64; world++) task.drawParams(randomization, 7, 2, world, batch, world * n);
        task.drawParams(randomization, 7, 2, 17, row, 0);
        expect([...row]).toEqual([...batch.subarray(17 * n, 18 * n)]);
      }
    });
  }
});

describe('cube-stacking observation', () => {
  it("stack-three: each cube's drawn pose at cubeL_pos_* / cubeL_quat_*, the relative vectors, the open gripper", async () => {
    const sim = await createSim({ task: 'stack-three', numWorlds: 3, backend: 'rapier', threads: 0, seed: 4, randomization: 'wide' });
    try {
      const r = await sim.reset();
      const names = sim.spec.obsNames;
      for (let w = 0; w < 3; w++) {
        const obs = (name: string) => r.obs[w * sim.spec.obsSize + names.indexOf(name)];
        const p = sim.params(w);
        for (const l of ['A', 'B', 'C']) {
          // Resting on the table where drawn: centre at half the edge, turned by the drawn yaw.
          expect(obs(`cube${l}_pos_x`)).toBeCloseTo(p[`cube${l}X`], 5);
          expect(obs(`cube${l}_pos_y`)).toBeCloseTo(p[`cube${l}Y`], 5);
          expect(obs(`cube${l}_pos_z`)).toBeCloseTo(p[`cube${l}Edge`] / 2, 5);
          expect(Math.abs(obs(`cube${l}_quat_z`))).toBeCloseTo(Math.abs(Math.sin(p[`cube${l}Yaw`] / 2)), 5);
          for (const a of ['x', 'y', 'z']) expect(obs(`cube${l}_to_ee_${a}`)).toBeCloseTo(obs(`cube${l}_pos_${a}`) - obs(`ee_pos_${a}`), 5);
        }
        for (const [x, y] of [['A', 'B'], ['C', 'A']]) {
          for (const a of ['x', 'y', 'z']) expect(obs(`cube${x}_to_cube${y}_${a}`)).toBeCloseTo(obs(`cube${x}_pos_${a}`) - obs(`cube${y}_pos_${a}`), 5);
        }
        expect(obs('ee_pos_z')).toBeCloseTo(p.handZ, 5);
        expect(obs('gripper_opening')).toBeCloseTo(0.08, 4);
      }
    } finally {
      await sim.dispose();
    }
  });
});

describe('cube-stacking experts on Rapier', () => {
  for (const id of ['stack', 'stack-three']) {
    it(`${id}: the scripted expert succeeds on ≥ 95 % of 500 wide worlds (seed 0)`, async () => {
      const numWorlds = 500;
      const sim = await createSim({ task: id, numWorlds, backend: 'rapier', seed: 0, randomization: 'wide' });
      try {
        const expert = getTask(id).expert!(numWorlds, 0);
        const actions = new Float32Array(numWorlds * sim.spec.actionSize);
        const succeeded = new Uint8Array(numWorlds);
        let r = await sim.reset();
        for (let s = 0; s < sim.spec.maxEpisodeSteps; s++) {
          expert.act(r.obs, sim.spec.obsSize, sim.paramTable, r.episode, r.stepCount, actions);
          r = await sim.step(actions);
          for (let w = 0; w < numWorlds; w++) succeeded[w] |= r.success[w];
        }
        expect(succeeded.reduce((a, b) => a + b, 0) / numWorlds).toBeGreaterThanOrEqual(0.95);
      } finally {
        await sim.dispose();
      }
    }, 600_000);
  }
});
