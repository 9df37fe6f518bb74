/** The command-line options that set a benchmark's `RoundPolicy`. */
import type { RoundPolicy } from './repeat.js';

/** `parseArgs` options: `--min-seconds`, `--min-rounds`. */
export const ROUND_OPTIONS = {
  'min-seconds': { type: 'string' },
  'min-rounds': { type: 'string' },
} as const;

/** Their lines in a usage text. */
export function roundUsage(defaults: RoundPolicy, seconds = '--min-seconds', rounds = '--min-rounds'): string {
  return (
    `  ${`${seconds} <s>`.padEnd(20)} every row repeats until it measured at least s seconds (default ${defaults.minSeconds})\n` +
    `  ${`${rounds} <n>`.padEnd(20)} … in at least n rounds; rates are the median and min–max of the rounds (default ${defaults.minRounds})`
  );
}

/**
 * The policy from the options' values (`seconds`, `rounds`; undefined: the default), checked:
 * seconds > 0, rounds a whole number ≥ 1. `names`: the options as the bench spells them.
 */
export function roundPolicy(seconds: string | undefined, rounds: string | undefined, defaults: RoundPolicy, names = ['--min-seconds', '--min-rounds']): RoundPolicy {
  const policy = { minSeconds: seconds === undefined ? defaults.minSeconds : Number(seconds), minRounds: rounds === undefined ? defaults.minRounds : Number(rounds) };
  if (!(policy.minSeconds > 0)) throw new Error(`${names[0]} must be a number of seconds > 0, got ${seconds}`);
  if (!(Number.isInteger(policy.minRounds) && policy.minRounds >= 1)) throw new Error(`${names[1]} must be a whole number ≥ 1, got ${rounds}`);
  return policy;
}
