/**
 * Behaviour-cloning MLP: plain-TypeScript reference for the policy network.
 *
 * Maps a (normalized) observation vector to a (normalized) action chunk of `chunk × actionSize`
 * values. Hidden layers use ReLU; the output layer is linear.
 *
 * ReLU rather than GELU: it is exact in f32 on every backend (GELU needs `erf` or a `tanh`
 * approximation, which WGSL and JS would evaluate with different rounding), it is the cheapest
 * activation to differentiate, and small BC policies (MimicGen / robomimic MLP baselines) use it.
 *
 * Parameter layout (one `Float32Array`, layer after layer, input side first): for layer `l` with
 * `fanIn` inputs and `fanOut` outputs, first the weight matrix `W` row-major as `[fanOut][fanIn]`
 * (so `W[o * fanIn + i]` connects input `i` to output `o`), then the bias `b[fanOut]`.
 * {@link mlpLayerOffsets} gives the offsets; a WGSL kernel must read the same layout.
 *
 * The forward and backward functions accept `Float64Array` as well, so tests can run the same
 * code in double precision as a reference.
 */
import { uniform01 } from '@gripgen/sim-core';

/** A float buffer the MLP maths runs on: f32 in production, f64 for reference checks. */
export type FloatBuffer = Float32Array | Float64Array;

/** Hidden-layer activation. Only ReLU is implemented (see the module comment for why). */
export type MlpActivation = 'relu';

/** Shape of a policy MLP: plain data, validated by {@link validateMlpSpec}. */
export interface MlpSpec {
  /** Length of the observation vector (one step's observation). */
  readonly obsSize: number;
  /**
   * Observation history (≥ 1): the network's input is the current observation and its
   * `history − 1` latest changes (`observation-history.ts`), `obsSize × history` values. Absent
   * means 1 (policy files written before it existed).
   */
  readonly history?: number;
  /** Length of one action (7 for gripgen: 6-D end-effector delta + gripper). */
  readonly actionSize: number;
  /** Number of consecutive actions predicted at once (≥ 1). */
  readonly chunk: number;
  /** Widths of the hidden layers, input side first (may be empty: a linear model). */
  readonly hidden: readonly number[];
  /** Hidden-layer activation. */
  readonly activation: MlpActivation;
}

/** Default hidden widths. */
export const DEFAULT_HIDDEN: readonly number[] = [256, 256];

/** Largest observation history a policy may use. */
export const MAX_HISTORY = 16;

/** Builds an {@link MlpSpec} with defaults (history 1, chunk 1, hidden [256, 256], ReLU) and validates it. */
export function mlpSpec(options: {
  obsSize: number;
  history?: number;
  actionSize?: number;
  chunk?: number;
  hidden?: readonly number[];
  activation?: MlpActivation;
}): MlpSpec {
  const spec: MlpSpec = {
    obsSize: options.obsSize,
    // Only a history beyond 1 is written: a plain policy's spec (and file) is what it was before.
    ...(options.history !== undefined && options.history !== 1 && { history: options.history }),
    actionSize: options.actionSize ?? 7,
    chunk: options.chunk ?? 1,
    hidden: [...(options.hidden ?? DEFAULT_HIDDEN)],
    activation: options.activation ?? 'relu',
  };
  validateMlpSpec(spec);
  return spec;
}

/** Throws a message naming the field when `spec` is not a valid network shape. */
export function validateMlpSpec(spec: MlpSpec): void {
  const positiveInt = (value: unknown, field: string) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new Error(`MlpSpec.${field} must be a positive integer, got ${String(value)}`);
    }
  };
  positiveInt(spec.obsSize, 'obsSize');
  positiveInt(spec.actionSize, 'actionSize');
  positiveInt(spec.chunk, 'chunk');
  if (spec.history !== undefined) {
    positiveInt(spec.history, 'history');
    if (spec.history > MAX_HISTORY) throw new Error(`MlpSpec.history must be at most ${MAX_HISTORY}, got ${spec.history}`);
  }
  if (!Array.isArray(spec.hidden)) throw new Error('MlpSpec.hidden must be an array of positive integers');
  spec.hidden.forEach((width, i) => positiveInt(width, `hidden[${i}]`));
  if (spec.activation !== 'relu') {
    throw new Error(`MlpSpec.activation must be 'relu', got ${String(spec.activation)}`);
  }
}

