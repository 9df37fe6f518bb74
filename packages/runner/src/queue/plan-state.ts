/**
 * Where a queued run stands, from the committed units on the shared storage alone: sealed,
 * complete (the units that make the dataset are all committed), short of successes with every
 * unit committed (the plan must grow), or waiting for units.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MANIFEST_FILE } from '@gripgen/trajgen';
import { extensionUnits, type GenerationPlan, type WorkUnit } from './plan.js';
import { readUnitSummary, type UnitSummary } from './unit-output.js';

/** The state of a queued run; see the module comment. */
export type PlanState =
  | { kind: 'sealed' }
  | { kind: 'complete'; units: UnitSummary[] }
  | { kind: 'extend'; units: WorkUnit[]; attempts: number; successes: number }
  | { kind: 'pending'; committed: number; total: number; waitingFor: string[] };

/** Whether `<out>/manifest.json` exists and says the dataset is complete. */
export async function isSealed(out: string): Promise<boolean> {
  try {
    const manifest = JSON.parse(await readFile(join(resolve(out), MANIFEST_FILE), 'utf8')) as { complete?: unknown };
    return manifest.complete === true;
  } catch {
    return false;
  }
}

/** Successes among a unit's attempts. */
export const unitSuccesses = (summary: UnitSummary) => summary.outcomes.split('s').length - 1;

/**
 * Assesses the plan: with a success target, the dataset is complete as soon as the units from
 * the first on, all committed, hold the target's successes (later units are surplus); without,
 * when every unit is committed.
 */
export async function assessPlan(plan: GenerationPlan): Promise<PlanState> {
  if (await isSealed(plan.out)) return { kind: 'sealed' };
  const summaries = await Promise.all(plan.units.map((u) => readUnitSummary(plan.out, u.id)));
  const waitingFor = plan.units.filter((_, i) => summaries[i] === null).map((u) => u.id);
  const committed = plan.units.length - waitingFor.length;
  if (plan.target.guarantee) {
    let successes = 0;
    let attempts = 0;
    for (let i = 0; i < summaries.length; i++) {
      const summary = summaries[i];
      if (summary === null) return { kind: 'pending', committed, total: plan.units.length, waitingFor };
      successes += unitSuccesses(summary);
      attempts += summary.attempts;
      if (successes >= plan.target.count) return { kind: 'complete', units: summaries.slice(0, i + 1) as UnitSummary[] };
    }
    return { kind: 'extend', units: extensionUnits(plan, attempts, successes), attempts, successes };
  }
  if (waitingFor.length > 0) return { kind: 'pending', committed, total: plan.units.length, waitingFor };
  return { kind: 'complete', units: summaries as UnitSummary[] };
}
