/**
 * Two-level action dimensions. A dataset's gripper command is binary (MimicGen and our
 * generator write −1 open, +1 close), but a network regressing it with MSE outputs values in
 * between near the closing moment, and temporal ensembling averages them further. Executed as
 * is, a half-closed gripper pinches cubes off-centre or lets them slip: on `wide` pick-place a
 * policy trained on 1000 trajectories succeeded in 75.6 % of 500 held-out worlds with the
 * executed gripper command as predicted and 98.0 % with it snapped to the nearer level
 * (scratch experiment, 2026-11-21). So a policy remembers which action dimensions its data held
 * at exactly two levels, and execution snaps the executed value of each to the nearer one,
 * after chunk ensembling (an ensemble then acts as a weighted vote).
 */

/** An action dimension whose training data took exactly two values. */
export interface BinaryAction {
  /** Action dimension. */
  readonly index: number;
  /** The smaller value (the open gripper: −1). */
  readonly low: number;
  /** The larger value (the closed gripper: +1). */
  readonly high: number;
}

/**
 * The dimensions of `arrays` (each `rows × size`, row-major) that take exactly two distinct
 * values over all rows (constant dimensions and those with three or more values are not binary).
 */
export function detectBinaryActions(arrays: readonly Float32Array[], size: number): BinaryAction[] {
  const first = new Float64Array(size).fill(Number.NaN);
  const second = new Float64Array(size).fill(Number.NaN);
  const many = new Uint8Array(size);
  for (const values of arrays) {
    for (let j = 0; j < values.length; j++) {
      const d = j % size;
      const v = values[j];
      if (many[d] || v === first[d] || v === second[d]) continue;
      if (Number.isNaN(first[d])) first[d] = v;
      else if (Number.isNaN(second[d])) second[d] = v;
      else many[d] = 1;
    }
  }
  const binary: BinaryAction[] = [];
  for (let d = 0; d < size; d++) {
    if (many[d] || Number.isNaN(second[d])) continue;
    binary.push({ index: d, low: Math.min(first[d], second[d]), high: Math.max(first[d], second[d]) });
  }
  return binary;
}

/** The level nearer to `value` (ties and anything at or above the midpoint go to `high`). */
export function snapToLevel(value: number, { low, high }: BinaryAction): number {
  return value >= 0.5 * (low + high) ? high : low;
}

/** Snaps every binary dimension of `actions` (rows of `actionSize`) in place. */
export function snapBinaryActions(actions: Float32Array, actionSize: number, binary: readonly BinaryAction[]): Float32Array {
  for (const b of binary) {
    for (let j = b.index; j < actions.length; j += actionSize) actions[j] = snapToLevel(actions[j], b);
  }
  return actions;
}

/**
 * Checks `binary` against an action size: indices integral, in range and unique, levels finite
 * with low < high. Throws naming `field`.
 */
export function validateBinaryActions(binary: readonly BinaryAction[], actionSize: number, field = 'binaryActions'): void {
  const seen = new Set<number>();
  binary.forEach((b, i) => {
    if (!Number.isInteger(b.index) || b.index < 0 || b.index >= actionSize) {
      throw new Error(`${field}[${i}].index must be an integer in [0, ${actionSize}), got ${JSON.stringify(b.index)}`);
    }
    if (seen.has(b.index)) throw new Error(`${field}[${i}].index ${b.index} appears twice`);
    seen.add(b.index);
    if (!Number.isFinite(b.low) || !Number.isFinite(b.high) || !(b.low < b.high)) {
      throw new Error(`${field}[${i}] must have finite levels with low < high, got low ${JSON.stringify(b.low)}, high ${JSON.stringify(b.high)}`);
    }
  });
}

/**
 * The per-dimension table the GPU chunk executor reads: `actionSize` rows of (binary flag, low,
 * high, 0).
 */
export function binaryActionTable(binary: readonly BinaryAction[], actionSize: number): Float32Array {
  const table = new Float32Array(4 * actionSize);
  for (const b of binary) table.set([1, b.low, b.high, 0], 4 * b.index);
  return table;
}
