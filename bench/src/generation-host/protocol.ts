/** What the generation-host benchmark's parent and child processes share (copied into baseline trees with the child). */

/** What a child measures. */
export interface HostCase {
  worlds: number;
  /** Attempts of the run (one per world: every world runs one attempt, then idles). */
  attempts: number;
  /** Batch steps before the window opens (the first resets and plans). */
  warmSteps: number;
  /** Batch steps in the window; null: until the run ends. */
  steps: number | null;
}

/** What a child prints. */
export interface HostSample extends HostCase {
  /** Batch steps and world-steps (steps × worlds) in the window. */
  /** The batch step at which the window opened (the first progress report at or after `warmSteps`). */
  fromStep: number;
  windowSteps: number;
  worldSteps: number;
  windowSeconds: number;
  /** Time spent waiting for the GPU during the window: in `mapAsync`, and in `GpuWait.run` (its sleep included) where the tree has it. */
  gpuWaitSeconds: number;
  hostSeconds: number;
  hostNsPerWorldStep: number;
  successes: number;
  adapter: string | null;
}

export const SAMPLE_PREFIX = 'GENERATION_HOST_SAMPLE ';
