import { describe, expect, it } from 'vitest';
import { createSim, PickPlaceExpert, type Sim, type SimState } from '../src/index.js';

/** Runs the expert for `steps` steps from the Sim's current state; returns the last observations. */
async function continueExpert(sim: Sim, first: { obs: Float32Array; episode: Uint32Array; stepCount: Uint32Array }, steps: number): Promise<Float32Array> {
  const n = sim.spec.numWorlds;
  const expert = new PickPlaceExpert(n, 0);
  const actions = new Float32Array(n * sim.spec.actionSize);
  let r = first;
  for (let s = 0; s < steps; s++) {
    expert.act(r.obs, sim.spec.obsSize, sim.paramTable, r.episode, r.stepCount, actions);
    r = await sim.step(actions);
  }
  return r.obs.slice();
}

const BACKENDS = [
  { backend: 'rapier', threads: 1 },
  { backend: 'mujoco', threads: 0 },
  { backend: 'webgpu', threads: 0 },
] as const;

describe.each(BACKENDS)('setState after a checkpoint round trip ($backend)', ({ backend, threads }) => {
  it('accepts a state that went through JSON or structuredClone and continues bit for bit; refuses a broken one and stays usable', async () => {
    const sim = await createSim({ task: 'pick-place', backend, threads, numWorlds: 2, seed: 4, randomization: 'narrow' });
    try {
      let r = await sim.reset();
      await continueExpert(sim, r, 15);
      const state = await sim.getState();
      const reference = await continueExpert(sim, await sim.setState(state), 10);

      for (const copy of [JSON.parse(JSON.stringify(state)) as SimState, structuredClone(state)]) {
        r = await sim.setState(copy);
        expect(Array.from(await continueExpert(sim, r, 10))).toEqual(Array.from(reference));
      }

      const worldKey = backend === 'rapier' ? 'snapshot' : backend === 'mujoco' ? 'mujoco' : 'bytes';
      const broken = JSON.parse(JSON.stringify(state)) as SimState;
      (broken.worlds[1] as Record<string, unknown>).params = [1, 2];
      await expect(sim.setState(broken)).rejects.toThrow(/setState: world 1: params has 2 entries, expected 13/);
      (broken.worlds[1] as Record<string, unknown>).params = (state.worlds[1] as { params: Float32Array }).params;
      (broken.worlds[0] as Record<string, unknown>)[worldKey] = 'garbage';
      await expect(sim.setState(broken)).rejects.toThrow(new RegExp(`setState: world 0: ${worldKey} must be an array of numbers, got "garbage"`));
      (broken.worlds[0] as Record<string, unknown>).episode = -1;
      await expect(sim.setState(broken)).rejects.toThrow(/setState: world 0: /);
      await expect(sim.setState(null as never)).rejects.toThrow(/setState: state must be an object as getState returns it/);

      // The Sim is still usable: the original state restores and continues as before.
      expect(Array.from(await continueExpert(sim, await sim.setState(state), 10))).toEqual(Array.from(reference));
      await expect(sim.step(undefined as never)).rejects.toThrow(/step: actions must be an array \(Float32Array or number\[\]\) of numWorlds · 7 = 14 numbers, got undefined/);
    } finally {
      await sim.dispose();
    }
  });
});
