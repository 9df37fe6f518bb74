import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSim, type Sim } from '../src/index.js';

/** Every public method refuses a wrong argument with a message naming it, and the Sim stays usable. */
describe('Sim method arguments (rapier, 2 worlds)', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await createSim({ task: 'pick-place', backend: 'rapier', threads: 0, numWorlds: 2, seed: 1, randomization: 'narrow' });
  });
  afterAll(async () => {
    await sim?.dispose();
  });

  it('reset: refuses unknown keys (a Gymnasium-style seed included), non-objects and non-array entries', async () => {
    await expect(sim.reset({ seed: 3 } as never)).rejects.toThrow(/^reset: unknown option key "seed"; allowed: mask, episodes, worldIds \(the seed is fixed by createSim/);
    await expect(sim.reset(null as never)).rejects.toThrow(/^reset: option must be an object with keys mask, episodes, worldIds; got null$/);
    await expect(sim.reset({ mask: 1 } as never)).rejects.toThrow(/^reset: mask must be an array or typed array of numWorlds entries; got 1$/);
    await expect(sim.reset({ episodes: 'abc' } as never)).rejects.toThrow(/^reset: episodes must be an array or typed array of numWorlds entries; got "abc"$/);
    const r = await sim.reset({ mask: [1, 0] });
    expect(r.obs.every(Number.isFinite)).toBe(true);
  });

  it('step: refuses unknown option keys and a non-boolean readback', async () => {
    await sim.reset();
    const actions = new Float32Array(2 * sim.spec.actionSize);
    await expect(sim.step(actions, { readBack: false } as never)).rejects.toThrow(/^step: unknown option key "readBack"; allowed: readback$/);
    await expect(sim.step(actions, { readback: 'no' } as never)).rejects.toThrow(/^step: readback must be true or false; got "no"$/);
    await expect(sim.step(actions, [] as never)).rejects.toThrow(/^step: option must be an object/);
    expect((await sim.step(actions)).stepCount[0]).toBe(1);
  });

  it('perturb: refuses a missing perturbation, an unknown body and vectors that are not 3 finite numbers', async () => {
    await sim.reset();
    await expect(sim.perturb(0, undefined as never)).rejects.toThrow(/^perturb: the perturbation must be an object/);
    await expect(sim.perturb(0, { body: 'cube', linearVelocity: [1, 2] } as never)).rejects.toThrow(/^perturb: linearVelocity must be 3 finite numbers .*; got \[1,2\]$/);
    await expect(sim.perturb(0, { body: 'cube', angularVelocity: [0, Number.NaN, 0] })).rejects.toThrow(/^perturb: angularVelocity must be 3 finite numbers/);
    await expect(sim.perturb(0, { body: 'cube', spin: 1 } as never)).rejects.toThrow(/^perturb: unknown perturbation key "spin"; allowed: body, linearVelocity, angularVelocity$/);
    await expect(sim.perturb(0, { body: 'cuber' })).rejects.toThrow(/^perturb: unknown body "cuber"; bodies: /);
    await expect(sim.perturb(2, { body: 'cube' })).rejects.toThrow(/^world 2 is out of range \[0, 2\)$/);
    await sim.perturb(1, { body: 'cube', linearVelocity: [0, 0, 1] });
    expect(sim.bodyStates(1).length).toBeGreaterThan(0);
  });
});
