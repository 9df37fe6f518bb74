/**
 * The time budget of `bench:gpu`: a row starts only when the seconds spent so far plus its
 * estimate fit the budget. Its estimate comes from the time the same measurement took at the last
 * world count it ran at: a fixed part (the minimum seconds a rate row measures, whatever its size)
 * plus the rest scaled linearly by the world count; 0 for the first (it runs if any time is left).
 */

/** A row that ran: its measurement, world count and wall seconds (setup included). */
export interface RowCost {
  kind: string;
  worlds: number;
  seconds: number;
}

/** Seconds the `kind` row at `worlds` is expected to take, from the rows that ran before; `fixedSeconds`: the part that does not grow with the worlds. */
export function estimateSeconds(done: readonly RowCost[], kind: string, worlds: number, fixedSeconds: number): number {
  const last = done.filter((r) => r.kind === kind).at(-1);
  if (last === undefined) return 0;
  const fixed = Math.min(fixedSeconds, last.seconds);
  return fixed + ((last.seconds - fixed) * worlds) / last.worlds;
}

/** Why the row is skipped, or null when it fits: elapsed + estimate ≤ budget (and elapsed < budget). */
export function budgetSkip(elapsedSeconds: number, estimate: number, budgetSeconds: number): string | null {
  if (elapsedSeconds < budgetSeconds && elapsedSeconds + estimate <= budgetSeconds) return null;
  return `skipped: budget (${elapsedSeconds.toFixed(0)} s spent + ${estimate.toFixed(0)} s estimated > ${budgetSeconds} s)`;
}
