/**
 * Generates one work unit on its own: attempts [firstAttempt, firstAttempt + attempts) of the
 * plan's seed, exactly as `generateDataset` runs them (same Sim config, same attempt ids),
 * written into a staging directory and committed under the unit's id. A worker runs its units
 * through one long-lived {@link UnitPipeline} instead (one Sim for many units).
 */
import type { GenerationPlan, WorkUnit } from './plan.js';
import { UnitPipeline, type GenerateUnitOptions, type UnitOutcome } from './unit-pipeline.js';

export type { GenerateUnitOptions, UnitOutcome, UnitProgress } from './unit-pipeline.js';

/**
 * Runs the unit's attempts and commits them (see `unit-output.ts`). Throws (nothing committed)
 * when the source demos cannot be read or are of another task than the plan's.
 */
export async function generateUnit(plan: GenerationPlan, unit: WorkUnit, options: GenerateUnitOptions): Promise<UnitOutcome> {
  const pipeline = new UnitPipeline();
  try {
    return await pipeline.run(plan, unit, options);
  } finally {
    await pipeline.dispose();
  }
}