/** Observation history of `spec` (1 when absent). */
export function mlpHistory(spec: MlpSpec): number {
  return spec.history ?? 1;
}

/** Length of the network input: `obsSize × history`. */
export function mlpInputSize(spec: MlpSpec): number {
  return spec.obsSize * mlpHistory(spec);
}

/** Length of the network output: `chunk × actionSize`. */
export function mlpOutputSize(spec: MlpSpec): number {
  return spec.chunk * spec.actionSize;
}

/** Layer widths from input to output: `[obsSize × history, ...hidden, chunk × actionSize]`. */
export function mlpWidths(spec: MlpSpec): number[] {
  return [mlpInputSize(spec), ...spec.hidden, mlpOutputSize(spec)];
}

/** Where one layer's parameters sit in the flat parameter vector. */
export interface MlpLayerOffsets {
  readonly fanIn: number;
  readonly fanOut: number;
  /** Offset of `W[0][0]`. */
  readonly weight: number;
  /** Offset of `b[0]` (= weight + fanIn × fanOut). */
  readonly bias: number;
}

/** Offsets of every layer's weights and bias, input side first. */
export function mlpLayerOffsets(spec: MlpSpec): MlpLayerOffsets[] {
  const widths = mlpWidths(spec);
  const layers: MlpLayerOffsets[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < widths.length; l++) {
    const fanIn = widths[l];
    const fanOut = widths[l + 1];
    layers.push({ fanIn, fanOut, weight: offset, bias: offset + fanIn * fanOut });
    offset += fanIn * fanOut + fanOut;
  }
  return layers;
}

/** Total number of parameters. */
export function mlpParameterCount(spec: MlpSpec): number {
  let count = 0;
  for (const layer of mlpLayerOffsets(spec)) count += layer.fanIn * layer.fanOut + layer.fanOut;
  return count;
}

/** `episode` key of the counter-based PRNG reserved for weight initialization. */
const INIT_STREAM = 0x6d6c7030; // 'mlp0'

/**
 * Deterministic Kaiming-uniform initialization: `W ~ U(-bound, bound)` with
 * `bound = gain × sqrt(3 / fanIn)`, gain √2 for layers followed by ReLU and 1 for the linear
 * output layer; biases zero. Weight `j` of layer `l` is drawn as
 * `uniform01(seed, INIT_STREAM, l, j)`, so the result depends on nothing but (spec, seed).
 */
export function initMlpParams(spec: MlpSpec, seed: number, dst?: Float32Array): Float32Array {
  validateMlpSpec(spec);
  const params = dst ?? new Float32Array(mlpParameterCount(spec));
  if (params.length !== mlpParameterCount(spec)) {
    throw new Error(`initMlpParams: dst has ${params.length} floats, the spec needs ${mlpParameterCount(spec)}`);
  }
  const layers = mlpLayerOffsets(spec);
  layers.forEach((layer, l) => {
    const gain = l + 1 < layers.length ? Math.SQRT2 : 1;
    const bound = gain * Math.sqrt(3 / layer.fanIn);
    const count = layer.fanIn * layer.fanOut;
    for (let j = 0; j < count; j++) {
      params[layer.weight + j] = (2 * uniform01(seed, INIT_STREAM, l, j) - 1) * bound;
    }
    params.fill(0, layer.bias, layer.bias + layer.fanOut);
  });
  return params;
}

/**
 * Preallocated activations for a fixed batch capacity: `activations[l]` holds layer `l`'s output
 * (`activations[0]` is the input copy, the last is the network output), `deltas[l]` the loss
 * gradient w.r.t. it. Allocating one workspace per trainer keeps the training loop allocation-free.
 */
