/**
 * MimicGen's published generation success rates (Mandlekar et al., CoRL 2023, from 10 source
 * demos; ../shared/FACTS.md), next to the gripgen task they are comparable to: D0 against our
 * `narrow` preset, D1 against `wide` (the reset ranges each preset documents).
 */
export interface PublishedRates {
  /** MimicGen's task. */
  task: string;
  /** Generation success (%) at D0 / D1; absent where MimicGen reports none. */
  narrow?: number;
  wide?: number;
  /** How far the tasks are alike. */
  note: string;
}

/** By gripgen task id. */
export const MIMICGEN_RATES: Readonly<Record<string, PublishedRates>> = {
  stack: { task: 'Stack', narrow: 94.3, wide: 90.0, note: 'same task: cube A onto cube B, D0/D1 reset ranges' },
  'stack-three': { task: 'StackThree', narrow: 71.3, wide: 68.9, note: 'same task: A on B, then C on A' },
  'pick-place': {
    task: 'PickPlace',
    narrow: 32.7,
    note: "not alike: MimicGen's PickPlace puts four objects into four bins; ours one cube into one bin",
  },
};
