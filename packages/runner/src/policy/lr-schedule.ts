/**
 * Learning-rate schedules: the factor applied to Adam's learning rate (and to its decoupled weight
 * decay) at each optimizer step.
 *
 * `cosine` decays the rate from `lr` to 0 over the run (Loshchilov & Hutter 2017, without
 * restarts). Ending at a small rate makes the final weights a settled point rather than one noisy
 * iterate of a constant-rate run, which matters for closed-loop behaviour cloning, where small
 * weight changes move success by several points.
 */

/** Names of the learning-rate schedules. */
export const LR_SCHEDULES = ['constant', 'cosine'] as const;

/** A learning-rate schedule. */
export type LrSchedule = (typeof LR_SCHEDULES)[number];

/**
 * The factor on the learning rate for update `step` (0-based) of a run of `steps` updates:
 * 1 for `constant`; `½ (1 + cos(π · step / steps))` for `cosine` (1 at the first update, just
 * above 0 at the last).
 */
export function lrScale(schedule: LrSchedule, step: number, steps: number): number {
  switch (schedule) {
    case 'constant':
      return 1;
    case 'cosine':
      return steps > 0 ? 0.5 * (1 + Math.cos((Math.PI * Math.min(step, steps)) / steps)) : 1;
    default:
      throw new Error(`unknown learning-rate schedule ${String(schedule)}; use one of ${LR_SCHEDULES.join(', ')}`);
  }
}
