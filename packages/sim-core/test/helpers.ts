import { CONTROL_LIMITS, createSim, PickPlaceExpert, type Sim, type SimConfigInput } from '../src/index.js';

/** Creates a pick-place Sim in the calling thread unless `threads` is given. */
export function makeSim(config: Partial<SimConfigInput> & { numWorlds: number }): Promise<Sim> {
  return createSim({ task: 'pick-place', backend: 'rapier', seed: 0, threads: 0, ...config });
}

/** Runs the scripted expert for `steps` steps; returns latched success per world and every step's obs. */
export async function runExpert(sim: Sim, steps = sim.spec.maxEpisodeSteps, keepObs = false) {
  const n = sim.spec.numWorlds;
  const expert = new PickPlaceExpert(n, sim.spec.seed);
  const actions = new Float32Array(n * 7);
  let r = await sim.reset();
  const ever = new Uint8Array(n);
  const obs: Float32Array[] = [];
  for (let s = 0; s < steps; s++) {
    expert.act(r.obs, sim.spec.obsSize, sim.paramTable, r.episode, r.stepCount, actions);
    r = await sim.step(actions);
    if (keepObs) obs.push(r.obs.slice());
    for (let i = 0; i < n; i++) if (r.success[i]) ever[i] = 1;
  }
  return { ever, obs, final: r };
}

/** Repeats one action for every world. */
export function repeatAction(numWorlds: number, action: readonly number[]): Float32Array {
  const out = new Float32Array(numWorlds * 7);
  for (let w = 0; w < numWorlds; w++) out.set(action, w * 7);
  return out;
}

/** Index of a named observation entry. */
export function obsIndex(sim: Sim, name: string): number {
  const i = sim.spec.obsNames.indexOf(name);
  if (i < 0) throw new Error(`no observation ${name}`);
  return i;
}

/** The same pseudo-random actions within the control limits every run: step `step`, entry k of `numWorlds × 7`. */
export function pseudoRandomActions(numWorlds: number, step: number): Float32Array {
  const out = new Float32Array(numWorlds * 7);
  for (let k = 0; k < out.length; k++) {
    const u = Math.sin(12.9898 * (k + 1) + 78.233 * (step + 1)) * 43758.5453;
    const centered = 2 * (u - Math.floor(u)) - 1;
    const i = k % 7;
    out[k] = centered * (i < 3 ? CONTROL_LIMITS.maxDeltaPosition : i < 6 ? CONTROL_LIMITS.maxDeltaRotation : 1);
  }
  return out;
}
