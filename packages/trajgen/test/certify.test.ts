import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certifyDataset, generateDataset, openDataset, recordExpertDemos } from '../src/index.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gripgen-certify-'));
  const demos = await recordExpertDemos({ count: 4, randomization: 'narrow', seed: 0, threads: 0 });
  await generateDataset({ demos, out: dir, config: { numTrials: 12, guarantee: true }, worlds: 12, backend: 'rapier', randomization: 'narrow', seed: 3, threads: 0 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('certifyDataset', () => {
  it('replayed on the engine that generated it, every trajectory succeeds again with the same final poses (bit-exact replay)', async () => {
    const dataset = await openDataset(dir);
    const report = await certifyDataset(dataset, { backend: 'rapier', worlds: 5, threads: 0 });
    expect(report.checked).toBe(dataset.count);
    expect(report.episodes.map((e) => e.attempt)).toEqual([...dataset.attempts]);
    expect(report.generatedOn).toBe('rapier');
    expect(report.agreementRate).toBe(1);
    expect(report.objectPositionError.p95).toBe(0);
    expect(report.objectAngleError.p95).toBe(0);
    expect(report.effectorPositionError.p95).toBe(0);
  });

  it('on the other engine: reports agreement and pose differences, and honours limit', async () => {
    const dataset = await openDataset(dir);
    const report = await certifyDataset(dataset, { backend: 'webgpu', limit: 3 });
    expect(report.checked).toBe(3);
    expect(report.backend).toBe('webgpu');
    // Independent engines agree on outcome, not on the last bit.
    expect(report.agreementRate).toBeGreaterThanOrEqual(2 / 3);
    expect(report.objectPositionError.median).toBeGreaterThan(0);
    expect(report.objectPositionError.p95).toBeLessThan(0.05);
  });
});
