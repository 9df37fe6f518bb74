/**
 * The check of `object-workspace*.test.ts`: a world whose object leaves the task's workspace
 * (off the table's edge, then below its top) ends its episode as a failure — terminated with a
 * reason, not a fault — and the other worlds go on exactly as they would have.
 */
import { expect } from 'vitest';
import { createSim, OBJECT_WORKSPACE, TERMINATION_REASON, type Sim, type SimConfigInput, type StepResult } from '../src/index.js';
import { obsIndex, repeatAction } from './helpers.js';

const NUM_WORLDS = 3;
const LAUNCHED = 1;
const OTHERS = [0, 2];
/** Most steps the launched cube gets to leave the workspace and (where the table ends) fall below its top. */
const MAX_STEPS = 30;

/** Observation rows of the worlds in `OTHERS`. */
function othersObs(sim: Sim, r: StepResult): number[][] {
  const size = sim.spec.obsSize;
  return OTHERS.map((w) => Array.from(r.obs.subarray(w * size, (w + 1) * size)));
}

/**
 * Launches world 1's cube of a pick-place Sim on `config`'s backend off the table and checks
 * its termination step by step. `finiteTable`: whether the cube can fall past the table's edge
 * (pick-place's own WebGPU kernel collides with the plane z = 0 everywhere, so it cannot).
 */
export async function checkObjectLeavingWorkspace(config: Partial<SimConfigInput>, finiteTable: boolean): Promise<void> {
  const sim = await createSim({ task: 'pick-place', threads: 0, numWorlds: NUM_WORLDS, seed: 2, randomization: 'narrow', ...config });
  try {
    const hold = repeatAction(NUM_WORLDS, [0, 0, 0, 0, 0, 0, -1]);
    let r = await sim.reset();
    for (let s = 0; s < 3; s++) r = await sim.step(hold);
    expect(Array.from(r.terminated)).toEqual([0, 0, 0]);
    expect(Array.from(r.terminationReason)).toEqual([0, 0, 0]);
    const start = await sim.getState();

    // Launch world 1's cube away from the bin, fast enough to fly off the table, slow enough not to fault.
    const size = sim.spec.obsSize;
    const at = (name: string) => r.obs[LAUNCHED * size + obsIndex(sim, name)];
    const away = [at('cube_pos_x') - at('bin_pos_x'), at('cube_pos_y') - at('bin_pos_y')];
    const norm = Math.hypot(away[0], away[1]);
    await sim.perturb(LAUNCHED, { body: 'cube', linearVelocity: [(6 * away[0]) / norm, (6 * away[1]) / norm, 1] });

    const reasons: number[] = [];
    const others: number[][][] = [];
    for (let s = 0; s < MAX_STEPS; s++) {
      r = await sim.step(hold);
      others.push(othersObs(sim, r));
      for (const w of OTHERS) expect([r.terminated[w], r.terminationReason[w], r.fault[w]], `world ${w}, step ${s}`).toEqual([0, 0, 0]);
      expect([r.fault[LAUNCHED], r.success[LAUNCHED]], `step ${s}`).toEqual([0, 0]);
      const reason = r.terminationReason[LAUNCHED];
      reasons.push(reason);
      expect(r.terminated[LAUNCHED]).toBe(reason === TERMINATION_REASON.none ? 0 : 1);
      if (reason === TERMINATION_REASON.objectOutsideWorkspace) {
        const info = sim.terminationInfo(LAUNCHED);
        expect(info).toMatchObject({ reason: 'objectOutsideWorkspace', object: 'cube' });
        const [x, y] = info.position!;
        expect(Math.max(Math.abs(x), Math.abs(y))).toBeGreaterThan(OBJECT_WORKSPACE.max[0]);
      }
      if (reason === TERMINATION_REASON.objectBelowTable) break;
      if (!finiteTable && reasons.filter((code) => code !== TERMINATION_REASON.none).length === 3) break;
    }
    // Beyond the table's edge first, then (where the table ends there) below its top; the episode stays ended.
    const firstEnded = reasons.findIndex((reason) => reason !== TERMINATION_REASON.none);
    expect(firstEnded, JSON.stringify(reasons)).toBeGreaterThan(0);
    expect(reasons[firstEnded]).toBe(TERMINATION_REASON.objectOutsideWorkspace);
    expect(reasons.slice(firstEnded).every((reason) => reason !== TERMINATION_REASON.none)).toBe(true);
    if (finiteTable) {
      expect(reasons.at(-1), JSON.stringify(reasons)).toBe(TERMINATION_REASON.objectBelowTable);
      const below = sim.terminationInfo(LAUNCHED);
      expect(below).toMatchObject({ reason: 'objectBelowTable', object: 'cube' });
      expect(below.position![2]).toBeLessThan(OBJECT_WORKSPACE.min[2]);
    }

    // The other worlds went on exactly as without the launch.
    await sim.setState(start);
    for (let s = 0; s < others.length; s++) expect(othersObs(sim, await sim.step(hold)), `step ${s}`).toEqual(others[s]);

    // Resetting the world starts a new episode inside the workspace.
    r = await sim.reset({ mask: [0, 1, 0] });
    expect([r.terminated[LAUNCHED], r.terminationReason[LAUNCHED], r.fault[LAUNCHED]]).toEqual([0, 0, 0]);
    expect(sim.terminationInfo(LAUNCHED)).toEqual({ reason: 'none', object: null, position: null });
  } finally {
    await sim.dispose();
  }
}
