import { TERMINATION_REASON } from '../sim/termination.js';

/**
 * Why a vector env's episode ended at a step (`VectorEnvInfos.endReason`): the Sim's
 * termination reasons (codes 0–3, `TERMINATION_REASON`), plus `fault` and `timeLimit`.
 * Every ended episode has exactly one reason, and exactly one of `terminations` /
 * `truncations` is set for it: `timeLimit` truncates, every other reason terminates.
 */
export const EPISODE_END = {
  ...TERMINATION_REASON,
  /**
   * The world blew up (a body beyond `FAULT_LIMITS` or a non-finite state): terminated as a
   * failure. The step's observation is the world's last one before the blow-up, its reward 0.
   */
  fault: 4,
  /** The episode reached `maxEpisodeSteps` without terminating: truncated. */
  timeLimit: 5,
} as const;

/** Name of an episode end reason (`EPISODE_END` key). */
export type EpisodeEndName = keyof typeof EPISODE_END;

/** The end reason names, indexed by code. */
export const EPISODE_END_NAMES: readonly EpisodeEndName[] = ['none', 'success', 'objectBelowTable', 'objectOutsideWorkspace', 'fault', 'timeLimit'];
