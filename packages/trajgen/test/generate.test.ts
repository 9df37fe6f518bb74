import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSim } from '@gripgen/sim-core';
import { generateDataset, openDataset, recordExpertDemos, replayEpisodes, runBatchGeneration, parseGenerateConfig, getDatagenTask, type Episode, type SourceDemo } from '../src/index.js';

let demos: SourceDemo[];
let dir: string;
const task = getDatagenTask('pick-place');

beforeAll(async () => {
  demos = await recordExpertDemos({ count: 10, randomization: 'narrow', seed: 0, threads: 0 });
  dir = await mkdtemp(join(tmpdir(), 'gripgen-generate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `attempts` attempts on a fresh rapier Sim; returns every attempt's episode in order. */
async function generate(randomization: string, attempts: number, worlds: number, config: Record<string, unknown> = {}): Promise<Episode[]> {
  const sim = await createSim({ task: 'pick-place', numWorlds: worlds, backend: 'rapier', threads: 0, seed: 1, randomization, actionMode: 'delta', maxEpisodeSteps: 1000 });
  const out: Episode[] = [];
  await runBatchGeneration({ sim, task, demos, config: parseGenerateConfig(config), attemptId: (k) => k, wantAttempt: (k) => k < attempts, onResult: (r) => (out.push(r.episode), false) });
  await sim.dispose();
  return out;
}

const rate = (eps: Episode[]) => eps.filter((e) => e.success).length / eps.length;

describe('MimicGen-style generation (rapier)', () => {
  it('records 10 successful narrow source demos that end after success', () => {
    expect(demos).toHaveLength(10);
    for (const d of demos) expect(Array.from(d.signals.success).includes(1)).toBe(true);
  });

  it('narrow: >= 90% of attempts succeed (default knobs, 10 narrow source demos)', async () => {
    const eps = await generate('narrow', 100, 50);
    expect(eps.map((e) => e.attempt)).toEqual(Array.from({ length: 100 }, (_, k) => k));
    expect(rate(eps)).toBeGreaterThanOrEqual(0.9);
  });

  it('wide: >= 60% of attempts succeed (default knobs, 10 narrow source demos); trajectories are new and replay bit-exactly', async () => {
    const eps = await generate('wide', 160, 80);
    expect(rate(eps)).toBeGreaterThanOrEqual(0.6);
    const kept = eps.filter((e) => e.success);
    // New: every trajectory's initial cube pose is away from every source demo's.
    for (const e of kept) {
      const cube = e.datagen.objectPoses.cube;
      for (const d of demos) expect(Math.hypot(cube[0] - d.objectPoses.cube[0], cube[1] - d.objectPoses.cube[1])).toBeGreaterThan(0.001);
    }
    // Replay from the recorded world key on the same backend: the same observations, bit for bit, and success.
    const sim = await createSim({ task: 'pick-place', numWorlds: 16, backend: 'rapier', threads: 0, seed: 1, randomization: 'wide', actionMode: 'delta', maxEpisodeSteps: 1000 });
    const sample = kept.slice(0, 16);
    const replays = await replayEpisodes(sim, sample, true);
    await sim.dispose();
    sample.forEach((e, i) => {
      expect(replays[i].success).toBe(true);
      expect(replays[i].obs).toEqual(e.obs);
    });
  });

  it('an attempt does not depend on the batch size or its slot', async () => {
    const a = await generate('wide', 12, 3, { actionNoise: 0.05 });
    const b = await generate('wide', 12, 12, { actionNoise: 0.05 });
    expect(a.map((e) => [e.length, e.success, e.srcDemoIndices])).toEqual(b.map((e) => [e.length, e.success, e.srcDemoIndices]));
    a.forEach((e, i) => expect(e.actions).toEqual(b[i].actions));
  });

  it('a killed run, restarted with the same options, ends with exactly the requested count and no duplicates', async () => {
    const options = { demos, config: { numTrials: 40, guarantee: true }, worlds: 16, backend: 'rapier' as const, threads: 0, randomization: 'wide', seed: 1, episodesPerShard: 8 };
    const whole = await generateDataset({ ...options, out: join(dir, 'whole') });
    expect(whole.kept).toBe(40);
    const out = join(dir, 'killed');
    await expect(
      generateDataset({
        ...options,
        out,
        onProgress: (p) => {
          if (p.kept >= 21) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const partial = await openDataset(out);
    expect(partial.count).toBeGreaterThan(0);
    expect(partial.count).toBeLessThan(40);
    const resumed = await generateDataset({ ...options, out });
    expect(resumed.resumed).toBe(true);
    const a = await openDataset(join(dir, 'whole'));
    const b = await openDataset(out);
    expect(b.count).toBe(40);
    expect(new Set(b.attempts).size).toBe(40);
    expect(b.attempts).toEqual(a.attempts);
    const ea = await a.take(40);
    const eb = await b.take(40);
    eb.forEach((e, i) => expect(e.actions).toEqual(ea[i].actions));
  });

  it('--certify webgpu replays every kept trajectory there; --keep certified keeps only those that succeed on both', async () => {
    const stats = await generateDataset({ demos, out: join(dir, 'certified'), config: { numTrials: 8, guarantee: true, keepFailed: false }, worlds: 8, backend: 'rapier', threads: 0, randomization: 'narrow', seed: 1, certify: 'webgpu', keep: 'certified' });
    expect(stats.kept).toBe(8);
    expect(stats.certification!.checked).toBeGreaterThanOrEqual(8);
    expect(stats.certification!.agreed).toBeGreaterThanOrEqual(8);
    const ds = await openDataset(join(dir, 'certified'));
    for (const e of await ds.take(8)) expect(e.certification).toEqual({ backend: 'webgpu', success: true });
  });

  it('sim options (webgpu program, contact capacity) reach the Sim, are part of the dataset\'s identity, and a resume with others is refused', async () => {
    const out = join(dir, 'scene-solver');
    const options = { demos, out, config: { numTrials: 2, keepFailed: false }, worlds: 2, backend: 'webgpu' as const, randomization: 'narrow', seed: 1, sim: { gpuProgram: 'scene' as const, contactCapacity: 2 } };
    const stats = await generateDataset(options);
    // Two contacts per world cannot hold a cube on the table: the scene solver ran with that capacity.
    expect(stats.contactOverflowSteps).toBeGreaterThan(0);
    const ds = await openDataset(out);
    expect(ds.manifest.config).toMatchObject({ backend: 'webgpu', sim: { gpuProgram: 'scene', contactCapacity: 2 } });
    await expect(generateDataset({ ...options, sim: { gpuProgram: 'scene', contactCapacity: 64 } })).rejects.toThrow(/config\.sim\.contactCapacity: 2 in the dataset, 64 now/);
  });

  it('a bad generation config fails naming the field, before any world is created', async () => {
    await expect(generateDataset({ demos, out: join(dir, 'bad'), worlds: 4, backend: 'rapier', config: { selectionStrategy: 'closest' } as never })).rejects.toThrow(/invalid field "selectionStrategy"/);
  });
});
