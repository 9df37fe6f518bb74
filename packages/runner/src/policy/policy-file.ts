/**
 * The policy file: one self-describing JSON document that the CLI and the browser viewer both
 * read. No Node-only APIs here (base64 via `btoa`/`atob`, bytes via `DataView`); file I/O lives in
 * `policy-file-node.ts`.
 *
 * ```json
 * { "format": "gripgen-bc-policy", "version": 1,
 *   "obsSize": 21, "actionSize": 7, "chunk": 1, "hidden": [256, 256], "activation": "relu",
 *   "obsNames": [...], "actionNames": [...],
 *   "normalization": { "obs": { "mean": [...], "std": [...] }, "action": { "mean": [...], "std": [...] } },
 *   "binaryActions": [{ "index": 6, "low": -1, "high": 1 }],
 *   "parameterCount": 72455,
 *   "weights": { "encoding": "base64-float32le", "data": "..." } }
 * ```
 * Weights use the layout documented in `mlp.ts`. Normalization numbers are f32 values written as
 * JSON doubles, so they round-trip exactly. `binaryActions` (optional; absent reads as none) lists
 * the two-level action dimensions that execution snaps (`binary-actions.ts`). `history` (optional;
 * absent reads as 1) is the observation history the network reads (`observation-history.ts`); the
 * `normalization.obs` statistics then cover its input, `obsSize × history` values.
 */
import { MAX_HISTORY, mlpParameterCount, type MlpSpec } from './mlp.js';
import { validateBinaryActions, type BinaryAction } from './binary-actions.js';
import type { DimensionStats } from './normalization.js';
import { BcPolicy } from './policy.js';

/** Value of the `format` field. */
export const POLICY_FORMAT = 'gripgen-bc-policy';
/** Current (and only readable) `version`. */
export const POLICY_FORMAT_VERSION = 1;
/** Value of `weights.encoding`. */
export const WEIGHTS_ENCODING = 'base64-float32le';

/** Little-endian float32 bytes of `values`, base64-encoded. */
export function float32ToBase64(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let j = 0; j < values.length; j++) view.setFloat32(j * 4, values[j], true);
  let binary = '';
  const block = 0x8000;
  for (let j = 0; j < bytes.length; j += block) {
    binary += String.fromCharCode(...bytes.subarray(j, j + block));
  }
  return btoa(binary);
}

/** Inverse of {@link float32ToBase64}; `field` names the source in error messages. */
export function base64ToFloat32(text: string, field = 'data'): Float32Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new Error(`policy file: ${field} is not valid base64`);
  }
  if (binary.length % 4 !== 0) {
    throw new Error(`policy file: ${field} decodes to ${binary.length} bytes, not a whole number of float32`);
  }
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let j = 0; j < binary.length; j++) view.setUint8(j, binary.charCodeAt(j));
  const values = new Float32Array(binary.length / 4);
  for (let j = 0; j < values.length; j++) values[j] = view.getFloat32(j * 4, true);
  return values;
}

/** Serializes a policy to the JSON text of a policy file. */
export function encodePolicy(policy: BcPolicy): string {
  const stats = (s: DimensionStats) => ({ mean: Array.from(s.mean), std: Array.from(s.std) });
  const { spec } = policy;
  return JSON.stringify({
    format: POLICY_FORMAT,
    version: POLICY_FORMAT_VERSION,
    obsSize: spec.obsSize,
    ...(spec.history !== undefined && { history: spec.history }),
    actionSize: spec.actionSize,
    chunk: spec.chunk,
    hidden: [...spec.hidden],
    activation: spec.activation,
    obsNames: [...policy.obsNames],
    actionNames: [...policy.actionNames],
    normalization: { obs: stats(policy.normalization.obs), action: stats(policy.normalization.action) },
    binaryActions: policy.binaryActions.map(({ index, low, high }) => ({ index, low, high })),
    parameterCount: policy.params.length,
    weights: { encoding: WEIGHTS_ENCODING, data: float32ToBase64(policy.params) },
  });
}

type Json = Record<string, unknown>;

function fail(field: string, problem: string): never {
  throw new Error(`policy file: field '${field}' ${problem}`);
}

function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'must be an object');
  return value as Json;
}

