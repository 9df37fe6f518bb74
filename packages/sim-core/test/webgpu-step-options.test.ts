import { describe, expect, it } from 'vitest';
import type { Sim } from '../src/index.js';
import { makeSim, pseudoRandomActions } from './helpers.js';

/** 70 worlds: not a multiple of 64, so the last workgroup of the default size is partial. */
const NUM_WORLDS = 70;
const STEPS = 8;

const actionsOf = (step: number) => pseudoRandomActions(NUM_WORLDS, step);

/** Resets, runs STEPS steps (reading back the last one, and the others where `readbackAt(s)`), returns what the last one gave. */
async function run(sim: Sim, readbackAt: (step: number) => boolean) {
  let r = await sim.reset();
  const stepCounts: number[][] = [];
  for (let s = 0; s < STEPS; s++) {
    r = await sim.step(actionsOf(s), { readback: s === STEPS - 1 || readbackAt(s) });
    stepCounts.push(Array.from(r.stepCount.slice(0, 2)));
  }
  return { obs: r.obs.slice(), stepCount: r.stepCount.slice(), params: sim.paramTable.slice(), stepCounts };
}

describe('WebGPU backend step options (SwiftShader in CI)', () => {
  it('steps without readback, one world per workgroup, give bit-identical results; skipped readbacks leave the arrays as they were', async () => {
    const reference = await makeSim({ backend: 'webgpu', numWorlds: NUM_WORLDS });
    const expected = await run(reference, () => true);
    await reference.dispose();
    expect(expected.stepCounts.map((c) => c[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    // One world per workgroup (70 workgroups) against the default 64 (2 workgroups, the last partial).
    const sim = await makeSim({ backend: 'webgpu', numWorlds: NUM_WORLDS, workgroupSize: 1 });
    // Reads back only after steps 2 and 8: the arrays show step 0's reset until then.
    const got = await run(sim, (s) => s === 2);
    await sim.dispose();
    expect(got.stepCounts.map((c) => c[0])).toEqual([0, 0, 3, 3, 3, 3, 3, 8]);
    expect(Buffer.from(got.obs.buffer).equals(Buffer.from(expected.obs.buffer))).toBe(true);
    expect(Array.from(got.stepCount)).toEqual(Array.from(expected.stepCount));
    expect(Buffer.from(got.params.buffer).equals(Buffer.from(expected.params.buffer))).toBe(true);
  });

  it('rejects a workgroup size outside [1, 256], naming the option', async () => {
    await expect(makeSim({ backend: 'webgpu', numWorlds: 1, workgroupSize: 512 })).rejects.toThrow(/workgroupSize/);
  });
});
