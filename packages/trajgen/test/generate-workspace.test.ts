/**
 * An attempt whose object leaves the task's workspace ends there, as a failure, with the Sim's
 * termination reason; the other attempts of the batch go on as if nothing happened.
 *
 * Fixture: a "carry-off" source demo (`carry-off-demo.ts`), which carries the cube out of the
 * workspace (`objectOutsideWorkspace`) while still holding it.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSim, TERMINATION_REASON_NAMES } from '@gripgen/sim-core';
import { generateDataset, getDatagenTask, parseGenerateConfig, recordExpertDemos, runBatchGeneration, type AttemptResult, type GenerationProgress, type SourceDemo } from '../src/index.js';
import { carryOff } from './carry-off-demo.js';

const task = getDatagenTask('pick-place');
const ATTEMPTS = 8;
let demos: SourceDemo[];
let dir: string;

beforeAll(async () => {
  const expert = await recordExpertDemos({ count: 2, randomization: 'narrow', seed: 0, threads: 0 });
  // Random selection between a plain demo and the carry-off one.
  demos = [expert[0], carryOff(expert[1])];
  dir = await mkdtemp(join(tmpdir(), 'gripgen-generate-workspace-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const simFor = (numWorlds: number) =>
  createSim({ task: 'pick-place', numWorlds, backend: 'rapier', threads: 0, seed: 1, randomization: 'narrow', actionMode: 'delta', maxEpisodeSteps: 1000 });

/** Every attempt's result, in order, generated `worlds` at a time. */
async function generate(worlds: number): Promise<AttemptResult[]> {
  const sim = await simFor(worlds);
  const out: AttemptResult[] = [];
  try {
    await runBatchGeneration({ sim, task, demos, config: parseGenerateConfig({}), attemptId: (k) => k, wantAttempt: (k) => k < ATTEMPTS, onResult: (r) => (out.push(r), false) });
  } finally {
    await sim.dispose();
  }
  return out;
}

/** The Sim's termination reason after each step of replaying `result`'s actions from its world key. */
async function reasonsOnReplay(result: AttemptResult): Promise<string[]> {
  const sim = await simFor(1);
  const reasons: string[] = [];
  try {
    await sim.reset({ mask: Uint8Array.of(1), episodes: Uint32Array.of(result.episode.world.episode), worldIds: Uint32Array.of(0) });
    for (let t = 0; t < result.episode.length; t++) {
      const r = await sim.step(result.episode.actions.slice(t * 7, t * 7 + 7));
      reasons.push(TERMINATION_REASON_NAMES[r.terminationReason[0]]);
    }
  } finally {
    await sim.dispose();
  }
  return reasons;
}

const CARRY_OFF = 1;

/** Paths of the files under `root`, relative to it, sorted. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

/** A manifest without what depends on the clock (times, rates). */
function withoutTimes(manifest: Record<string, unknown>): Record<string, unknown> {
  const { createdAt: _created, updatedAt: _updated, stats, ...rest } = manifest;
  const { wallSeconds: _wall, trajectoriesPerHour: _rate, ...steady } = (stats ?? {}) as Record<string, unknown>;
  return { ...rest, stats: steady };
}

describe('generation: an object that leaves the workspace ends its attempt', () => {
  it('ends the attempt as a failure at the step its world terminated, with the reason; other attempts run to their end', async () => {
    const batched = await generate(4);
    expect(batched.map((r) => r.index)).toEqual(Array.from({ length: ATTEMPTS }, (_, k) => k));
    const lost = batched.filter((r) => r.episode.srcDemoIndices.includes(CARRY_OFF));
    const kept = batched.filter((r) => !r.episode.srcDemoIndices.includes(CARRY_OFF));
    expect(lost.length).toBeGreaterThan(0);
    expect(kept.length).toBeGreaterThan(0);
    for (const r of lost) {
      expect(r.end).toBe('objectOutsideWorkspace');
      expect(r.episode.success).toBe(false);
      expect(r.episode.successStep).toBe(-1);
      expect(r.failedSubtask).toBe('place');
      expect(r.leftWorkspace!.object).toBe('cube');
      expect(r.leftWorkspace!.position[0]).toBeGreaterThan(0.8);
      // The last recorded step is the first after which the Sim reported the object outside.
      const reasons = await reasonsOnReplay(r);
      expect(reasons.indexOf('objectOutsideWorkspace')).toBe(r.episode.length - 1);
      expect(r.episode.dones[r.episode.length - 1]).toBe(1);
    }
    for (const r of kept) {
      expect(r.end).toBe('completed');
      expect(r.episode.success).toBe(true);
      expect(r.leftWorkspace).toBeNull();
      expect((await reasonsOnReplay(r)).some((reason) => reason.startsWith('object'))).toBe(false);
    }
    // Nothing depends on what the other slots did: each attempt alone gives the same bytes.
    const alone = await generate(1);
    alone.forEach((r, k) => {
      expect(r.end).toBe(batched[k].end);
      expect(r.episode.length).toBe(batched[k].episode.length);
      expect(r.episode.actions).toEqual(batched[k].episode.actions);
      expect(r.episode.obs).toEqual(batched[k].episode.obs);
    });
  });

  it('counts the reason in the stats and the progress; the same seed writes the same dataset bytes', async () => {
    const run = async (out: string) => {
      let last: GenerationProgress | null = null;
      const stats = await generateDataset({ demos, out, config: { numTrials: ATTEMPTS }, worlds: 4, backend: 'rapier', threads: 0, randomization: 'narrow', seed: 1, onProgress: (p) => (last = p) });
      return { stats, last: last as GenerationProgress | null };
    };
    const a = await run(join(dir, 'a'));
    const b = await run(join(dir, 'b'));
    const failures = a.stats.attempts - a.stats.successes;
    expect(a.stats.objectOutsideWorkspace).toBeGreaterThan(0);
    expect(a.stats.objectOutsideWorkspace).toBe(failures);
    expect(a.stats.objectBelowTable).toBe(0);
    expect(a.stats.failuresBySubtask.place).toBe(failures);
    expect(a.stats.failuresKept).toBe(failures);
    expect(a.last).toMatchObject({ attempts: ATTEMPTS, faults: 0, tooLong: 0, objectBelowTable: 0, objectOutsideWorkspace: failures });
    expect(b.stats.objectOutsideWorkspace).toBe(a.stats.objectOutsideWorkspace);
    // The shards are byte-identical; the manifests differ only in their times.
    const files = await filesUnder(join(dir, 'a'));
    expect(files).toContain(join('shards', 'shard-00000.msgpack'));
    expect(files).toContain(join('failed', 'shards', 'shard-00000.msgpack'));
    expect(await filesUnder(join(dir, 'b'))).toEqual(files);
    for (const f of files) {
      const [x, y] = await Promise.all([readFile(join(dir, 'a', f)), readFile(join(dir, 'b', f))]);
      if (f.endsWith('manifest.json')) expect(withoutTimes(JSON.parse(y.toString()))).toEqual(withoutTimes(JSON.parse(x.toString())));
      else expect(Buffer.compare(x, y)).toBe(0);
    }
  });
});