function positiveInt(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    fail(field, `must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function stringList(value: unknown, field: string, length: number): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) fail(field, 'must be an array of strings');
  if (value.length !== length) fail(field, `has ${value.length} entries, expected ${length}`);
  return value as string[];
}

function floatList(value: unknown, field: string, length: number, positive = false): Float32Array {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    fail(field, 'must be an array of finite numbers');
  }
  if (value.length !== length) fail(field, `has ${value.length} entries, expected ${length}`);
  if (positive && !value.every((v: number) => v > 0)) fail(field, 'must be all positive');
  return Float32Array.from(value as number[]);
}

function binaryActionList(value: unknown, actionSize: number): BinaryAction[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail('binaryActions', 'must be an array of { index, low, high }');
  const list = value.map((entry: unknown, i: number) => {
    const o = object(entry, `binaryActions[${i}]`);
    return { index: o.index, low: o.low, high: o.high } as BinaryAction;
  });
  try {
    validateBinaryActions(list, actionSize);
  } catch (error) {
    fail('binaryActions', `is invalid: ${(error as Error).message}`);
  }
  return list;
}

function dimensionStats(value: unknown, field: string, size: number): DimensionStats {
  const o = object(value, field);
  return { mean: floatList(o.mean, `${field}.mean`, size), std: floatList(o.std, `${field}.std`, size, true) };
}

/**
 * Parses and validates the JSON text of a policy file. Every problem is reported as an error
 * naming the offending field (`policy file: field 'normalization.obs.std' has 20 entries, expected 21`).
 */
export function decodePolicy(text: string): BcPolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`policy file: not valid JSON (${(error as Error).message})`);
  }
  const root = object(parsed, '(root)');
  if (root.format !== POLICY_FORMAT) fail('format', `must be '${POLICY_FORMAT}', got ${JSON.stringify(root.format)}`);
  if (root.version !== POLICY_FORMAT_VERSION) {
    fail('version', `must be ${POLICY_FORMAT_VERSION}, got ${JSON.stringify(root.version)}`);
  }
  const obsSize = positiveInt(root.obsSize, 'obsSize');
  const history = root.history === undefined ? 1 : positiveInt(root.history, 'history');
  if (history > MAX_HISTORY) fail('history', `must be at most ${MAX_HISTORY}, got ${history}`);
  const actionSize = positiveInt(root.actionSize, 'actionSize');
  const chunk = positiveInt(root.chunk, 'chunk');
  if (!Array.isArray(root.hidden)) fail('hidden', 'must be an array of positive integers');
  const hidden = root.hidden.map((w: unknown, i: number) => positiveInt(w, `hidden[${i}]`));
  if (root.activation !== 'relu') fail('activation', `must be 'relu', got ${JSON.stringify(root.activation)}`);
  const spec: MlpSpec = { obsSize, ...(history !== 1 && { history }), actionSize, chunk, hidden, activation: 'relu' };
  const obsNames = stringList(root.obsNames, 'obsNames', obsSize);
  const actionNames = stringList(root.actionNames, 'actionNames', actionSize);
  const normalization = object(root.normalization, 'normalization');
  const obs = dimensionStats(normalization.obs, 'normalization.obs', obsSize * history);
  const action = dimensionStats(normalization.action, 'normalization.action', actionSize);
  const binaryActions = binaryActionList(root.binaryActions, actionSize);
  const expectedCount = mlpParameterCount(spec);
  if (root.parameterCount !== expectedCount) {
    fail('parameterCount', `is ${JSON.stringify(root.parameterCount)}, the network shape needs ${expectedCount}`);
  }
  const weights = object(root.weights, 'weights');
  if (weights.encoding !== WEIGHTS_ENCODING) {
    fail('weights.encoding', `must be '${WEIGHTS_ENCODING}', got ${JSON.stringify(weights.encoding)}`);
  }
  if (typeof weights.data !== 'string') fail('weights.data', 'must be a base64 string');
  const params = base64ToFloat32(weights.data, "field 'weights.data'");
  if (params.length !== expectedCount) fail('weights.data', `holds ${params.length} floats, expected ${expectedCount}`);
  if (!params.every(Number.isFinite)) fail('weights.data', 'contains non-finite values');
  return new BcPolicy({ spec, params, normalization: { obs, action }, obsNames, actionNames, binaryActions });
}
