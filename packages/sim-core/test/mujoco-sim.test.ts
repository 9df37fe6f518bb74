import { describe, expect, it } from 'vitest';
import { createSim, PickPlaceExpert } from '../src/index.js';
import { makeSim, pseudoRandomActions, repeatAction, runExpert } from './helpers.js';

const same = (a: Float32Array, b: Float32Array) => Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

describe('mujoco backend: the Sim API', () => {
  it('same seed → bit-identical observations over 50 steps (in the calling thread and in 2 workers)', async () => {
    const trace = async (threads: number) => {
      const sim = await makeSim({ backend: 'mujoco', numWorlds: 4, seed: 5, threads, randomization: 'wide' });
      expect(sim.spec.backend).toBe('mujoco');
      expect(sim.spec.threads).toBe(threads);
      let r = await sim.reset();
      const out = [r.obs.slice()];
      for (let s = 0; s < 50; s++) {
        r = await sim.step(pseudoRandomActions(4, s));
        out.push(r.obs.slice());
      }
      await sim.dispose();
      return out;
    };
    const a = await trace(0);
    const b = await trace(0);
    const c = await trace(2);
    for (let s = 0; s < a.length; s++) {
      expect(same(a[s], b[s]), `step ${s}`).toBe(true);
      expect(same(a[s], c[s]), `step ${s} (2 threads)`).toBe(true);
    }
    // The worlds move: the trace is not trivially constant.
    expect(same(a[0], a[50])).toBe(false);
  });

  it('getState/setState resumes bit for bit, grasp and contacts included', async () => {
    const n = 3;
    const sim = await makeSim({ backend: 'mujoco', numWorlds: n, seed: 9, randomization: 'narrow' });
    const expert = new PickPlaceExpert(n, 9);
    const act = new Float32Array(n * 7);
    let r = await sim.reset();
    // Into the grasp: the state then holds contacts, warm starts and a closing gripper.
    for (let i = 0; i < 22; i++) r = await sim.step(expert.act(r.obs, sim.spec.obsSize, sim.paramTable, r.episode, r.stepCount, act));
    const state = await sim.getState();
    expect(state.backend).toBe('mujoco');
    const trace = async () => {
      const out: Float32Array[] = [];
      const local = new PickPlaceExpert(n, 9);
      for (let i = 0; i < 40; i++) {
        r = await sim.step(local.act(r.obs, sim.spec.obsSize, sim.paramTable, r.episode, r.stepCount, act));
        out.push(r.obs.slice(), sim.bodyStates(1).slice());
      }
      return out;
    };
    const first = await trace();
    r = await sim.setState(state);
    const second = await trace();
    for (let i = 0; i < first.length; i++) expect(same(first[i], second[i]), `entry ${i}`).toBe(true);
    await sim.dispose();
  });

  it('a blown-up world is flagged and reset; the others are untouched', async () => {
    const n = 4;
    const a = await makeSim({ backend: 'mujoco', numWorlds: n, seed: 11 });
    const b = await makeSim({ backend: 'mujoco', numWorlds: n, seed: 11 });
    const act = repeatAction(n, [0.005, 0, -0.01, 0, 0, 0, -1]);
    let ra = await a.reset();
    let rb = await b.reset();
    for (let i = 0; i < 5; i++) {
      ra = await a.step(act);
      rb = await b.step(act);
    }
    await a.perturb(2, { body: 'cube', linearVelocity: [1e6, 0, 0] });
    ra = await a.step(act);
    rb = await b.step(act);
    expect(Array.from(ra.fault)).toEqual([0, 0, 1, 0]);
    expect(ra.episode[2]).toBe(1);
    expect(ra.stepCount[2]).toBe(0);
    const size = a.spec.obsSize;
    for (const w of [0, 1, 3]) expect(same(ra.obs.slice(w * size, (w + 1) * size), rb.obs.slice(w * size, (w + 1) * size))).toBe(true);
    ra = await a.step(act);
    expect(ra.fault[2]).toBe(0);
    expect(Number.isFinite(ra.obs[2 * size + 8])).toBe(true);
    await a.dispose();
    await b.dispose();
  });

  it('reset with a mask restarts only those worlds; explicit episodes and world ids put any world into any slot', async () => {
    const n = 3;
    const sim = await makeSim({ backend: 'mujoco', numWorlds: n, seed: 4, randomization: 'wide' });
    let r = await sim.reset();
    const start = r.obs.slice();
    for (let i = 0; i < 5; i++) r = await sim.step(pseudoRandomActions(n, i));
    const moved = r.obs.slice();
    r = await sim.reset({ mask: [0, 1, 0] });
    const size = sim.spec.obsSize;
    expect(Array.from(r.episode)).toEqual([0, 1, 0]);
    expect(same(r.obs.slice(0, size), moved.slice(0, size))).toBe(true);
    expect(same(r.obs.slice(size, 2 * size), start.slice(size, 2 * size))).toBe(false);
    // World 2's episode 0 in slot 0 looks exactly like slot 2 did at the start.
    r = await sim.reset({ mask: [1, 0, 0], episodes: [0, 0, 0], worldIds: [2, 0, 0] });
    expect(same(r.obs.slice(0, size), start.slice(2 * size, 3 * size))).toBe(true);
    await sim.dispose();
  });

  it('runs the scripted expert to ≥ 95 % success on 64 narrow worlds', async () => {
    const sim = await makeSim({ backend: 'mujoco', numWorlds: 64, seed: 0, randomization: 'narrow', threads: 2 });
    const { ever } = await runExpert(sim);
    const rate = ever.reduce((a, b) => a + b, 0) / 64;
    console.info(`mujoco expert, 64 narrow worlds, ${sim.spec.mujoco!.substeps} MuJoCo steps per control step: ${(rate * 100).toFixed(1)} %`);
    expect(rate).toBeGreaterThanOrEqual(0.95);
    await sim.dispose();
  });

  it('reports its settings and rejects bad ones by name', async () => {
    const sim = await createSim({ backend: 'mujoco', numWorlds: 1, threads: 0, mujoco: { timestep: 0.005 } });
    expect(sim.spec.mujoco).toMatchObject({ substeps: 10, timestep: 1 / 200 });
    await sim.dispose();
    await expect(createSim({ backend: 'mujoco', numWorlds: 1, mujoco: { timestep: -1 } })).rejects.toThrow(/mujoco\.timestep/);
    await expect(createSim({ backend: 'mujoco', numWorlds: 1, mujoco: { cone: 'round' } as never })).rejects.toThrow(/mujoco\.cone/);
  });
});