export interface MlpWorkspace {
  readonly capacity: number;
  readonly activations: FloatBuffer[];
  readonly deltas: FloatBuffer[];
}

/** Allocates a workspace for batches of up to `capacity` rows (f32 unless `float64`). */
export function createMlpWorkspace(spec: MlpSpec, capacity: number, float64 = false): MlpWorkspace {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new Error(`createMlpWorkspace: capacity must be a positive integer, got ${capacity}`);
  }
  const make = (n: number): FloatBuffer => (float64 ? new Float64Array(n) : new Float32Array(n));
  const widths = mlpWidths(spec);
  return {
    capacity,
    activations: widths.map((w) => make(w * capacity)),
    deltas: widths.map((w) => make(w * capacity)),
  };
}

/**
 * Batched forward pass. `input` holds `batch × obsSize × history` values row by row; the result is the
 * workspace's output buffer (`batch × chunk × actionSize` valid values), valid until the next call.
 */
export function mlpForward(
  spec: MlpSpec,
  params: FloatBuffer,
  input: FloatBuffer,
  batch: number,
  workspace: MlpWorkspace,
): FloatBuffer {
  if (batch > workspace.capacity) {
    throw new Error(`mlpForward: batch ${batch} exceeds the workspace capacity ${workspace.capacity}`);
  }
  const layers = mlpLayerOffsets(spec);
  const acts = workspace.activations;
  acts[0].set(input.subarray(0, batch * mlpInputSize(spec)));
  for (let l = 0; l < layers.length; l++) {
    const { fanIn, fanOut, weight, bias } = layers[l];
    const x = acts[l];
    const y = acts[l + 1];
    const relu = l + 1 < layers.length;
    // Four rows at a time: each weight load feeds four independent accumulators. Every row's
    // sum still runs over i in order, so results do not depend on the blocking.
    let row = 0;
    for (; row + 4 <= batch; row += 4) {
      const x0 = row * fanIn;
      const x1 = x0 + fanIn;
      const x2 = x1 + fanIn;
      const x3 = x2 + fanIn;
      const yBase = row * fanOut;
      for (let o = 0; o < fanOut; o++) {
        const b = params[bias + o];
        let s0 = b;
        let s1 = b;
        let s2 = b;
        let s3 = b;
        const wBase = weight + o * fanIn;
        for (let i = 0; i < fanIn; i++) {
          const w = params[wBase + i];
          s0 += w * x[x0 + i];
          s1 += w * x[x1 + i];
          s2 += w * x[x2 + i];
          s3 += w * x[x3 + i];
        }
        if (relu) {
          s0 = s0 < 0 ? 0 : s0;
          s1 = s1 < 0 ? 0 : s1;
          s2 = s2 < 0 ? 0 : s2;
          s3 = s3 < 0 ? 0 : s3;
        }
        y[yBase + o] = s0;
        y[yBase + fanOut + o] = s1;
        y[yBase + 2 * fanOut + o] = s2;
        y[yBase + 3 * fanOut + o] = s3;
      }
    }
    for (; row < batch; row++) {
      const xBase = row * fanIn;
      const yBase = row * fanOut;
      for (let o = 0; o < fanOut; o++) {
        let sum = params[bias + o];
        const wBase = weight + o * fanIn;
        for (let i = 0; i < fanIn; i++) sum += params[wBase + i] * x[xBase + i];
        y[yBase + o] = relu && sum < 0 ? 0 : sum;
      }
    }
  }
  return acts[layers.length];
}

/**
 * Mean-squared error of the last forward pass against `target` (`batch × outputSize`), and its
 * gradient w.r.t. every parameter written to `grads` (overwritten, same layout as the parameters).
 * Loss = mean over all `batch × outputSize` entries of `(output − target)²`.
 * Call right after {@link mlpForward} with the same params, batch and workspace.
 */
