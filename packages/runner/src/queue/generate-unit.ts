/**
 * Generates one work unit: attempts [firstAttempt, firstAttempt + attempts) of the plan's seed,
 * exactly as `generateDataset` runs them (same Sim config, same attempt ids), written into a
 * staging directory and committed under the unit's id.
 */
import { createSim, getTask } from '@gripgen/sim-core';
import { encodeEpisode, getDatagenTask, parseGenerateConfig, readSourceDemos, runBatchGeneration } from '@gripgen/trajgen';
import { rm } from 'node:fs/promises';
import type { GenerationPlan, WorkUnit } from './plan.js';
import { commitUnit, createUnitStaging, OUTCOME_CODES, RecordsFile, type UnitSummary } from './unit-output.js';

/** Counters of a unit in progress. */
export interface UnitProgress {
  attempts: number;
  successes: number;
  total: number;
}

/** Options of {@link generateUnit}. */
export interface GenerateUnitOptions {
  /** Who generates it (`host:pid`), recorded in `unit.json`. */
  worker: string;
  /** Called after each finished attempt. */
  onProgress?: (progress: UnitProgress) => void;
}

/** What {@link generateUnit} did: the summary, and whether this call committed it (false: another worker had). */
export interface UnitOutcome {
  summary: UnitSummary;
  committed: boolean;
}

/**
 * Runs the unit's attempts and commits them (see `unit-output.ts`). Throws (nothing committed)
 * when the source demos cannot be read or are of another task than the plan's.
 */
export async function generateUnit(plan: GenerationPlan, unit: WorkUnit, options: GenerateUnitOptions): Promise<UnitOutcome> {
  const demos = await readSourceDemos(unit.source);
  if (demos.length === 0) throw new Error(`unit ${unit.id}: ${unit.source} holds no source demos`);
  if (demos[0].task !== plan.task) throw new Error(`unit ${unit.id}: ${unit.source} holds demos of task "${demos[0].task}", the plan is for "${plan.task}"`);
  const ids = demos.map((d) => d.id);
  if (JSON.stringify(ids) !== JSON.stringify(plan.sourceDemoIds)) {
    throw new Error(`unit ${unit.id}: ${unit.source} holds source demos ${JSON.stringify(ids)}, the plan was made with ${JSON.stringify(plan.sourceDemoIds)}`);
  }
  const config = parseGenerateConfig(plan.config);
  const task = getDatagenTask(plan.task);
  const start = performance.now();
  const sim = await createSim({
    task: plan.task,
    numWorlds: Math.min(plan.worlds, unit.attempts),
    backend: plan.backend,
    seed: plan.seed,
    randomization: plan.randomization ?? getTask(plan.task).defaultPreset,
    actionMode: 'delta',
    maxEpisodeSteps: config.maxAttemptSteps + 1,
    ...(plan.threads !== null ? { threads: plan.threads } : {}),
  });
  const staging = await createUnitStaging(plan.out, unit.id);
  const layout = { obsSize: sim.spec.obsNames.length, actionSize: sim.spec.actionNames.length };
  let successes: RecordsFile | null = null;
  let failures: RecordsFile | null = null;
  try {
    successes = await RecordsFile.create(staging, 'successes.bin');
    failures = await RecordsFile.create(staging, 'failures.bin');
    let outcomes = '';
    const failedSubtasks: string[] = [];
    let succeeded = 0;
    const controlSteps = await runBatchGeneration({
      sim,
      task,
      demos,
      config,
      attemptId: (k) => unit.firstAttempt + k,
      startIndex: 0,
      wantAttempt: (k) => k < unit.attempts,
      onResult: async (result) => {
        const e = result.episode;
        if (e.success) {
          outcomes += 's';
          succeeded++;
          await successes!.append(e.attempt, encodeEpisode(e, layout));
        } else {
          outcomes += OUTCOME_CODES[result.end];
          failedSubtasks.push(result.failedSubtask ?? '');
          if (config.keepFailed && failures!.count < config.maxNumFailures) await failures!.append(e.attempt, encodeEpisode(e, layout));
        }
        options.onProgress?.({ attempts: outcomes.length, successes: succeeded, total: unit.attempts });
        return false;
      },
    });
    const summary: UnitSummary = {
      version: 1,
      planId: plan.planId,
      unitId: unit.id,
      index: unit.index,
      firstAttempt: unit.firstAttempt,
      attempts: unit.attempts,
      backend: sim.spec.backend,
      adapter: sim.spec.adapter ? sim.spec.adapter.description : null,
      obsNames: [...sim.spec.obsNames],
      actionNames: [...sim.spec.actionNames],
      sourceDemoIds: ids,
      outcomes,
      failedSubtasks,
      successes: await successes.finish(),
      failures: await failures.finish(),
      worker: options.worker,
      wallSeconds: (performance.now() - start) / 1000,
      controlSteps,
      contactOverflowSteps: sim.contactOverflowSteps,
      committedAt: new Date().toISOString(),
    };
    successes = null;
    failures = null;
    if (outcomes.length !== unit.attempts) throw new Error(`unit ${unit.id}: ran ${outcomes.length} of ${unit.attempts} attempts`);
    const committed = await commitUnit(plan.out, staging, summary);
    return { summary, committed };
  } catch (error) {
    await successes?.abandon();
    await failures?.abandon();
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    await sim.dispose();
  }
}
