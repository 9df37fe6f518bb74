/**
 * One unit's output while its attempts run: a staging directory with its success and failure
 * records, the outcome of every attempt handed to it (in attempt order), then the commit (see
 * `unit-output.ts`). A unit may be cut short once the run's target is reached (its attempts are
 * then a prefix of its range: `attempts` in `unit.json` says how many ran).
 */
import { rm } from 'node:fs/promises';
import type { AttemptResult, GenerateConfig, GenerationFollower } from '@gripgen/trajgen';
import { encodeEpisode } from '@gripgen/trajgen';
import type { GenerationPlan, WorkUnit } from './plan.js';
import { commitUnit, createUnitStaging, OUTCOME_CODES, RecordsFile, type UnitSummary } from './unit-output.js';

/** What the Sim and the run say of a finished unit (the rest of `unit.json` comes from the recorder). */
export interface UnitRunInfo {
  backend: string;
  follower: GenerationFollower;
  adapter: string | null;
  obsNames: string[];
  actionNames: string[];
  sourceDemoIds: Array<string | number>;
  worker: string;
  wallSeconds: number;
  controlSteps: number;
  contactOverflowSteps: number;
}

/** Writes a unit's attempts into its staging directory and commits them. */
export class UnitRecorder {
  private outcomes = '';
  private readonly failedSubtasks: string[] = [];
  private succeeded = 0;

  private constructor(
    private readonly plan: GenerationPlan,
    readonly unit: WorkUnit,
    private readonly staging: string,
    private readonly successes: RecordsFile,
    private readonly failures: RecordsFile,
  ) {}

  /** Creates the unit's staging directory and its record files. */
  static async open(plan: GenerationPlan, unit: WorkUnit): Promise<UnitRecorder> {
    const staging = await createUnitStaging(plan.out, unit.id);
    let successes: RecordsFile | null = null;
    try {
      successes = await RecordsFile.create(staging, 'successes.bin');
      const failures = await RecordsFile.create(staging, 'failures.bin');
      return new UnitRecorder(plan, unit, staging, successes, failures);
    } catch (error) {
      await successes?.abandon();
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
  }

  /** Attempts handed to this unit so far. */
  get attempts(): number {
    return this.outcomes.length;
  }

  /** Successes among them. */
  get successCount(): number {
    return this.succeeded;
  }

  /** Records the next attempt's result (the attempts arrive in order). */
  async add(result: AttemptResult, layout: { obsSize: number; actionSize: number }, config: GenerateConfig): Promise<void> {
    const e = result.episode;
    const expected = this.unit.firstAttempt + this.outcomes.length;
    if (e.attempt !== expected) throw new Error(`unit ${this.unit.id}: got attempt ${e.attempt}, expected ${expected}`);
    if (e.success) {
      this.outcomes += 's';
      this.succeeded++;
      await this.successes.append(e.attempt, encodeEpisode(e, layout));
    } else {
      this.outcomes += OUTCOME_CODES[result.end];
      this.failedSubtasks.push(result.failedSubtask ?? '');
      if (config.keepFailed && this.failures.count < config.maxNumFailures) await this.failures.append(e.attempt, encodeEpisode(e, layout));
    }
  }

  /**
   * Finishes the records and commits the unit: all its attempts, or (`cut`) those handed so far.
   * Returns the summary and whether this call committed it (false: another worker had).
   */
  async commit(info: UnitRunInfo, cut = false): Promise<{ summary: UnitSummary; committed: boolean }> {
    try {
      if (!cut && this.outcomes.length !== this.unit.attempts) throw new Error(`unit ${this.unit.id}: ran ${this.outcomes.length} of ${this.unit.attempts} attempts`);
      if (this.outcomes.length === 0) throw new Error(`unit ${this.unit.id}: no attempt ran`);
      const summary: UnitSummary = {
        version: 1,
        planId: this.plan.planId,
        unitId: this.unit.id,
        index: this.unit.index,
        firstAttempt: this.unit.firstAttempt,
        attempts: this.outcomes.length,
        ...info,
        outcomes: this.outcomes,
        failedSubtasks: this.failedSubtasks,
        successes: await this.successes.finish(),
        failures: await this.failures.finish(),
        committedAt: new Date().toISOString(),
      };
      return { summary, committed: await commitUnit(this.plan.out, this.staging, summary) };
    } catch (error) {
      await this.abandon();
      throw error;
    }
  }

  /** Drops what was written (a failed or restarted unit). */
  async abandon(): Promise<void> {
    await this.successes.abandon();
    await this.failures.abandon();
    await rm(this.staging, { recursive: true, force: true });
  }
}
