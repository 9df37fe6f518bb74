/**
 * One {@link Episode} <-> one msgpack record of a shard.
 *
 * A record is a plain msgpack map (no msgpackr records, structures or extensions), so any msgpack
 * library reads it. Typed arrays become tensors `{dtype, shape, data}` whose `data` is a msgpack
 * bin of little-endian values; everything else is plain numbers, strings, booleans, arrays, maps
 * and nil. Keys are written in a fixed order, so the same episodes give byte-identical shards.
 */
import type { BackendKind } from '@gripgen/sim-core';
import { Packr, Unpackr } from 'msgpackr';
import { CERTIFYING_BACKENDS, type Certification, type DatagenInfo, type Episode, type WorldKey } from '../episode.js';

/** Element types a tensor of a record may have. */
export type TensorDtype = 'float32' | 'uint8' | 'int32';

/** A typed array as it is stored in a record. */
export interface EncodedTensor {
  dtype: TensorDtype;
  /** `[T]` or `[T, k]`. */
  shape: number[];
  /** Little-endian element bytes, row-major. */
  data: Uint8Array;
}

/** Sizes a record is checked against (from the manifest's `obsNames` and `actionNames`). */
export interface EpisodeLayout {
  obsSize: number;
  actionSize: number;
}

/** Floats per pose row: `[x, y, z, qx, qy, qz, qw]`. */
export const POSE_SIZE = 7;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type TypedArrayOf<D extends TensorDtype> = D extends 'float32' ? Float32Array : D extends 'uint8' ? Uint8Array : Int32Array;

const DTYPES = {
  float32: { ctor: Float32Array, itemSize: 4 },
  uint8: { ctor: Uint8Array, itemSize: 1 },
  int32: { ctor: Int32Array, itemSize: 4 },
} as const;

// Plain msgpack only: what Python's `msgpack` (or any other library) decodes without extensions.
const MSGPACK_OPTIONS = {
  useRecords: false,
  moreTypes: false,
  structuredClone: false,
  bundleStrings: false,
  encodeUndefinedAsNil: true,
  variableMapSize: true,
  mapsAsObjects: true,
} as const;
const packr = new Packr(MSGPACK_OPTIONS);
const unpackr = new Unpackr(MSGPACK_OPTIONS);

/**
 * Throws a TypeError naming the attempt and the field if `episode` is not a well-formed Episode
 * of `layout` (types, integer fields, every per-step array holding `length` rows of the right width).
 */
export function validateEpisode(episode: Episode, layout: EpisodeLayout): void {
  const fail = (field: string, message: string): never => {
    throw new TypeError(`episode (attempt ${String(episode?.attempt)}): ${field} ${message}`);
  };
  if (episode === null || typeof episode !== 'object') throw new TypeError('episode: expected an Episode object');
  const int = (value: unknown, field: string, min: number) => {
    if (!Number.isSafeInteger(value) || (value as number) < min) fail(field, `must be an integer >= ${min}, got ${String(value)}`);
  };
  int(episode.attempt, 'attempt', 0);
  if (episode.world === null || typeof episode.world !== 'object') fail('world', 'must be {seed, episode, worldId}');
  int(episode.world.seed, 'world.seed', Number.MIN_SAFE_INTEGER);
  int(episode.world.episode, 'world.episode', 0);
  int(episode.world.worldId, 'world.worldId', 0);
  int(episode.length, 'length', 1);
  const steps = episode.length;
  const rows = (value: unknown, field: string, ctor: Float32ArrayConstructor | Uint8ArrayConstructor | Int32ArrayConstructor, width: number) => {
    if (!(value instanceof ctor)) fail(field, `must be a ${ctor.name}`);
    const count = (value as ArrayLike<number>).length;
    if (count !== steps * width) {
      fail(field, `has ${count} values, expected length × ${width} = ${steps * width}`);
    }
  };
  rows(episode.obs, 'obs', Float32Array, layout.obsSize);
  rows(episode.actions, 'actions', Float32Array, layout.actionSize);
  rows(episode.rewards, 'rewards', Float32Array, 1);
  rows(episode.dones, 'dones', Uint8Array, 1);
  if (typeof episode.success !== 'boolean') fail('success', 'must be a boolean');
  int(episode.successStep, 'successStep', -1);
  if (episode.successStep >= steps) fail('successStep', `must be -1 or a step < length (${steps}), got ${episode.successStep}`);
  const ints = (value: unknown, field: string, min: number) => {
    if (!Array.isArray(value)) fail(field, 'must be an array of integers');
    (value as unknown[]).forEach((item, i) => int(item, `${field}[${i}]`, min));
  };
  ints(episode.srcDemoIndices, 'srcDemoIndices', -1);
  rows(episode.srcDemoLabels, 'srcDemoLabels', Int32Array, 1);
  ints(episode.subtaskStarts, 'subtaskStarts', 0);
  const datagen = episode.datagen;
  if (datagen === null || typeof datagen !== 'object') fail('datagen', 'must be a DatagenInfo object');
  rows(datagen.eefPose, 'datagen.eefPose', Float32Array, POSE_SIZE);
  rows(datagen.targetPose, 'datagen.targetPose', Float32Array, POSE_SIZE);
  rows(datagen.gripperAction, 'datagen.gripperAction', Float32Array, 1);
  for (const [group, width, ctor] of [['objectPoses', POSE_SIZE, Float32Array], ['signals', 1, Uint8Array]] as const) {
    const named = datagen[group];
    if (named === null || typeof named !== 'object' || Array.isArray(named)) fail(`datagen.${group}`, 'must be an object of named arrays');
    for (const [name, value] of Object.entries(named)) rows(value, `datagen.${group}.${name}`, ctor, width);
  }
  const certification = episode.certification;
  if (certification !== null) {
    if (typeof certification !== 'object' || !CERTIFYING_BACKENDS.includes(certification.backend)) {
      fail('certification', `must be null or {backend: ${CERTIFYING_BACKENDS.map((b) => `'${b}'`).join(' | ')}, success}`);
    }
    if (typeof certification.success !== 'boolean') fail('certification.success', 'must be a boolean');
  }
}

