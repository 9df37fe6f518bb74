/**
 * The checks of `vector-env*.test.ts`, for one backend: Gymnasium's next-step autoreset after
 * each way an episode ends (time limit, success, object leaving the workspace, fault), and
 * seeded runs being identical.
 */
import { expect } from 'vitest';
import { createSim, createVectorEnv, EPISODE_END, PickPlaceExpert, type VectorEnv, type VectorEnvConfigInput, type VectorEnvStep } from '../src/index.js';
import { obsIndex, pseudoRandomActions, repeatAction } from './helpers.js';

type Backend = 'rapier' | 'webgpu';

const HOLD = [0, 0, 0, 0, 0, 0, -1];

function envConfig(backend: Backend, numWorlds: number, extra: Partial<VectorEnvConfigInput> = {}): VectorEnvConfigInput {
  return { task: 'pick-place', backend, numWorlds, seed: 3, randomization: 'narrow', ...(backend === 'rapier' ? { threads: 0 } : {}), ...extra };
}

/** A copy of every array of a step (the env reuses its own). */
function snapshot(r: VectorEnvStep | { obs: Float32Array; infos: VectorEnvStep['infos'] }) {
  return {
    obs: Array.from(r.obs),
    rewards: 'rewards' in r ? Array.from(r.rewards) : [],
    terminations: 'terminations' in r ? Array.from(r.terminations) : [],
    truncations: 'truncations' in r ? Array.from(r.truncations) : [],
    endReason: Array.from(r.infos.endReason),
    success: Array.from(r.infos.success),
    episode: Array.from(r.infos.episode),
    episodeStep: Array.from(r.infos.episodeStep),
    autoreset: Array.from(r.infos.autoreset),
  };
}

function row(obs: ArrayLike<number>, world: number, size: number): number[] {
  return Array.from(obs).slice(world * size, (world + 1) * size);
}

/**
 * First observation of episode `episode` of every world, from a fresh Sim of the same config;
 * null on webgpu, where a Sim takes long to start on SwiftShader (rapier checks the values).
 */
async function firstObservations(backend: Backend, numWorlds: number, episode: number): Promise<Float32Array | null> {
  if (backend === 'webgpu') return null;
  const { autoresetMode: _unused, ...config } = envConfig(backend, numWorlds);
  const sim = await createSim(config);
  try {
    return (await sim.reset({ episodes: new Array(numWorlds).fill(episode) })).obs.slice();
  } finally {
    await sim.dispose();
  }
}

/** Checks that the step after an ended episode resets exactly the worlds in `ended` and leaves the others going. */
function expectAutoreset(r: VectorEnvStep, ended: number[], episodeBefore: number[], size: number, fresh: Float32Array | null): void {
  for (let w = 0; w < r.rewards.length; w++) {
    const resetHere = ended.includes(w);
    expect(r.infos.autoreset[w], `world ${w} autoreset`).toBe(resetHere ? 1 : 0);
    if (!resetHere) continue;
    expect([r.rewards[w], r.terminations[w], r.truncations[w], r.infos.endReason[w], r.infos.episodeStep[w]], `world ${w}`).toEqual([0, 0, 0, 0, 0]);
    expect(r.infos.episode[w], `world ${w} episode`).toBe(episodeBefore[w] + 1);
    if (fresh) expect(row(r.obs, w, size), `world ${w} first observation`).toEqual(row(fresh, w, size));
  }
}

/** Time limit: truncated (not terminated) at step maxEpisodeSteps; the next step returns episode 1's first observations. */
export async function checkTimeLimit(backend: Backend): Promise<void> {
  const n = 3;
  const env = await createVectorEnv(envConfig(backend, n, { maxEpisodeSteps: 5 }));
  try {
    const size = env.spec.obsSize;
    const first = (await env.reset()).obs.slice();
    const hold = repeatAction(n, HOLD);
    let r!: VectorEnvStep;
    for (let s = 1; s <= 5; s++) {
      r = await env.step(hold);
      expect(Array.from(r.truncations), `step ${s}`).toEqual(new Array(n).fill(s === 5 ? 1 : 0));
      expect(Array.from(r.terminations), `step ${s}`).toEqual([0, 0, 0]);
      expect(Array.from(r.infos.episodeStep)).toEqual(new Array(n).fill(s));
    }
    expect(Array.from(r.infos.endReason)).toEqual(new Array(n).fill(EPISODE_END.timeLimit));
    // The truncating step returns the episode's final observation, not a new first one.
    expect(Array.from(r.obs)).not.toEqual(Array.from(first));
    const fresh = await firstObservations(backend, n, 1);
    r = await env.step(hold);
    expectAutoreset(r, [0, 1, 2], [0, 0, 0], size, fresh);
    r = await env.step(hold);
    expect(Array.from(r.infos.autoreset)).toEqual([0, 0, 0]);
    expect(Array.from(r.infos.episodeStep)).toEqual([1, 1, 1]);
    expect(Array.from(r.truncations)).toEqual([0, 0, 0]);
  } finally {
    await env.close();
  }
}

