import type { Sim, StepResult } from '@gripgen/sim-core';

/**
 * Watches a {@link LiveSimSource}'s steps (the demo recorder). The result arrays are the
 * Sim's views: copy what you keep, they change at the next step.
 */
export interface StepObserver {
  /** Before `sim.step(actions)`: `result` is what the actions were chosen from. */
  beforeStep(sim: Sim, result: StepResult, actions: Float32Array): void;
  /** After the step. */
  afterStep(sim: Sim, result: StepResult): void;
  /** Every world was reset; `result` is the new episode's first observation. */
  afterRestart(sim: Sim, result: StepResult): void;
}
