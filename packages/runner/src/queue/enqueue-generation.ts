/**
 * `gripgen generate --queue`: plans a dataset's generation as work units and enqueues them.
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { sourceDemosToZip, writeFileAtomic, type SourceDemo } from '@gripgen/trajgen';
import type { Queue } from 'bullmq';
import { enqueueUnits, unitJobId } from './generation-queue.js';
import { createGenerationPlan, queueDir, readPlan, sourceSnapshot, writePlan, type GenerationPlan, type PlanOptions } from './plan.js';
import { isSealed } from './plan-state.js';

/** Options of {@link enqueueGeneration}: a plan's options without its source, plus the demos. */
export interface EnqueueGenerationOptions extends Omit<PlanOptions, 'source' | 'sourceDemoIds' | 'task'> {
  demos: readonly SourceDemo[];
}

/** What {@link enqueueGeneration} did. */
export interface EnqueueReport {
  plan: GenerationPlan;
  /** True when `out` held this plan already (a re-run: missing units re-enqueued, failed ones retried). */
  resumed: boolean;
  /** Failed units put back to waiting. */
  retried: string[];
  /** The dataset was sealed already: nothing enqueued. */
  sealed: boolean;
}

/**
 * Writes the source demos (`<out>/.queue/source.zip`, which every worker reads) and the plan,
 * and enqueues one job per unit. `out` must be new or empty, or hold the same plan (then the
 * units are enqueued again — jobs already there are left — and failed units are retried).
 */
export async function enqueueGeneration(queue: Queue, options: EnqueueGenerationOptions): Promise<EnqueueReport> {
  const out = resolve(options.out);
  const fresh = createGenerationPlan({ ...options, out, task: options.demos[0].task, source: sourceSnapshot(out), sourceDemoIds: options.demos.map((d) => d.id) });
  const entries = await readdir(out).catch(() => [] as string[]);
  let plan = fresh;
  let resumed = false;
  if (entries.length > 0) {
    if (!entries.includes('.queue')) throw new Error(`${out} is not empty and holds no queued generation; choose a new or empty directory`);
    const existing = await readPlan(out);
    if (existing.planId !== fresh.planId) {
      throw new Error(`${out} holds another queued generation (plan ${existing.planId}); this command makes plan ${fresh.planId} (a different task, source, seed, config, worlds, threads, backend or --unit-attempts); choose another --out`);
    }
    plan = existing;
    resumed = true;
    if (await isSealed(out)) return { plan, resumed, retried: [], sealed: true };
  } else await mkdir(queueDir(out), { recursive: true });
  if (!(await stat(sourceSnapshot(out)).then(() => true, () => false))) await writeFileAtomic(sourceSnapshot(out), sourceDemosToZip(options.demos));
  if (!resumed) await writePlan(plan);
  await enqueueUnits(queue, plan, plan.units);
  const retried: string[] = [];
  for (const unit of plan.units) {
    const job = await queue.getJob(unitJobId(plan.planId, unit));
    if (job && (await job.getState()) === 'failed') {
      await job.retry('failed');
      retried.push(unit.id);
    }
  }
  return { plan, resumed, retried, sealed: false };
}
