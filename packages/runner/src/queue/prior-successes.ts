/**
 * The successes of a plan's units before a given one, when all of them are known: from units
 * this process ran (their outcomes are those of any run of the unit: a unit depends only on its
 * attempt range) and from committed units on the shared storage. With a success target, a unit
 * whose earlier units hold `count - s` successes needs only its attempts up to its s-th success
 * (the merge stops there), and a unit whose earlier units hold the count is not needed at all.
 */
import { unitId, type GenerationPlan } from './plan.js';
import { unitSuccesses } from './plan-state.js';
import { readUnitSummary } from './unit-output.js';

/** Known successes per unit index, for one plan. */
export class PriorSuccesses {
  private readonly known = new Map<number, number>();
  private readonly sums = [0];

  constructor(readonly plan: GenerationPlan) {}

  /** Records unit `index`'s successes (all its attempts, or a prefix holding the target). */
  note(index: number, successes: number): void {
    this.known.set(index, successes);
  }

  /**
   * Successes of units 0 … index-1 when every one of them is known, or of a known prefix of
   * them that holds the target already (the later ones do not count); else null.
   */
  before(index: number): number | null {
    // sums[i]: the successes of units 0 … i-1, as far as the units are known without a gap.
    while (this.known.has(this.sums.length - 1)) this.sums.push(this.sums[this.sums.length - 1] + this.known.get(this.sums.length - 1)!);
    const top = this.sums.length - 1;
    if (index <= top) return this.sums[index];
    const target = this.plan.target.guarantee ? this.plan.target.count : Infinity;
    return this.sums[top] >= target ? this.sums[top] : null;
  }

  /** Reads the committed summaries of units before `index` not known yet; returns {@link before}. */
  async refresh(index: number): Promise<number | null> {
    const target = this.plan.target.guarantee ? this.plan.target.count : Infinity;
    let sum = 0;
    for (let i = 0; i < index && sum < target; i++) {
      let successes = this.known.get(i);
      if (successes === undefined) {
        const summary = await readUnitSummary(this.plan.out, unitId(i)).catch(() => null);
        if (summary === null) return null;
        successes = unitSuccesses(summary);
        this.known.set(i, successes);
      }
      sum += successes;
    }
    return sum;
  }

  /**
   * Whether a unit with `ownSuccesses` so far, after units holding `prior` successes, completes
   * the target (only with a success target; never when `prior` is unknown).
   */
  reaches(prior: number | null, ownSuccesses: number): boolean {
    return this.plan.target.guarantee && prior !== null && prior + ownSuccesses >= this.plan.target.count;
  }
}