/** Validates `episode` against `layout` and encodes it as one msgpack record. */
export function encodeEpisode(episode: Episode, layout: EpisodeLayout): Uint8Array {
  validateEpisode(episode, layout);
  const steps = episode.length;
  const { datagen } = episode;
  const named = (arrays: Record<string, Float32Array | Uint8Array>, width: number) =>
    Object.fromEntries(Object.entries(arrays).map(([name, values]) => [name, tensor(values, steps, width)]));
  const record = {
    attempt: episode.attempt,
    world: { seed: episode.world.seed, episode: episode.world.episode, worldId: episode.world.worldId },
    length: steps,
    success: episode.success,
    successStep: episode.successStep,
    obs: tensor(episode.obs, steps, layout.obsSize),
    actions: tensor(episode.actions, steps, layout.actionSize),
    rewards: tensor(episode.rewards, steps, 0),
    dones: tensor(episode.dones, steps, 0),
    srcDemoIndices: [...episode.srcDemoIndices],
    srcDemoLabels: tensor(episode.srcDemoLabels, steps, 0),
    subtaskStarts: [...episode.subtaskStarts],
    datagen: {
      eefPose: tensor(datagen.eefPose, steps, POSE_SIZE),
      targetPose: tensor(datagen.targetPose, steps, POSE_SIZE),
      objectPoses: named(datagen.objectPoses, POSE_SIZE),
      gripperAction: tensor(datagen.gripperAction, steps, 0),
      signals: named(datagen.signals, 0),
    },
    certification: episode.certification === null ? null : { backend: episode.certification.backend, success: episode.certification.success },
  };
  return packr.pack(record);
}

/**
 * Decodes the record in `bytes[start..end)` (exactly one msgpack value) into an Episode with
 * freshly allocated typed arrays, and checks it against `layout`. Throws a plain Error saying
 * what is wrong; the reader adds the file and offset.
 */
