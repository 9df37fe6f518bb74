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
  /** Length of the observation vector. */
  readonly obsSize: number;
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

/** Builds an {@link MlpSpec} with defaults (chunk 1, hidden [256, 256], ReLU) and validates it. */
export function mlpSpec(options: {
  obsSize: number;
  actionSize?: number;
  chunk?: number;
  hidden?: readonly number[];
  activation?: MlpActivation;
}): MlpSpec {
  const spec: MlpSpec = {
    obsSize: options.obsSize,
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
  if (!Array.isArray(spec.hidden)) throw new Error('MlpSpec.hidden must be an array of positive integers');
  spec.hidden.forEach((width, i) => positiveInt(width, `hidden[${i}]`));
  if (spec.activation !== 'relu') {
    throw new Error(`MlpSpec.activation must be 'relu', got ${String(spec.activation)}`);
  }
}

/** Length of the network output: `chunk × actionSize`. */
export function mlpOutputSize(spec: MlpSpec): number {
  return spec.chunk * spec.actionSize;
}

/** Layer widths from input to output: `[obsSize, ...hidden, chunk × actionSize]`. */
export function mlpWidths(spec: MlpSpec): number[] {
  return [spec.obsSize, ...spec.hidden, mlpOutputSize(spec)];
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
 * Batched forward pass. `input` holds `batch × obsSize` values row by row; the result is the
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
  acts[0].set(input.subarray(0, batch * spec.obsSize));
  for (let l = 0; l < layers.length; l++) {
    const { fanIn, fanOut, weight, bias } = layers[l];
    const x = acts[l];
    const y = acts[l + 1];
    const relu = l + 1 < layers.length;
    for (let row = 0; row < batch; row++) {
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
    // Weight gradients output row by output row, so the row being accumulated stays in L1.
    for (let o = 0; o < fanOut; o++) {
      const wBase = weight + o * fanIn;
      let biasGrad = 0;
      for (let row = 0; row < batch; row++) {
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
        for (let o = 0; o < fanOut; o++) {
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
