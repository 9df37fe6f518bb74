/**
 * Seals a queued run's committed units into one dataset in `<out>` — the format every reader
 * reads, equal episode for episode (and shard for shard) to what `gripgen generate` writes
 * without a queue: the attempts are replayed in order into a dataset writer exactly as
 * `generateDataset` hands them to its writers (successes to `<out>`, the first `maxNumFailures`
 * failures to `<out>/failed`), stopping at the target's last success.
 *
 * The dataset is built in `<out>/.queue/merge/` under the run's merge lock (one merge at a
 * time, across machines) and moved into place: `failed/`, `shards/`, then `manifest.json`, the
 * commit. A merge killed while building is redone from the start by the next; one killed while
 * moving is finished by the next (a `.sealed` marker says the staged dataset is whole).
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getTask } from '@gripgen/sim-core';
import { createDatasetWriter, decodeEpisode, getDatagenTask, MANIFEST_FILE, parseGenerateConfig, SHARDS_DIR, type DatasetManifest, type DatasetWriter, type DatasetWriterOptions } from '@gripgen/trajgen';
import { queueDir, readPlan, unitsDir, type GenerationPlan } from './plan.js';
import { takeMergeLock } from './merge-lock.js';
import { assessPlan, isSealed, type PlanState } from './plan-state.js';
import { readUnitRecords, type UnitSummary } from './unit-output.js';

/** Failed attempts by how they ended (the outcome codes of `unit.json`). */
const FAILURE_KINDS = { x: 'faults', t: 'tooLong', b: 'objectBelowTable', o: 'objectOutsideWorkspace' } as const;

/** What {@link mergeUnits} did. */
export type MergeResult =
  | { status: 'merged'; manifest: DatasetManifest; units: number }
  | { status: 'sealed' }
  | { status: 'busy'; message: string }
  | { status: 'incomplete'; state: Exclude<PlanState, { kind: 'sealed' } | { kind: 'complete' }> };

/** Counters of the merged attempts, written into the manifest's `stats`. */
interface MergeCounts {
  attempts: number;
  successes: number;
  kept: number;
  failuresKept: number;
  failuresBySubtask: Record<string, number>;
  faults: number;
  tooLong: number;
  objectBelowTable: number;
  objectOutsideWorkspace: number;
}

/**
 * Merges `<out>`'s queued run if its units are complete. Returns `incomplete` (with what is
 * missing) when they are not, `busy` when another process is merging it, `sealed` when it
 * was sealed before.
 */
export async function mergeUnits(out: string): Promise<MergeResult> {
  const plan = await readPlan(out);
  const state = await assessPlan(plan);
  if (state.kind === 'sealed') return { status: 'sealed' };
  if (state.kind !== 'complete') return { status: 'incomplete', state };
  const units = state.units;
  const first = units[0];
  for (const u of units) {
    for (const key of ['backend', 'follower', 'obsNames', 'actionNames', 'sourceDemoIds'] as const) {
      if (JSON.stringify(u[key]) !== JSON.stringify(first[key])) {
        const hint = key === 'follower' ? 'workers of this version and earlier ones (which followed on the host) mixed; regenerate the older units' : 'give gripgen generate --backend explicitly';
        throw new Error(`unit ${u.unitId} was generated with ${key} ${JSON.stringify(u[key])}, unit ${first.unitId} with ${JSON.stringify(first[key])}: one dataset needs one (${hint})`);
      }
    }
  }
  const config = parseGenerateConfig(plan.config);
  const identity = {
    config: {
      generate: config,
      randomization: plan.randomization ?? getTask(plan.task).defaultPreset,
      backend: first.backend,
      ...(first.follower === 'gpu' && { follower: first.follower }),
      certify: null,
      keep: 'all',
    } as Record<string, unknown>,
    taskId: plan.task,
    seed: plan.seed,
    shard: { index: 0, count: 1 },
    obsNames: first.obsNames,
    actionNames: first.actionNames,
    sourceDemoIds: first.sourceDemoIds,
  };
  const lock = await takeMergeLock(plan.out);
  if ('heldBy' in lock) return { status: 'busy', message: `${plan.out} is being merged by ${lock.heldBy}` };
  try {
    if (await isSealed(plan.out)) return { status: 'sealed' };
    const staging = join(queueDir(plan.out), 'merge');
    const marker = join(staging, '.sealed');
    if (!(await exists(marker))) {
      await rm(staging, { recursive: true, force: true });
      await mkdir(staging, { recursive: true });
      await buildDataset(plan, units, identity, config.keepFailed ? config.maxNumFailures : 0, staging);
      await writeFile(marker, '');
    }
    await moveIntoPlace(plan.out, staging, config.keepFailed);
    const manifest = JSON.parse(await readFile(join(plan.out, MANIFEST_FILE), 'utf8')) as DatasetManifest;
    await rm(staging, { recursive: true, force: true });
    await rm(unitsDir(plan.out), { recursive: true, force: true });
    return { status: 'merged', manifest, units: units.length };
  } finally {
    await lock.release();
  }
}

