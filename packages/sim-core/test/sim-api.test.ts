import { describe, expect, it } from 'vitest';
import { createSim, PickPlaceExpert } from '../src/index.js';
import { makeSim, repeatAction, runExpert } from './helpers.js';

describe('Sim API', () => {
  it('the scripted expert succeeds on ≥ 95% of 1000 wide worlds (seed 0)', async () => {
    const sim = await makeSim({ numWorlds: 1000, threads: 2, randomization: 'wide' });
    const { ever } = await runExpert(sim);
    const rate = ever.reduce((a, b) => a + b, 0) / 1000;
    expect(rate).toBeGreaterThanOrEqual(0.95);
    await sim.dispose();
  });

  it('is bit-identical over 200 steps with 1 and 2 threads', async () => {
    const runs = [];
    for (const threads of [1, 2]) {
      const sim = await makeSim({ numWorlds: 12, threads, randomization: 'wide', seed: 42 });
      runs.push((await runExpert(sim, 200, true)).obs);
      await sim.dispose();
    }
    expect(runs[0].length).toBe(200);
    for (let s = 0; s < 200; s++) expect(Buffer.compare(Buffer.from(runs[0][s].buffer), Buffer.from(runs[1][s].buffer))).toBe(0);
  });

  it("world i's randomized parameters are the same with numWorlds 8 and 1024", async () => {
    const small = await makeSim({ numWorlds: 8, randomization: 'wide', seed: 3 });
    const large = await makeSim({ numWorlds: 1024, randomization: 'wide', seed: 3 });
    await small.reset();
    await large.reset();
    for (let w = 0; w < 8; w++) expect(small.params(w)).toEqual(large.params(w));
    expect(small.params(0)).not.toEqual(small.params(1));
    await small.dispose();
    await large.dispose();
  });

  it("preset 'wider' is 'wide' with the gripper start drawn over the documented larger region", async () => {
    const wide = await makeSim({ numWorlds: 64, randomization: 'wide', seed: 9 });
    const wider = await makeSim({ numWorlds: 64, randomization: 'wider', seed: 9 });
    await wide.reset();
    await wider.reset();
    let outsideWide = 0;
    for (let w = 0; w < 64; w++) {
      const a = wide.params(w);
      const b = wider.params(w);
      for (const name of ['cubeX', 'cubeY', 'cubeYaw', 'cubeEdge', 'cubeMass', 'cubeFriction', 'binX', 'binY']) expect(b[name]).toBe(a[name]);
      expect(Math.abs(b.handX - 0.45)).toBeLessThanOrEqual(0.12 + 1e-6);
      expect(Math.abs(b.handY)).toBeLessThanOrEqual(0.12 + 1e-6);
      expect(b.handZ).toBeGreaterThanOrEqual(0.18 - 1e-6);
      expect(b.handZ).toBeLessThanOrEqual(0.32 + 1e-6);
      expect(Math.abs(b.handYaw)).toBeLessThanOrEqual(Math.PI / 2 + 1e-6);
      if (Math.abs(b.handYaw) > 0.3 || Math.abs(b.handY) > 0.05) outsideWide++;
    }
    expect(outsideWide).toBeGreaterThan(32);
    await wide.dispose();
    await wider.dispose();
  });

  for (const [preset, maxEdge] of [['widest', 0.065], ['tight', 0.07]] as const) {
    it(`preset '${preset}' draws the documented ranges (edge up to ${(maxEdge * 100).toFixed(1)} cm), and no cube overlaps the bin's wall`, async () => {
      const sim = await makeSim({ numWorlds: 512, randomization: preset, seed: 4 });
      await sim.reset();
      const within = (v: number, lo: number, hi: number) => v >= lo - 1e-6 && v <= hi + 1e-6;
      let closest = Infinity;
      let largest = 0;
      for (let w = 0; w < 512; w++) {
        const p = sim.params(w);
        expect(within(p.cubeX, 0.2, 0.7) && within(p.cubeY, -0.4, 0.1), `world ${w} cube`).toBe(true);
        expect(within(p.cubeEdge, 0.025, maxEdge) && within(p.cubeMass, 0.05, 1) && within(p.cubeFriction, 0.3, 1.2), `world ${w} cube body`).toBe(true);
        expect(within(p.binX, 0.27, 0.63) && within(p.binY, 0.25, 0.4), `world ${w} bin`).toBe(true);
        // Gap between the cube's farthest corner (any yaw) and the outer face of the bin's near wall.
        const wallY = p.binY - 0.08 - 0.01;
        closest = Math.min(closest, wallY - (p.cubeY + (p.cubeEdge / 2) * Math.SQRT2));
        largest = Math.max(largest, p.cubeEdge);
      }
      expect(closest).toBeGreaterThan(0);
      // The range is used to its top: some cube within 1 mm of the largest edge.
      expect(largest).toBeGreaterThan(maxEdge - 0.001);
      await sim.dispose();
    });
  }

  for (const backend of ['rapier', 'webgpu'] as const) {
    it(`${backend}: reset({ episodes, worldIds }) puts any world into any slot, and the key stays for later resets`, async () => {
      const reference = await makeSim({ numWorlds: 8, randomization: 'wide', seed: 3 });
      const sim = await makeSim({ backend, numWorlds: 2, randomization: 'wide', seed: 3 });
      await reference.reset({ episodes: new Uint32Array(8).fill(4) });
      let r = await sim.reset({ episodes: [4, 4], worldIds: [5, 3] });
      expect(sim.params(0)).toEqual(reference.params(5));
      expect(sim.params(1)).toEqual(reference.params(3));
      expect(Array.from(r.worldId)).toEqual([5, 3]);
      // A later reset without worldIds keeps the key and moves to the next episode.
      await reference.reset({ mask: [0, 0, 0, 0, 0, 1, 0, 0] });
      r = await sim.reset({ mask: [1, 0] });
      expect(r.episode[0]).toBe(5);
      expect(sim.params(0)).toEqual(reference.params(5));
      await expect(sim.reset({ worldIds: [1] })).rejects.toThrow(/worldIds has length 1/);
      await reference.dispose();
      await sim.dispose();
    });
  }

  it('partial reset changes only the masked worlds', async () => {
    const n = 6;
    const a = await makeSim({ numWorlds: n, seed: 5 });
    const b = await makeSim({ numWorlds: n, seed: 5 });
    const expertA = new PickPlaceExpert(n, 5);
    const expertB = new PickPlaceExpert(n, 5);
    const actA = new Float32Array(n * 7);
    const actB = new Float32Array(n * 7);
    let ra = await a.reset();
    let rb = await b.reset();
    const stepBoth = async () => {
      expertA.act(ra.obs, a.spec.obsSize, a.paramTable, ra.episode, ra.stepCount, actA);
      expertB.act(rb.obs, b.spec.obsSize, b.paramTable, rb.episode, rb.stepCount, actB);
      ra = await a.step(actA);
      rb = await b.step(actB);
    };
    for (let i = 0; i < 30; i++) await stepBoth();
    const mask = [0, 1, 0, 1, 0, 0];
    const paramsBefore = a.params(1);
    ra = await a.reset({ mask });
    for (let i = 0; i < 30; i++) await stepBoth();
    const size = a.spec.obsSize;
    for (let w = 0; w < n; w++) {
      const oa = ra.obs.slice(w * size, (w + 1) * size);
      const ob = rb.obs.slice(w * size, (w + 1) * size);
      if (mask[w]) {
        expect(ra.episode[w]).toBe(1);
        expect(oa).not.toEqual(ob);
      } else {
        expect(ra.episode[w]).toBe(0);
        expect(Buffer.compare(Buffer.from(oa.buffer), Buffer.from(ob.buffer))).toBe(0);
      }
    }
    expect(a.params(1)).not.toEqual(paramsBefore);
    await a.dispose();
    await b.dispose();
  });

  it('getState / setState round-trips exactly', async () => {
    const sim = await makeSim({ numWorlds: 3, threads: 2, seed: 9 });
    const expert = new PickPlaceExpert(3, 9);
    const act = new Float32Array(21);
    let r = await sim.reset();
    for (let i = 0; i < 40; i++) {
      expert.act(r.obs, sim.spec.obsSize, sim.paramTable, r.episode, r.stepCount, act);
      r = await sim.step(act);
    }
    const state = await sim.getState();
    const trace = async () => {
      const out: Float32Array[] = [];
      const local = new PickPlaceExpert(3, 9);
      for (let i = 0; i < 60; i++) {
        local.act(r.obs, sim.spec.obsSize, sim.paramTable, r.episode, r.stepCount, act);
        r = await sim.step(repeatAction(3, [0.01, 0, -0.01, 0, 0, 0.05, 1]).map((v, k) => (i < 30 ? act[k] : v)));
        out.push(r.obs.slice());
      }
      return out;
    };
    const first = await trace();
    r = await sim.setState(state);
    const second = await trace();
    for (let i = 0; i < first.length; i++) expect(Buffer.compare(Buffer.from(first[i].buffer), Buffer.from(second[i].buffer))).toBe(0);
    await sim.dispose();
  });

  it('a blown-up world is flagged and reset; the others are untouched', async () => {
    const n = 4;
    const a = await makeSim({ numWorlds: n, seed: 11 });
    const b = await makeSim({ numWorlds: n, seed: 11 });
    const act = repeatAction(n, [0.005, 0, -0.01, 0, 0, 0, -1]);
    let ra = await a.reset();
    let rb = await b.reset();
    for (let i = 0; i < 5; i++) {
      ra = await a.step(act);
      rb = await b.step(act);
    }
    await a.perturb(2, { body: 'cube', linearVelocity: [1e5, 0, 0] });
    ra = await a.step(act);
    rb = await b.step(act);
    expect(Array.from(ra.fault)).toEqual([0, 0, 1, 0]);
    expect(ra.episode[2]).toBe(1);
    expect(ra.stepCount[2]).toBe(0);
    const size = a.spec.obsSize;
    for (const w of [0, 1, 3]) {
      expect(Buffer.compare(Buffer.from(ra.obs.slice(w * size, (w + 1) * size).buffer), Buffer.from(rb.obs.slice(w * size, (w + 1) * size).buffer))).toBe(0);
    }
    ra = await a.step(act);
    expect(ra.fault[2]).toBe(0);
    expect(Number.isFinite(ra.obs[2 * size + 8])).toBe(true);
    await a.dispose();
    await b.dispose();
  });

  it('a bad config fails with a message naming the field', async () => {
    await expect(createSim({ numWorlds: 0 })).rejects.toThrow(/numWorlds/);
    await expect(createSim({ numWorlds: 4, randomization: { cubeEdge: { min: 0.03, max: 0.2 } } })).rejects.toThrow(/randomization\.cubeEdge\.max/);
    await expect(createSim({ numWorlds: 4, randomization: 'medium' })).rejects.toThrow(/randomization: unknown preset "medium"; presets: narrow, wide, /);
    // Each out-of-range override names the field, the value given and the allowed range.
    await expect(createSim({ numWorlds: 4, randomization: { cubeMass: 5 } })).rejects.toThrow(/randomization\.cubeMass: got 5; .*\[0\.010, 2\.000\] \(kg\)/);
    await expect(createSim({ numWorlds: 4, randomization: { cubeFriction: -0.1 } })).rejects.toThrow(/randomization\.cubeFriction: got -0\.1;/);
    await expect(createSim({ numWorlds: 4, randomization: { cubeEdge: NaN } })).rejects.toThrow(/randomization\.cubeEdge: got NaN;/);
    await expect(createSim({ numWorlds: 4, randomization: { preset: 'nosuch' } })).rejects.toThrow(/randomization\.preset: unknown preset "nosuch"/);
    await expect(createSim({ numWorlds: 4, randomization: { cubeMas: 0.1 } })).rejects.toThrow(/randomization: unknown key "cubeMas"; allowed: preset, cubeX, /);
    await expect(createSim({ numWorlds: 4, physics: { substeps: 0 } })).rejects.toThrow(/physics\.substeps/);
    await expect(createSim({ numWorlds: 4, numWorld: 3 } as never)).rejects.toThrow(/numWorld/);
    await expect(createSim({ numWorlds: 4, task: 'stack-blocks' })).rejects.toThrow(/Unknown task "stack-blocks"/);
  });

  it('a NaN action is rejected naming the world, and nothing changes', async () => {
    const sim = await makeSim({ numWorlds: 3 });
    let r = await sim.reset();
    r = await sim.step(repeatAction(3, [0.01, 0, 0, 0, 0, 0, -1]));
    const obs = r.obs.slice();
    const steps = r.stepCount.slice();
    const bad = repeatAction(3, [0.01, 0, 0, 0, 0, 0, -1]);
    bad[2 * 7 + 4] = Number.NaN;
    await expect(sim.step(bad)).rejects.toThrow(/world 2 .*ry/);
    expect(r.obs).toEqual(obs);
    expect(r.stepCount).toEqual(steps);
    r = await sim.step(repeatAction(3, [0.01, 0, 0, 0, 0, 0, -1]));
    expect(r.stepCount[0]).toBe(2);
    await sim.dispose();
  });
});
