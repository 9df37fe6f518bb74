/**
 * Units and the merge in one process, without Redis: a unit committed twice is kept once (the
 * second commit is dropped and says so), the merge of the committed units equals
 * `generateDataset` without a queue shard for shard (main and failed), a second merge finds
 * the dataset sealed, and a merge before the units are in names the missing ones.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset, recordExpertDemos, sourceDemosToZip, type DatasetManifest } from '@gripgen/trajgen';
import { afterAll, describe, expect, it } from 'vitest';
import { generateUnit } from '../src/queue/generate-unit.js';
import { mergeUnits } from '../src/queue/merge-units.js';
import { createGenerationPlan, sourceSnapshot, writePlan } from '../src/queue/plan.js';

const scratch = mkdtempSync(join(tmpdir(), 'gripgen-queue-units-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The manifest fields that make two datasets equal (not the times or the stats). */
function identityAndShards(dir: string) {
  const { createdAt: _c, updatedAt: _u, stats: _s, createdBy: _b, ...rest } = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as DatasetManifest;
  return rest;
}

describe('queue units and merge', () => {
  it('commit once, merge equal to generateDataset, merge again: sealed', async () => {
    const demos = await recordExpertDemos({ task: 'pick-place', count: 2, seed: 0, backend: 'rapier', threads: 1 });
    const out = join(scratch, 'queued');
    const config = { numTrials: 5, maxAttemptSteps: 70 };
    const plan = createGenerationPlan({
      out,
      task: 'pick-place',
      source: sourceSnapshot(out),
      sourceDemoIds: demos.map((d) => d.id),
      seed: 2,
      randomization: null,
      backend: 'rapier',
      worlds: 2,
      threads: 1,
      config,
      unitAttempts: 2,
      jobAttempts: 1,
    });
    expect(plan.units.map((u) => u.attempts)).toEqual([2, 2, 1]);
    await writePlan(plan);
    writeFileSync(sourceSnapshot(out), sourceDemosToZip(demos));

    const first = await generateUnit(plan, plan.units[0], { worker: 'a' });
    expect(first.committed).toBe(true);
    const early = await mergeUnits(out);
    expect(early).toMatchObject({ status: 'incomplete', state: { kind: 'pending', committed: 1, total: 3, waitingFor: ['u000001', 'u000002'] } });
    // The same unit again (a retried or recovered job): dropped, the first commit stays.
    const again = await generateUnit(plan, plan.units[0], { worker: 'b' });
    expect(again.committed).toBe(false);
    expect(JSON.parse(readFileSync(join(out, '.queue/units/u000000/unit.json'), 'utf8')).worker).toBe('a');
    expect(readdirSync(join(out, '.queue/units')).sort()).toEqual(['u000000']);
    for (const unit of plan.units.slice(1)) expect((await generateUnit(plan, unit, { worker: 'a' })).committed).toBe(true);

    const merged = await mergeUnits(out);
    expect(merged.status).toBe('merged');
    expect(await mergeUnits(out)).toEqual({ status: 'sealed' });

    const plain = join(scratch, 'plain');
    await generateDataset({ demos, out: plain, config, worlds: 2, backend: 'rapier', seed: 2, threads: 1 });
    expect(identityAndShards(out)).toEqual(identityAndShards(plain));
    expect(identityAndShards(join(out, 'failed'))).toEqual(identityAndShards(join(plain, 'failed')));
    expect(identityAndShards(plain).counts.attempts).toBe(5);
    // Some attempts failed (too long), so the failed datasets were compared on real episodes.
    expect(identityAndShards(join(plain, 'failed')).counts.episodes).toBeGreaterThan(0);
  }, 120_000);
});
