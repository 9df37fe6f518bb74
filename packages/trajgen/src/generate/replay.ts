/**
 * Replays recorded episodes from their world keys: the basis of certification (replay on the
 * other backend) and of the bit-exact replay check (same backend).
 */
import type { Sim } from '@gripgen/sim-core';
import type { Episode } from '../episode.js';

/** Outcome of replaying one episode. */
export interface ReplayResult {
  /** The task's success was reached at some step of the replay. */
  success: boolean;
  /** The observations before each step (T × obsSize), when asked for. */
  obs: Float32Array | null;
}

/**
 * Replays up to `sim.spec.numWorlds` episodes at once: each world is reset to its episode's
 * world key, then stepped with the recorded actions (idle worlds get zero actions after
 * their episode ends). The Sim must use the episodes' seed and `delta` actions.
 */
export async function replayEpisodes(sim: Sim, episodes: readonly Episode[], keepObs = false): Promise<ReplayResult[]> {
  const n = sim.spec.numWorlds;
  if (episodes.length > n) throw new Error(`replayEpisodes: ${episodes.length} episodes but only ${n} worlds`);
  if (sim.spec.actionMode !== 'delta') throw new Error('replayEpisodes: needs a Sim in "delta" action mode');
  for (const e of episodes) {
    if (e.world.seed !== sim.spec.seed) throw new Error(`replayEpisodes: attempt ${e.attempt} has seed ${e.world.seed}, the Sim ${sim.spec.seed}`);
  }
  const obsSize = sim.spec.obsSize;
  const mask = new Uint8Array(n);
  const ep = new Uint32Array(n);
  const ids = new Uint32Array(n);
  episodes.forEach((e, w) => {
    mask[w] = 1;
    ep[w] = e.world.episode;
    ids[w] = e.world.worldId;
  });
  let r = await sim.reset({ mask, episodes: ep, worldIds: ids });
  const results: ReplayResult[] = episodes.map((e) => ({ success: false, obs: keepObs ? new Float32Array(e.length * obsSize) : null }));
  const T = Math.max(0, ...episodes.map((e) => e.length));
  const actions = new Float32Array(n * 7);
  for (let t = 0; t < T; t++) {
    actions.fill(0);
    episodes.forEach((e, w) => {
      if (t >= e.length) return;
      actions.set(e.actions.subarray(t * 7, t * 7 + 7), w * 7);
      results[w].obs?.set(r.obs.subarray(w * obsSize, (w + 1) * obsSize), t * obsSize);
    });
    r = await sim.step(actions);
    episodes.forEach((e, w) => {
      if (t < e.length && r.success[w]) results[w].success = true;
    });
  }
  return results;
}
