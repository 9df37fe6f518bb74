/**
 * Generation restricted to a set of scenes (`generateDataset({ scenes })`, the data of a coverage
 * law): attempt k runs in world (seed, scenes[k mod D]) with its own generation draws, every
 * scene keeps an even share of the successes, the recorded world key replays, a killed run
 * resumes to the same dataset, and bad scene lists are refused naming what is wrong.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSim, getTask } from '@gripgen/sim-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset, openDataset, recordExpertDemos, replayEpisodes, type Episode, type SourceDemo } from '../src/index.js';

let demos: SourceDemo[];
let dir: string;
const SCENES = [5, 2, 9];
const options = () => ({
  demos,
  config: { numTrials: 7, guarantee: true, keepFailed: false },
  worlds: 6,
  backend: 'rapier' as const,
  threads: 0,
  randomization: 'narrow',
  seed: 1,
  scenes: SCENES,
  episodesPerShard: 2,
});

beforeAll(async () => {
  demos = await recordExpertDemos({ count: 3, randomization: 'narrow', seed: 0, threads: 0 });
  dir = await mkdtemp(join(tmpdir(), 'gripgen-scenes-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('generateDataset with scenes', () => {
  let episodes: Episode[];
  beforeAll(async () => {
    await generateDataset({ ...options(), out: join(dir, 'whole') });
    episodes = await (await openDataset(join(dir, 'whole'))).take(7);
  });

  it('runs attempt k in scene k mod D and keeps an even share per scene: 3, 2, 2 of 7', () => {
    expect(episodes).toHaveLength(7);
    for (const e of episodes) expect(e.world).toEqual({ seed: 1, episode: SCENES[e.attempt % 3], worldId: 0 });
    const perScene = SCENES.map((scene) => episodes.filter((e) => e.world.episode === scene).length);
    expect(perScene).toEqual([3, 2, 2]);
  });

  it('holds exactly D distinct randomized worlds, and different trajectories within a scene', () => {
    const task = getTask('pick-place');
    const randomization = task.resolveRandomization('narrow');
    const params = new Float32Array(task.paramNames.length);
    const distinct = new Set(
      episodes.map((e) => {
        task.drawParams(randomization, e.world.seed, e.world.episode, e.world.worldId, params, 0);
        return Array.from(params).join(',');
      }),
    );
    expect(distinct.size).toBe(SCENES.length);
    const inFirstScene = episodes.filter((e) => e.world.episode === SCENES[0]);
    expect(inFirstScene[0].actions).not.toEqual(inFirstScene[1].actions);
  });

  it('replays from the recorded world key', async () => {
    const sim = await createSim({ task: 'pick-place', numWorlds: 3, backend: 'rapier', threads: 0, seed: 1, randomization: 'narrow', actionMode: 'delta', maxEpisodeSteps: 1000 });
    try {
      const sample = episodes.slice(0, 3);
      const replays = await replayEpisodes(sim, sample, true);
      sample.forEach((e, i) => {
        expect(replays[i].success).toBe(true);
        expect(replays[i].obs).toEqual(e.obs);
      });
    } finally {
      await sim.dispose();
    }
  });

  it('a killed run resumes to the same dataset (shares counted from the kept attempts)', async () => {
    const out = join(dir, 'killed');
    await expect(
      generateDataset({
        ...options(),
        out,
        onProgress: (p) => {
          if (p.kept >= 4) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    expect((await openDataset(out)).count).toBeLessThan(7);
    const resumed = await generateDataset({ ...options(), out });
    expect(resumed.resumed).toBe(true);
    const again = await openDataset(out);
    expect(again.attempts).toEqual(episodes.map((e) => e.attempt));
  });

  it('refuses an empty, malformed or repeated scene list, and scenes with shards, naming the problem', async () => {
    const refused = (scenes: readonly number[], extra: object = {}) => generateDataset({ ...options(), ...extra, scenes, out: join(dir, 'refused') });
    await expect(refused([])).rejects.toThrow('generate: scenes must be a non-empty list of episode indices');
    await expect(refused([1, -2])).rejects.toThrow('generate: scenes must hold episode indices (integers in [0, 2^32 − 1]), got -2');
    await expect(refused([1, 2.5])).rejects.toThrow('got 2.5');
    await expect(refused([3, 1, 3])).rejects.toThrow('generate: scenes must be distinct, got [3,1,3]');
    await expect(refused([1, 2], { shard: { index: 0, count: 2 } })).rejects.toThrow('generate: scenes needs a single shard (got shard 0/2)');
  });
});
