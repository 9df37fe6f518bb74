/** The train / validation split of an export: deterministic, spread evenly over the dataset. */

/** Default fraction of episodes in the validation split. */
export const DEFAULT_VALID_FRACTION = 0.1;

/**
 * Which of `count` episodes (in dataset order, i.e. attempt order) are validation episodes.
 * Rule: `numValid = round(count · validFraction)`, at least 1 when `count ≥ 2` and the fraction is
 * positive, at most `count − 1`; episode i is a validation episode when ⌊(i+1)·numValid/count⌋ >
 * ⌊i·numValid/count⌋, i.e. the last of each block of count/numValid episodes (with 100 episodes
 * and 0.1: episodes 9, 19, …, 99). No randomness: the same dataset always splits the same way,
 * and every region of the seed space is in both splits.
 */
export function validationMask(count: number, validFraction = DEFAULT_VALID_FRACTION): boolean[] {
  if (!(validFraction >= 0 && validFraction < 1)) throw new RangeError(`validFraction must be in [0, 1), got ${validFraction}`);
  let numValid = Math.round(count * validFraction);
  if (validFraction > 0 && count >= 2) numValid = Math.min(Math.max(numValid, 1), count - 1);
  if (count < 2) numValid = 0;
  return Array.from({ length: count }, (_, i) => Math.floor(((i + 1) * numValid) / count) > Math.floor((i * numValid) / count));
}
