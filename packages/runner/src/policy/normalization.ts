/**
 * Per-dimension normalization of observations and actions from dataset statistics.
 * The network sees `(x − mean) / std`; {@link denormalizeInPlace} maps its outputs back.
 */

/** Smallest standard deviation used as is; a dimension with a smaller one gets std 1 (it is constant). */
export const MIN_STD = 1e-6;

/** Mean and standard deviation of each dimension of a vector. */
export interface DimensionStats {
  readonly mean: Float32Array;
  readonly std: Float32Array;
}

/** Statistics for both sides of the policy. */
export interface PolicyNormalization {
  readonly obs: DimensionStats;
  readonly action: DimensionStats;
}

/**
 * Mean and (population) standard deviation of each of `size` dimensions over all rows of all
 * `arrays` (each `rows × size`, row-major), accumulated in double precision. A std below
 * {@link MIN_STD} becomes 1, so constant dimensions normalize to 0 instead of blowing up.
 */
export function computeDimensionStats(arrays: readonly Float32Array[], size: number): DimensionStats {
  const sum = new Float64Array(size);
  const sumSq = new Float64Array(size);
  let rows = 0;
  for (const values of arrays) {
    if (values.length % size !== 0) {
      throw new Error(`computeDimensionStats: array length ${values.length} is not a multiple of ${size}`);
    }
    for (let j = 0; j < values.length; j++) sum[j % size] += values[j];
    rows += values.length / size;
  }
  if (rows === 0) throw new Error('computeDimensionStats: no rows');
  const mean = new Float32Array(size);
  for (let d = 0; d < size; d++) mean[d] = sum[d] / rows;
  // Second pass around the mean: stable where values are large relative to their spread.
  for (const values of arrays) {
    for (let j = 0; j < values.length; j++) {
      const diff = values[j] - sum[j % size] / rows;
      sumSq[j % size] += diff * diff;
    }
  }
  const std = new Float32Array(size);
  for (let d = 0; d < size; d++) {
    const s = Math.sqrt(sumSq[d] / rows);
    std[d] = s < MIN_STD || !Number.isFinite(s) ? 1 : s;
  }
  return { mean, std };
}

/**
 * Writes `(values − mean) / std` for the first `count` values (per dimension, rows of
 * `stats.mean.length`) into `dst`.
 */
export function normalizeInto(
  values: ArrayLike<number>,
  stats: DimensionStats,
  dst: Float32Array,
  count = values.length,
): Float32Array {
  const size = stats.mean.length;
  for (let j = 0; j < count; j++) dst[j] = (values[j] - stats.mean[j % size]) / stats.std[j % size];
  return dst;
}

/** Maps normalized values back in place: `x ← x × std + mean`, per dimension. */
export function denormalizeInPlace(values: Float32Array, stats: DimensionStats): Float32Array {
  const size = stats.mean.length;
  for (let j = 0; j < values.length; j++) values[j] = values[j] * stats.std[j % size] + stats.mean[j % size];
  return values;
}
