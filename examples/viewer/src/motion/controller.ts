import type { Sim, StepResult } from '@gripgen/sim-core';

/**
 * What chooses the actions of a live simulation ({@link LiveSimSource}): the scripted expert,
 * a trained policy, a teleoperator.
 */
export interface Controller {
  /** For the status bar. */
  readonly label: string;
  /** Control steps per episode this controller wants (default: the viewer's 200). */
  readonly episodeSteps?: number;
  /** Whether the next episode starts once every world has succeeded (default true). */
  readonly restartOnSuccess?: boolean;
  /** Called after every reset of all worlds, before the episode's first action. */
  beginEpisode(sim: Sim): void;
  /**
   * Writes each world's action for the coming step (`sim.spec.actionSize` floats per world);
   * asynchronous where the actions come from elsewhere (an ONNX model in onnxruntime-web).
   */
  act(sim: Sim, result: StepResult, actions: Float32Array): void | Promise<void>;
  /** Extra lines for the inspect panel about world `world`. */
  describeWorld?(world: number): Record<string, string>;
  /** Frees what the controller holds once the viewer has stopped using it. */
  dispose?(): Promise<void>;
}
