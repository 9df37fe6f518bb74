/**
 * A worker's unit pipeline, in one process without Redis: units handed to it at once run back to
 * back in one Sim and commit exactly what one Sim per unit commits (outcomes, record sha256);
 * with a success target, the unit that reaches it stops at the target's last success (its
 * attempts a prefix of its range) and the units after it are not run; the merge still equals
 * `generateDataset` without a queue, shard for shard.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset, recordExpertDemos, sourceDemosToZip, type DatasetManifest } from '@gripgen/trajgen';
import { afterAll, describe, expect, it } from 'vitest';
import { generateUnit } from '../src/queue/generate-unit.js';
import { mergeUnits } from '../src/queue/merge-units.js';
import { createGenerationPlan, makeUnits, sourceSnapshot, writePlan } from '../src/queue/plan.js';
import { UnitPipeline } from '../src/queue/unit-pipeline.js';

const scratch = mkdtempSync(join(tmpdir(), 'gripgen-queue-pipeline-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function identityAndShards(dir: string) {
  const { createdAt: _c, updatedAt: _u, stats: _s, createdBy: _b, ...rest } = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as DatasetManifest;
  return rest;
}

describe('unit pipeline', () => {
  it('units back to back in one Sim equal one Sim per unit; the target unit is cut, the next not run; the merge equals generateDataset', async () => {
    const demos = await recordExpertDemos({ task: 'pick-place', count: 2, seed: 0, backend: 'rapier', threads: 1 });
    const config = { numTrials: 6, guarantee: true, maxAttemptSteps: 70 };
    const plain = join(scratch, 'plain');
    await generateDataset({ demos, out: plain, config, worlds: 2, backend: 'rapier', seed: 3, threads: 1 });
    // Attempts the dataset needs (its 6th success is attempt needed - 1); units that do not end there.
    const needed = identityAndShards(plain).nextAttempt;
    const unitAttempts = [3, 4, 5].find((u) => needed % u !== 0 && needed > u)!;
    const target = Math.floor((needed - 1) / unitAttempts);

    const planOf = (out: string) => {
      const plan = createGenerationPlan({ out, task: 'pick-place', source: sourceSnapshot(out), sourceDemoIds: demos.map((d) => d.id), seed: 3, randomization: null, backend: 'rapier', worlds: 2, threads: 1, config, unitAttempts, jobAttempts: 1 });
      // Two units past the one that reaches the target.
      plan.units = makeUnits(0, target + 3, unitAttempts, sourceSnapshot(out));
      return plan;
    };
    const queued = planOf(join(scratch, 'queued'));
    const single = planOf(join(scratch, 'single'));
    for (const plan of [queued, single]) {
      await writePlan(plan);
      writeFileSync(sourceSnapshot(plan.out), sourceDemosToZip(demos));
    }

    const pipeline = new UnitPipeline();
    const outcomes = await Promise.all(queued.units.map((unit) => pipeline.run(queued, unit, { worker: 'p' })));
    await pipeline.dispose();
    // One Sim per unit, each unit whole.
    const reference = [];
    for (const unit of single.units.slice(0, target + 1)) reference.push((await generateUnit(single, unit, { worker: 's' })).summary!);

    for (let i = 0; i < target; i++) {
      const o = outcomes[i];
      expect(o).toMatchObject({ committed: true, cut: false });
      expect(o.summary!.outcomes).toBe(reference[i].outcomes);
      expect(o.summary!.successes.sha256).toBe(reference[i].successes.sha256);
      expect(o.summary!.failures.sha256).toBe(reference[i].failures.sha256);
    }
    const cut = outcomes[target];
    expect(cut).toMatchObject({ committed: true, cut: true });
    expect(cut.summary!.attempts).toBe(needed - target * unitAttempts);
    expect(cut.summary!.attempts).toBeLessThan(unitAttempts);
    expect(reference[target].outcomes.startsWith(cut.summary!.outcomes)).toBe(true);
    for (const o of outcomes.slice(target + 1)) expect(o).toMatchObject({ summary: null, committed: false, unneededAfter: 6 });
    expect(readdirSync(join(queued.out, '.queue/units')).sort()).toEqual(queued.units.slice(0, target + 1).map((u) => u.id));

    expect((await mergeUnits(queued.out)).status).toBe('merged');
    expect(identityAndShards(queued.out)).toEqual(identityAndShards(plain));
    expect(identityAndShards(join(queued.out, 'failed'))).toEqual(identityAndShards(join(plain, 'failed')));
    // A fresh pipeline finds a unit after the target unneeded from the committed units alone.
    const late = new UnitPipeline();
    expect(await late.unneededAfter(single, single.units[target + 1])).toBeGreaterThanOrEqual(6);
    expect(await late.unneededAfter(single, single.units[target])).toBeNull();
    expect(await late.unneededAfter(queued, queued.units[target + 1])).toBeNull(); // merged: units are gone
    await late.dispose();
  }, 120_000);
});