/** Success: the scripted expert solves world episodes; each success terminates and the next step resets that world only. */
export async function checkSuccess(backend: Backend): Promise<void> {
  const n = 2;
  const env = await createVectorEnv(envConfig(backend, n));
  try {
    const size = env.spec.obsSize;
    const expert = new PickPlaceExpert(n, env.spec.seed);
    const actions = new Float32Array(n * 7);
    let r: VectorEnvStep | Awaited<ReturnType<VectorEnv['reset']>> = await env.reset();
    let solved = -1;
    for (let s = 0; s < env.spec.maxEpisodeSteps && solved < 0; s++) {
      expert.act(r.obs, size, env.sim.paramTable, r.infos.episode, r.infos.episodeStep, actions);
      const step = await env.step(actions);
      r = step;
      for (let w = 0; w < n; w++) {
        expect(step.infos.autoreset[w]).toBe(0);
        if (step.terminations[w]) {
          expect(step.infos.endReason[w]).toBe(EPISODE_END.success);
          expect(step.infos.success[w]).toBe(1);
          expect(step.truncations[w]).toBe(0);
          solved = w;
        }
      }
    }
    expect(solved, 'the expert solved an episode').toBeGreaterThanOrEqual(0);
    const ended = [0, 1].filter((w) => (r as VectorEnvStep).terminations[w]);
    const episodeBefore = Array.from(r.infos.episode);
    const fresh = await firstObservations(backend, n, 1);
    const next = await env.step(actions);
    expectAutoreset(next, ended, episodeBefore, size, fresh);
  } finally {
    await env.close();
  }
}

/** An object launched off the table terminates its world with reason objectOutsideWorkspace; the next step resets it alone. */
export async function checkObjectLeavesWorkspace(backend: Backend): Promise<void> {
  const n = 3;
  const launched = 1;
  const env = await createVectorEnv(envConfig(backend, n));
  try {
    const size = env.spec.obsSize;
    const hold = repeatAction(n, HOLD);
    await env.reset();
    let r = await env.step(hold);
    const at = (name: string) => r.obs[launched * size + obsIndex(env.sim, name)];
    const away = [at('cube_pos_x') - at('bin_pos_x'), at('cube_pos_y') - at('bin_pos_y')];
    const norm = Math.hypot(away[0], away[1]);
    await env.sim.perturb(launched, { body: 'cube', linearVelocity: [(6 * away[0]) / norm, (6 * away[1]) / norm, 1] });
    let ended = false;
    for (let s = 0; s < 30 && !ended; s++) {
      r = await env.step(hold);
      for (const w of [0, 2]) expect([r.terminations[w], r.truncations[w], r.infos.endReason[w]]).toEqual([0, 0, 0]);
      ended = r.terminations[launched] === 1;
    }
    expect(ended, 'the launched cube ended its episode').toBe(true);
    expect(r.infos.endReason[launched]).toBe(EPISODE_END.objectOutsideWorkspace);
    expect(r.truncations[launched]).toBe(0);
    expect(env.sim.terminationInfo(launched)).toMatchObject({ reason: 'objectOutsideWorkspace', object: 'cube' });
    const fresh = await firstObservations(backend, n, 1);
    const next = await env.step(hold);
    expectAutoreset(next, [launched], [0, 0, 0], size, fresh);
  } finally {
    await env.close();
  }
}

/**
 * A blown-up world terminates with reason fault, returns its last observation before the
 * blow-up and reward 0; the next step resets it to episode 1 (one episode, not two).
 */
export async function checkFault(backend: Backend): Promise<void> {
  const n = 3;
  const env = await createVectorEnv(envConfig(backend, n));
  try {
    const size = env.spec.obsSize;
    const hold = repeatAction(n, HOLD);
    await env.reset();
    const before = (await env.step(hold)).obs.slice();
    await env.sim.perturb(2, { body: 'cube', linearVelocity: [1e6, 0, 0], angularVelocity: [0, 0, 0] });
    const r = await env.step(hold);
    expect(Array.from(r.terminations)).toEqual([0, 0, 1]);
    expect(Array.from(r.truncations)).toEqual([0, 0, 0]);
    expect(Array.from(r.infos.endReason)).toEqual([0, 0, EPISODE_END.fault]);
    expect(r.rewards[2]).toBe(0);
    expect(row(r.obs, 2, size)).toEqual(row(before, 2, size));
    const fresh = await firstObservations(backend, n, 1);
    const next = await env.step(hold);
    expectAutoreset(next, [2], [0, 0, 0], size, fresh);
  } finally {
    await env.close();
  }
}

/**
 * Two runs from `reset({ seed })` with the same actions are identical (on rapier also from
 * another env, after a reseed, which restarts its Sim); `reset()` moves on.
 */
export async function checkSeededRuns(backend: Backend): Promise<void> {
  const n = 4;
  const steps = 12;
  const run = async (env: VectorEnv, seed: number | undefined) => {
    const trace = [snapshot(await env.reset(seed === undefined ? {} : { seed }))];
    for (let s = 0; s < steps; s++) trace.push(snapshot(await env.step(pseudoRandomActions(n, s))));
    return trace;
  };
  const a = await createVectorEnv(envConfig(backend, n, { maxEpisodeSteps: 5 }));
  const b = backend === 'rapier' ? await createVectorEnv(envConfig(backend, n, { seed: 0, maxEpisodeSteps: 5 })) : null;
  try {
    const first = await run(a, 3);
    expect(first.some((t) => t.autoreset.includes(1)), 'the run crosses an autoreset').toBe(true);
    expect(await run(a, 3)).toEqual(first);
    if (b) {
      expect(await run(b, 3)).toEqual(first);
      expect(b.spec.seed).toBe(3);
    }
    const moved = await run(a, undefined);
    expect(moved[0].episode).toEqual(first.at(-1)!.episode.map((e) => e + 1));
    expect(moved[0].obs).not.toEqual(first[0].obs);
  } finally {
    await a.close();
    await b?.close();
  }
}
