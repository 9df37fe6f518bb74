/** Table cells of a row's rounds: the median, and the spread as `min–max`. */
import { formatNumber } from '@gripgen/runner';
import type { RateSummary, RoundPolicy } from './repeat.js';

/** `12,345`, or `-` when the row has no rounds. */
export function formatMedian(s: RateSummary, digits = 0): string {
  return Number.isNaN(s.median) ? '-' : formatNumber(s.median, digits);
}

/** `11,900–12,800` (minimum–maximum of the rounds' rates), or `-`. */
export function formatSpread(s: RateSummary, digits = 0): string {
  return Number.isNaN(s.median) ? '-' : `${formatNumber(s.min, digits)}–${formatNumber(s.max, digits)}`;
}

/** What a report's JSON says about its rows' rounds. */
export function roundsRecord(policy: RoundPolicy) {
  return { ...policy, rate: "median of the rounds' rates", spread: "min–max of the rounds' rates" };
}

/** The line under a table that says what its rates are. */
export function roundsNote(policy: RoundPolicy): string {
  return (
    `rates: median of the rounds' rates; min–max: their spread; every row repeated until it measured ` +
    `≥ ${policy.minSeconds} s in ≥ ${policy.minRounds} rounds`
  );
}
