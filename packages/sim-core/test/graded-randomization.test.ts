import { describe, expect, it } from 'vitest';
import { uniformRange } from '../src/random/hash-prng.js';
import { pickPlaceTask } from '../src/tasks/pick-place/index.js';
import {
  drawPickPlaceParams,
  GRADED,
  MIXED,
  TIGHT,
  NARROW,
  NUM_PICK_PLACE_PARAMS,
  P,
  PICK_PLACE_PARAM_NAMES,
  WIDE,
  WIDEST,
  type PickPlaceRandomization,
} from '../src/tasks/pick-place/params.js';
import { makeSim } from './helpers.js';

const draw = (r: PickPlaceRandomization, seed: number, episode: number, world: number) => {
  const out = new Float32Array(NUM_PICK_PLACE_PARAMS);
  drawPickPlaceParams(r, seed, episode, world, out, 0);
  return out;
};

describe('graded randomizations: narrow at grade t = 0 to widest at t = 1 (presets graded and mixed)', () => {
  it('an ungraded preset draws the same bits as a plain uniform range per parameter', () => {
    for (let world = 0; world < 200; world++) {
      const got = draw(WIDE, 7, 3, world);
      const want = Float32Array.from(PICK_PLACE_PARAM_NAMES, (n, id) => uniformRange(WIDE[n].min, WIDE[n].max, 7, 3, world, id));
      expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer)), `world ${world}`).toBe(true);
    }
  });

  it('every parameter lies within the hull of the narrow and widest ranges, and the mix has the documented thirds', () => {
    const n = 6000;
    let nearYaw = 0;
    let farCube = 0;
    let pureNarrow = 0;
    let pureWidest = 0;
    for (let world = 0; world < n; world++) {
      const p = draw(GRADED, 11, 0, world);
      PICK_PLACE_PARAM_NAMES.forEach((name, id) => {
        const lo = Math.min(NARROW[name].min, WIDEST[name].min);
        const hi = Math.max(NARROW[name].max, WIDEST[name].max);
        expect(p[id] >= lo - 1e-6 && p[id] <= hi + 1e-6, `world ${world} ${name} = ${p[id]}`).toBe(true);
      });
      if (Math.abs(p[P.handYaw]) < 0.1) nearYaw++;
      if (Math.abs(p[P.cubeX] - 0.45) > 0.2) farCube++;
      // t = 0 draws narrow's fixed values exactly; only t = 1 reaches a mass above 0.99 kg
      // (at grade t the mass range is 0.2 … 0.2 + 0.8·t, so mass > 0.99 needs t > 0.9875).
      if (p[P.binX] === Math.fround(NARROW.binX.min) && p[P.handYaw] === 0) pureNarrow++;
      if (p[P.cubeMass] > 0.99) pureWidest++;
    }
    // t = clamp(U(−1, 2), 0, 1): a third at t = 0, a third at t = 1, a third uniform between.
    expect(Math.abs(pureNarrow / n - 1 / 3)).toBeLessThan(0.025);
    // Mass > 0.99 kg: t = 1 gives 0.01/0.95 of a third; the graded third adds about 1e-4.
    expect(Math.abs(pureWidest / n - (0.01 / 0.95) / 3)).toBeLessThan(0.004);
    // handYaw ~ U(±t·π/2). P(|yaw| < 0.1) is 1 at t = 0, c = 0.1/(π/2) = 0.0637 at t = 1 and
    // c(1 + ln(1/c)) = 0.239 for t ~ U(0, 1): (1 + 0.0637 + 0.239)/3 = 0.434. Standard error 0.0064.
    expect(Math.abs(nearYaw / n - 0.434)).toBeLessThan(0.025);
    // cubeX ~ U(0.45 ± (0.08 + 0.17·t)): |x − 0.45| > 0.2 has probability 0 at t = 0, 0.2 at
    // t = 1 and 0.0316 for t ~ U(0, 1) (t > 12/17, then 1 − 0.2/(0.08 + 0.17t)): 0.0772 in all.
    expect(Math.abs(farCube / n - 0.0772)).toBeLessThan(0.012);
  });

  it("'mixed' makes 30 % pure narrow and 70 % pure tight worlds", () => {
    const n = 6000;
    let narrow = 0;
    let spreadHandYaw = 0;
    for (let world = 0; world < n; world++) {
      const p = draw(MIXED, 5, 2, world);
      const isNarrow = p[P.binX] === Math.fround(NARROW.binX.min) && p[P.handYaw] === 0 && p[P.cubeEdge] === Math.fround(0.045);
      if (isNarrow) {
        narrow++;
        expect(Math.abs(p[P.cubeX] - 0.45)).toBeLessThanOrEqual(0.08 + 1e-6);
      } else {
        // A tight world: every parameter within tight's ranges.
        PICK_PLACE_PARAM_NAMES.forEach((name, id) => {
          expect(p[id] >= TIGHT[name].min - 1e-6 && p[id] <= TIGHT[name].max + 1e-6, `world ${world} ${name}`).toBe(true);
        });
        if (Math.abs(p[P.handYaw]) > Math.PI / 4) spreadHandYaw++;
      }
    }
    // Binomial(6000, 0.3): standard error 0.0059.
    expect(Math.abs(narrow / n - 0.3)).toBeLessThan(0.025);
    // Tight worlds draw handYaw uniformly over ±π/2: half of them beyond ±π/4.
    expect(Math.abs(spreadHandYaw / (n - narrow) - 0.5)).toBeLessThan(0.04);
  });

  it('overrides apply at every grade; an explicit grade is validated and names the bad field; a resolved table resolves to itself', () => {
    const r = pickPlaceTask.resolveRandomization({ preset: 'graded', cubeMass: 0.3 });
    expect(r.cubeMass).toEqual({ min: 0.3, max: 0.3 });
    expect(r.grade?.to.cubeMass).toEqual({ min: 0.3, max: 0.3 });
    expect(r.grade?.to.cubeEdge).toEqual(WIDEST.cubeEdge);
    for (let world = 0; world < 50; world++) expect(draw(r, 1, 0, world)[P.cubeMass]).toBeCloseTo(0.3, 6);
    expect(pickPlaceTask.resolveRandomization(JSON.parse(JSON.stringify(GRADED)))).toEqual(GRADED);
    expect(pickPlaceTask.resolveRandomization('widest').grade).toBeUndefined();
    expect(() => pickPlaceTask.resolveRandomization({ ...GRADED, grade: { ...GRADED.grade, t: { min: 0, max: 150 } } })).toThrow(
      /grade\.t\.max.*\[-100, 100\]/,
    );
    expect(() => pickPlaceTask.resolveRandomization({ ...GRADED, grade: { ...GRADED.grade, t: { min: 0.8, max: 0.2 } } })).toThrow(
      /grade\.t\.min.*must not exceed max/,
    );
    expect(() => pickPlaceTask.resolveRandomization({ ...MIXED, grade: { ...MIXED.grade, t: { min: 0, max: 1 } } })).toThrow(
      /grade.*exactly one of weight and t/,
    );
    expect(() => pickPlaceTask.resolveRandomization({ ...MIXED, grade: { ...MIXED.grade, weight: 1.2 } })).toThrow(/grade\.weight.*\[0, 1\]/);
    expect(pickPlaceTask.resolveRandomization(JSON.parse(JSON.stringify(MIXED)))).toEqual(MIXED);
  });

  for (const [preset, randomization] of [['graded', GRADED], ['mixed', MIXED]] as const) {
    it(`webgpu draws the same bits as rapier for ${preset} worlds, on the first and a later episode`, async () => {
      const n = 96;
      const tables: Record<string, Float32Array[]> = {};
      for (const backend of ['rapier', 'webgpu'] as const) {
        const sim = await makeSim({ backend, numWorlds: n, randomization: preset, seed: 21 });
        // Poison the host table first: every entry must be rewritten by the reset.
        sim.paramTable.fill(Number.NaN);
        await sim.reset();
        const first = sim.paramTable.slice();
        await sim.reset({ episodes: new Uint32Array(n).fill(9) });
        tables[backend] = [first, sim.paramTable.slice()];
        await sim.dispose();
      }
      for (const k of [0, 1]) {
        const rapier = tables.rapier[k];
        expect(rapier.every(Number.isFinite)).toBe(true);
        expect(Buffer.from(tables.webgpu[k].buffer).equals(Buffer.from(rapier.buffer)), `reset ${k}`).toBe(true);
        // And both are the TS draw.
        const want = new Float32Array(n * NUM_PICK_PLACE_PARAMS);
        for (let w = 0; w < n; w++) drawPickPlaceParams(randomization, 21, k === 0 ? 0 : 9, w, want, w * NUM_PICK_PLACE_PARAMS);
        expect(Buffer.from(rapier.buffer).equals(Buffer.from(want.buffer))).toBe(true);
      }
    });
  }
});