export function mlpBackwardMse(
  spec: MlpSpec,
  params: FloatBuffer,
  target: FloatBuffer,
  batch: number,
  workspace: MlpWorkspace,
  grads: FloatBuffer,
): number {
  const layers = mlpLayerOffsets(spec);
  const acts = workspace.activations;
  const deltas = workspace.deltas;
  const last = layers.length;
  const outSize = mlpOutputSize(spec);
  const count = batch * outSize;
  const output = acts[last];
  const outDelta = deltas[last];
  let loss = 0;
  const scale = 2 / count;
  for (let j = 0; j < count; j++) {
    const diff = output[j] - target[j];
    loss += diff * diff;
    outDelta[j] = scale * diff;
  }
  grads.fill(0);
  for (let l = last - 1; l >= 0; l--) {
    const { fanIn, fanOut, weight, bias } = layers[l];
    const x = acts[l];
    const dy = deltas[l + 1];
    const dx = deltas[l];
    const needInputDelta = l > 0;
    // Weight gradients output row by output row (the row being accumulated stays in L1), four
    // batch rows per pass so each gradient entry is read and written once per four products.
    for (let o = 0; o < fanOut; o++) {
      const wBase = weight + o * fanIn;
      let biasGrad = 0;
      let row = 0;
      for (; row + 4 <= batch; row += 4) {
        const d0 = dy[row * fanOut + o];
        const d1 = dy[(row + 1) * fanOut + o];
        const d2 = dy[(row + 2) * fanOut + o];
        const d3 = dy[(row + 3) * fanOut + o];
        biasGrad += d0 + d1 + d2 + d3;
        if (d0 === 0 && d1 === 0 && d2 === 0 && d3 === 0) continue;
        const x0 = row * fanIn;
        const x1 = x0 + fanIn;
        const x2 = x1 + fanIn;
        const x3 = x2 + fanIn;
        for (let i = 0; i < fanIn; i++) {
          grads[wBase + i] += d0 * x[x0 + i] + d1 * x[x1 + i] + d2 * x[x2 + i] + d3 * x[x3 + i];
        }
      }
      for (; row < batch; row++) {
        const d = dy[row * fanOut + o];
        if (d === 0) continue;
        biasGrad += d;
        const xBase = row * fanIn;
        for (let i = 0; i < fanIn; i++) grads[wBase + i] += d * x[xBase + i];
      }
      grads[bias + o] = biasGrad;
    }
    if (needInputDelta) {
      dx.fill(0, 0, batch * fanIn);
      for (let row = 0; row < batch; row++) {
        const xBase = row * fanIn;
        const yBase = row * fanOut;
        let o = 0;
        for (; o + 4 <= fanOut; o += 4) {
          const d0 = dy[yBase + o];
          const d1 = dy[yBase + o + 1];
          const d2 = dy[yBase + o + 2];
          const d3 = dy[yBase + o + 3];
          if (d0 === 0 && d1 === 0 && d2 === 0 && d3 === 0) continue;
          const w0 = weight + o * fanIn;
          const w1 = w0 + fanIn;
          const w2 = w1 + fanIn;
          const w3 = w2 + fanIn;
          for (let i = 0; i < fanIn; i++) {
            dx[xBase + i] += d0 * params[w0 + i] + d1 * params[w1 + i] + d2 * params[w2 + i] + d3 * params[w3 + i];
          }
        }
        for (; o < fanOut; o++) {
          const d = dy[yBase + o];
          if (d === 0) continue;
          const wBase = weight + o * fanIn;
          for (let i = 0; i < fanIn; i++) dx[xBase + i] += d * params[wBase + i];
        }
      }
    }
    if (needInputDelta) {
      // ReLU derivative: the stored activation is 0 exactly where the pre-activation was ≤ 0.
      for (let j = 0; j < batch * fanIn; j++) if (x[j] <= 0) dx[j] = 0;
    }
  }
  return loss / count;
}
