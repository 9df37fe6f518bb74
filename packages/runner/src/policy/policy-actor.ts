import type { BinaryAction } from './binary-actions.js';

/**
 * What closed-loop evaluation needs of a policy: its sizes, the observation order it expects, the
 * action dimensions execution snaps, and batched actions. {@link BcPolicy} without observation
 * history is one (synchronous), `BcPolicy.actor(numWorlds)` one for any policy file; an ONNX model
 * run by onnxruntime (`OnnxPolicy`, asynchronous) is another. An actor may keep state from step
 * to step (an observation history): give it each step's observations in order.
 */
export interface PolicyActor {
  readonly spec: { readonly obsSize: number; readonly actionSize: number; readonly chunk: number };
  /** One name per observation dimension (`obs<i>` where unknown: not checked against the task). */
  readonly obsNames: readonly string[];
  readonly binaryActions: readonly BinaryAction[];
  /**
   * Actions for `batch` raw observations (`obs`: `batch × obsSize`, row-major): `batch × chunk ×
   * actionSize` de-normalized values written into `dst` (and returned).
   */
  act(obs: Float32Array, batch: number, dst: Float32Array): Float32Array | Promise<Float32Array>;
}