/** Writes the dataset (and its `failed/` part) into `staging` from the units. */
async function buildDataset(plan: GenerationPlan, units: readonly UnitSummary[], identity: DatasetWriterOptions, maxFailures: number, staging: string): Promise<void> {
  const first = units[0];
  let writer: DatasetWriter | null = null;
  let failedWriter: DatasetWriter | null = null;
  try {
    writer = await createDatasetWriter(staging, identity);
    failedWriter = maxFailures > 0 || parseGenerateConfig(plan.config).keepFailed ? await createDatasetWriter(join(staging, 'failed'), identity) : null;
    const counts = await replayUnits(plan, units, maxFailures, writer, failedWriter);
    const stats = {
      ...counts,
      task: plan.task,
      backend: first.backend,
      follower: first.follower,
      adapter: first.adapter,
      worlds: plan.worlds,
      seed: plan.seed,
      shard: { index: 0, count: 1 },
      successRate: counts.attempts > 0 ? counts.successes / counts.attempts : 0,
      contactOverflowSteps: units.reduce((s, u) => s + u.contactOverflowSteps, 0),
      controlSteps: units.reduce((s, u) => s + u.controlSteps, 0),
      resumed: false,
      certification: null,
      queue: { planId: plan.planId, units: units.length, workers: [...new Set(units.map((u) => u.worker))].sort(), unitWallSeconds: units.reduce((s, u) => s + u.wallSeconds, 0) },
    };
    await writer.close({ stats });
    writer = null;
    if (failedWriter) await failedWriter.close({ stats: { failuresKept: counts.failuresKept } });
    failedWriter = null;
  } finally {
    if (failedWriter) await failedWriter.release().catch(() => {});
    if (writer) await writer.release().catch(() => {});
  }
}

/**
 * Hands the units' attempts, in order, to the writers as `generateDataset` does; attempts a
 * resumed writer already holds are counted, not written again.
 */
async function replayUnits(plan: GenerationPlan, units: readonly UnitSummary[], maxFailures: number, writer: DatasetWriter, failedWriter: DatasetWriter | null): Promise<MergeCounts> {
  const counts: MergeCounts = {
    attempts: 0,
    successes: 0,
    kept: 0,
    failuresKept: 0,
    failuresBySubtask: Object.fromEntries(getTaskSubtasks(plan.task).map((name) => [name, 0])),
    faults: 0,
    tooLong: 0,
    objectBelowTable: 0,
    objectOutsideWorkspace: 0,
  };
  const mainNext = writer.resume.nextAttempt;
  const failedNext = failedWriter ? failedWriter.resume.nextAttempt : Infinity;
  const layout = { obsSize: writer.manifest.obsNames.length, actionSize: writer.manifest.actionNames.length };
  for (const unit of units) {
    const successes = await readUnitRecords(plan.out, unit, unit.successes);
    const failures = await readUnitRecords(plan.out, unit, unit.failures);
    let s = 0;
    let f = 0;
    for (let i = 0; i < unit.attempts; i++) {
      const attempt = unit.firstAttempt + i;
      const code = unit.outcomes[i];
      counts.attempts++;
      if (code === 's') {
        const [recordAttempt, offset, length] = unit.successes.records[s++];
        if (recordAttempt !== attempt) throw new Error(`unit ${unit.unitId}: success record ${s - 1} is of attempt ${recordAttempt}, expected ${attempt}`);
        counts.successes++;
        counts.kept++;
        if (attempt >= mainNext) await writer.append(decodeEpisode(successes, offset, offset + length, layout));
        if (failedWriter && attempt >= failedNext) failedWriter.discard(attempt, { success: true });
        if (plan.target.guarantee && counts.kept >= plan.target.count) return counts;
        continue;
      }
      const subtask = unit.failedSubtasks[f];
      counts.failuresBySubtask[subtask] = (counts.failuresBySubtask[subtask] ?? 0) + 1;
      if (code in FAILURE_KINDS) counts[FAILURE_KINDS[code as keyof typeof FAILURE_KINDS]]++;
      if (attempt >= mainNext) writer.discard(attempt, { success: false });
      if (failedWriter) {
        if (counts.failuresKept < maxFailures) {
          if (attempt >= failedNext) {
            const record = unit.failures.records[f];
            if (!record || record[0] !== attempt) throw new Error(`unit ${unit.unitId}: failure record ${f} should be attempt ${attempt}, is ${record?.[0]}`);
            await failedWriter.append(decodeEpisode(failures, record[1], record[1] + record[2], layout));
          }
          counts.failuresKept++;
        } else if (attempt >= failedNext) failedWriter.discard(attempt, { success: false });
      }
      f++;
    }
  }
  return counts;
}

function getTaskSubtasks(taskId: string): string[] {
  return getDatagenTask(taskId).subtasks.map((s) => s.name);
}

const exists = (path: string) => stat(path).then(() => true, () => false);

/** Moves the sealed dataset from the staging directory into `out`; the manifest last. */
async function moveIntoPlace(out: string, staging: string, withFailed: boolean): Promise<void> {
  for (const name of [...(withFailed ? ['failed'] : []), SHARDS_DIR, MANIFEST_FILE]) {
    // Moved already by a merge killed after this step: nothing left to move.
    if (!(await exists(join(staging, name)))) continue;
    await rm(join(out, name), { recursive: true, force: true });
    await rename(join(staging, name), join(out, name));
  }
}