export function decodeEpisode(bytes: Uint8Array, start: number, end: number, layout: EpisodeLayout): Episode {
  const record: unknown = unpackr.unpack(bytes, { start, end });
  const root = object(record, 'record');
  const datagen = object(root.datagen, 'datagen');
  const steps = integer(root.length, 'length');
  const namedTensors = <D extends TensorDtype>(value: unknown, path: string, dtype: D) =>
    Object.fromEntries(Object.entries(object(value, path)).map(([name, item]) => [name, decodeTensor(item, `${path}.${name}`, dtype, steps)]));
  const world = object(root.world, 'world');
  const episode: Episode = {
    attempt: integer(root.attempt, 'attempt'),
    world: { seed: integer(world.seed, 'world.seed'), episode: integer(world.episode, 'world.episode'), worldId: integer(world.worldId, 'world.worldId') } satisfies WorldKey,
    length: steps,
    obs: decodeTensor(root.obs, 'obs', 'float32', steps),
    actions: decodeTensor(root.actions, 'actions', 'float32', steps),
    rewards: decodeTensor(root.rewards, 'rewards', 'float32', steps),
    dones: decodeTensor(root.dones, 'dones', 'uint8', steps),
    success: boolean(root.success, 'success'),
    successStep: integer(root.successStep, 'successStep'),
    srcDemoIndices: integers(root.srcDemoIndices, 'srcDemoIndices'),
    srcDemoLabels: decodeTensor(root.srcDemoLabels, 'srcDemoLabels', 'int32', steps),
    subtaskStarts: integers(root.subtaskStarts, 'subtaskStarts'),
    datagen: {
      eefPose: decodeTensor(datagen.eefPose, 'datagen.eefPose', 'float32', steps),
      targetPose: decodeTensor(datagen.targetPose, 'datagen.targetPose', 'float32', steps),
      objectPoses: namedTensors(datagen.objectPoses, 'datagen.objectPoses', 'float32'),
      gripperAction: decodeTensor(datagen.gripperAction, 'datagen.gripperAction', 'float32', steps),
      signals: namedTensors(datagen.signals, 'datagen.signals', 'uint8'),
    } satisfies DatagenInfo,
    certification: decodeCertification(root.certification),
  };
  validateEpisode(episode, layout);
  return episode;
}

function tensor(values: Float32Array | Uint8Array | Int32Array, steps: number, width: number): EncodedTensor {
  const dtype: TensorDtype = values instanceof Float32Array ? 'float32' : values instanceof Int32Array ? 'int32' : 'uint8';
  let data = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (!LITTLE_ENDIAN && DTYPES[dtype].itemSize > 1) data = byteSwapped(data, DTYPES[dtype].itemSize);
  return { dtype, shape: width > 0 ? [steps, width] : [steps], data };
}

function decodeTensor<D extends TensorDtype>(value: unknown, path: string, dtype: D, steps: number): TypedArrayOf<D> {
  const encoded = object(value, path);
  if (encoded.dtype !== dtype) throw new Error(`${path}: expected dtype ${dtype}, got ${JSON.stringify(encoded.dtype)}`);
  const shape = integers(encoded.shape, `${path}.shape`);
  if (shape.length < 1 || shape.length > 2 || shape[0] !== steps || shape.some((size) => size < 0)) {
    throw new Error(`${path}: shape ${JSON.stringify(shape)} does not match length ${steps}`);
  }
  if (!(encoded.data instanceof Uint8Array)) throw new Error(`${path}.data: expected msgpack bin`);
  const { ctor, itemSize } = DTYPES[dtype];
  const count = shape.reduce((product, size) => product * size, 1);
  if (encoded.data.byteLength !== count * itemSize) {
    throw new Error(`${path}.data: ${encoded.data.byteLength} bytes, shape ${JSON.stringify(shape)} of ${dtype} needs ${count * itemSize}`);
  }
  const out = new ctor(count);
  // Copy (the decoded bin is a view into the shard, possibly unaligned).
  new Uint8Array(out.buffer).set(LITTLE_ENDIAN || itemSize === 1 ? encoded.data : byteSwapped(encoded.data, itemSize));
  return out as TypedArrayOf<D>;
}

function decodeCertification(value: unknown): Certification | null {
  if (value === null) return null;
  const certification = object(value, 'certification');
  if (!CERTIFYING_BACKENDS.includes(certification.backend as BackendKind)) {
    throw new Error(`certification.backend: expected one of ${CERTIFYING_BACKENDS.join(', ')}, got ${JSON.stringify(certification.backend)}`);
  }
  return { backend: certification.backend as BackendKind, success: boolean(certification.success, 'certification.success') };
}

function byteSwapped(bytes: Uint8Array, itemSize: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += itemSize) {
    for (let j = 0; j < itemSize; j++) out[i + j] = bytes[i + itemSize - 1 - j];
  }
  return out;
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    throw new Error(`${path}: expected a map`);
  }
  return value as Record<string, unknown>;
}

function integer(value: unknown, path: string): number {
  if (!Number.isSafeInteger(value)) throw new Error(`${path}: expected an integer, got ${describe(value)}`);
  return value as number;
}

function integers(value: unknown, path: string): number[] {
  if (!Array.isArray(value)) throw new Error(`${path}: expected an array, got ${describe(value)}`);
  return value.map((item, i) => integer(item, `${path}[${i}]`));
}

function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`${path}: expected a boolean, got ${describe(value)}`);
  return value;
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.byteLength} bytes of bin`;
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
