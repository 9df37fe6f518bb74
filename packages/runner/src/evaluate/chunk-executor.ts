/**
 * Turns a policy's action chunks (k consecutive actions predicted per observation) into the one
 * action per world the Sim takes each step.
 */

/**
 * How a chunk of k predicted actions is executed:
 * - `first`: receding horizon — query every step and take the chunk's first action (the other
 *   k − 1 only shaped training).
 * - `open-loop`: query every k steps and play the chunk's actions in order (ACT without ensembling).
 * - `ensemble`: query every step and average, for the current step, the predictions of the last
 *   k chunks that cover it, with ACT's weights exp(−m·i), i = 0 for the oldest (Zhao et al. 2023,
 *   temporal ensembling, m = 0.01).
 */
export type ChunkExecution = 'first' | 'open-loop' | 'ensemble';

/** Names of the {@link ChunkExecution} modes. */
export const CHUNK_EXECUTIONS: readonly ChunkExecution[] = ['first', 'open-loop', 'ensemble'];

import { snapBinaryActions, validateBinaryActions, type BinaryAction } from '../policy/binary-actions.js';

/** ACT's temporal-ensembling weight decay. */
export const ENSEMBLE_DECAY = 0.01;

/**
 * Per-world chunk bookkeeping for `numWorlds` worlds that all started their episode at step 0
 * (an evaluation episode). Call {@link needsQuery} before each step, {@link record} with the
 * policy's chunks when it says so, then {@link actions}. Dimensions listed in `binaryActions`
 * (the policy's, see `binary-actions.ts`) are snapped to the nearer level after chunks are combined.
 */
export class ChunkExecutor {
  /** Chunks of the last k queries, slot `t mod k`: `k × numWorlds × k × actionSize`. */
  private readonly history: Float32Array;
  private readonly out: Float32Array;
  private step = 0;

  constructor(
    readonly mode: ChunkExecution,
    readonly numWorlds: number,
    readonly chunk: number,
    readonly actionSize: number,
    readonly binaryActions: readonly BinaryAction[] = [],
  ) {
    validateBinaryActions(binaryActions, actionSize, 'ChunkExecutor: binaryActions');
    if (!CHUNK_EXECUTIONS.includes(mode)) {
      throw new Error(`chunk execution must be one of ${CHUNK_EXECUTIONS.join(', ')}, got ${String(mode)}`);
    }
    const k = chunk;
    this.history = new Float32Array((mode === 'ensemble' ? k : 1) * numWorlds * k * actionSize);
    this.out = new Float32Array(numWorlds * actionSize);
  }

  /** Whether the policy must be queried before this step. */
  needsQuery(): boolean {
    return this.mode !== 'open-loop' || this.step % this.chunk === 0;
  }

  /** Stores this step's predictions: `numWorlds × chunk × actionSize` values. */
  record(chunks: Float32Array): void {
    const size = this.numWorlds * this.chunk * this.actionSize;
    if (chunks.length < size) throw new Error(`ChunkExecutor.record: got ${chunks.length} values, need ${size}`);
    const slot = this.mode === 'ensemble' ? this.step % this.chunk : 0;
    this.history.set(chunks.subarray(0, size), slot * size);
  }

  /** The actions of this step (`numWorlds × actionSize`, reused between calls); advances one step. */
  actions(): Float32Array {
    const { numWorlds, chunk: k, actionSize: a, out, history } = this;
    const perWorld = k * a;
    if (this.mode === 'first' || this.mode === 'open-loop') {
      const offset = this.mode === 'first' ? 0 : (this.step % k) * a;
      for (let w = 0; w < numWorlds; w++) out.set(history.subarray(w * perWorld + offset, w * perWorld + offset + a), w * a);
    } else {
      const available = Math.min(this.step + 1, k);
      const slotSize = numWorlds * perWorld;
      out.fill(0);
      let total = 0;
      for (let age = available - 1; age >= 0; age--) {
        // Oldest first: i = 0 for the oldest prediction covering this step.
        const weight = Math.exp(-ENSEMBLE_DECAY * (available - 1 - age));
        total += weight;
        const slot = (this.step - age) % k;
        for (let w = 0; w < numWorlds; w++) {
          const src = slot * slotSize + w * perWorld + age * a;
          for (let j = 0; j < a; j++) out[w * a + j] += weight * history[src + j];
        }
      }
      for (let j = 0; j < out.length; j++) out[j] /= total;
    }
    snapBinaryActions(out, a, this.binaryActions);
    this.step++;
    return out;
  }
}
