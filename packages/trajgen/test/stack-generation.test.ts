/**
 * MimicGen-style generation on a multi-object task: from 10 source demos of the scripted
 * expert on `narrow` stack worlds, generation on `narrow` (MimicGen's D0) must reach at least
 * 90 % of MimicGen's published Stack D0 rate (94.3 %, Mandlekar et al. 2023), on a CI-sized
 * count of attempts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTask } from '@gripgen/sim-core';
import { generateDataset, openDataset, recordExpertDemos, type SourceDemo } from '../src/index.js';

const MIMICGEN_STACK_D0 = 0.943;
const ATTEMPTS = 100;

let dir: string;
let demos: SourceDemo[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gripgen-stack-generation-'));
  demos = await recordExpertDemos({ task: 'stack', count: 10, seed: 0, backend: 'rapier' });
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('generation on stack (two subtasks, two objects)', () => {
  it('source demos pass through both subtasks: grasp A ends where A is first held, place runs to success', () => {
    expect(demos).toHaveLength(10);
    const [grasp, place] = getTask('stack').datagen!.subtasks;
    expect(grasp).toMatchObject({ name: 'grasp', object: 'cubeA' });
    expect(place).toMatchObject({ name: 'place', object: 'cubeB', endSignal: null });
    for (const d of demos) {
      const held = d.signals[grasp.endSignal!];
      const first = held.indexOf(1);
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThan(d.signals.success.indexOf(1));
    }
  });

  it(`narrow (D0): at least 90 % of MimicGen's published ${(100 * MIMICGEN_STACK_D0).toFixed(1)} % over ${ATTEMPTS} attempts`, async () => {
    const stats = await generateDataset({ demos, out: dir, worlds: 50, backend: 'rapier', randomization: 'narrow', config: { numTrials: ATTEMPTS } });
    expect(stats.attempts).toBe(ATTEMPTS);
    expect(Object.keys(stats.failuresBySubtask).sort()).toEqual(['grasp', 'place']);
    expect(stats.successes + Object.values(stats.failuresBySubtask).reduce((a, b) => a + b, 0)).toBe(ATTEMPTS);
    expect(stats.successRate).toBeGreaterThanOrEqual(0.9 * MIMICGEN_STACK_D0);
    // Each kept trajectory records where its two subtasks began, and succeeded.
    const dataset = await openDataset(dir);
    expect(dataset.manifest.taskId).toBe('stack');
    for (const e of await dataset.take(10)) {
      expect(e.success).toBe(true);
      expect(e.subtaskStarts).toHaveLength(2);
      expect(e.subtaskStarts[1]).toBeGreaterThan(e.subtaskStarts[0]);
    }
  }, 600_000);
});
