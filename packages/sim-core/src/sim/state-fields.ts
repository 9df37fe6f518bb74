/**
 * Checks of a world state handed to `Sim.setState`. A state is accepted as `getState` returned
 * it, or after it went through `JSON.stringify`/`JSON.parse` or `structuredClone` (what a
 * harness that saves checkpoints does): typed arrays may come back as plain arrays or as objects
 * keyed "0", "1", …; they are turned back into typed arrays. Anything else is refused with an
 * error naming the world and the field, before any world changes.
 */

import { CONTROLLER_STATE_SIZE } from '../controller/ee-controller.js';

type TypedArrayConstructor = Float32ArrayConstructor | Float64ArrayConstructor | Uint8ArrayConstructor;

/** Throws the error of a bad field of world `world`'s state. */
export function badState(world: number, field: string, problem: string): never {
  throw new Error(`setState: world ${world}: ${field} ${problem}`);
}

/** `value` as a plain object, or an error naming world `world`. */
export function stateObject(value: unknown, world: number): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) badState(world, 'state', `must be an object as getState returns it, got ${describe(value)}`);
  return value as Record<string, unknown>;
}

/**
 * `value` as a `Ctor` typed array of `length` entries (any length ≥ 1 when absent): a typed
 * array, a plain array or a JSON-revived typed array ({"0": …, "1": …}) of finite numbers (for
 * Uint8Array: integers 0–255).
 */
export function typedArrayField<C extends TypedArrayConstructor>(value: unknown, world: number, field: string, Ctor: C, length?: number): InstanceType<C> {
  let items: ArrayLike<unknown>;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) items = value as unknown as ArrayLike<number>;
  else if (Array.isArray(value)) items = value;
  else if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (!keys.every((k, i) => k === String(i))) badState(world, field, `must be an array of numbers, got an object with keys ${keys.slice(0, 3).join(', ')}…`);
    items = Object.values(value);
  } else return badState(world, field, `must be an array of numbers, got ${describe(value)}`);
  if (length !== undefined ? items.length !== length : items.length === 0) {
    badState(world, field, `has ${items.length} entries, expected ${length ?? 'at least 1'}`);
  }
  const out = new Ctor(items.length) as InstanceType<C>;
  const bytes = Ctor === Uint8Array;
  for (let i = 0; i < items.length; i++) {
    const v = items[i];
    const ok = typeof v === 'number' && (bytes ? Number.isInteger(v) && v >= 0 && v <= 255 : true);
    // NaN and infinities survive structuredClone but not JSON; a float state may hold them only as numbers.
    if (!ok) badState(world, `${field}[${i}]`, `must be ${bytes ? 'a byte (integer 0–255)' : 'a number'}, got ${describe(v)}`);
    out[i] = v as number;
  }
  return out;
}

/** `value` as an integer in [0, 2³²), or an error naming the field. */
export function u32Field(value: unknown, world: number, field: string): number {
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 0xffffffff) badState(world, field, `must be an integer in [0, 2^32), got ${describe(value)}`);
  return value as number;
}

/** What every CPU engine's world state holds besides the engine's own bytes. */
export interface CommonWorldState {
  controller: Float64Array;
  params: Float32Array;
  episode: number;
  worldId: number;
  stepCount: number;
}

/** The controller, parameters and counters of world `world`'s state. */
export function commonWorldState(state: Record<string, unknown>, world: number, sizes: { controller: number; params: number }): CommonWorldState {
  return {
    controller: typedArrayField(state.controller, world, 'controller', Float64Array, sizes.controller),
    params: typedArrayField(state.params, world, 'params', Float32Array, sizes.params),
    episode: u32Field(state.episode, world, 'episode'),
    worldId: u32Field(state.worldId, world, 'worldId'),
    stepCount: u32Field(state.stepCount, world, 'stepCount'),
  };
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  const json = JSON.stringify(value);
  return json.length > 40 ? `${json.slice(0, 40)}…` : json;
}

/**
 * The `parseWorldState` of a CPU engine whose world state is the common fields plus the engine's
 * own numbers under `key` (Rapier: `snapshot` bytes; MuJoCo: `mujoco` doubles).
 */
export function cpuWorldStateParser<K extends string, C extends TypedArrayConstructor>(key: K, Ctor: C) {
  return (value: unknown, world: number, shape: { numParams: number }): CommonWorldState & Record<K, InstanceType<C>> => {
    const s = stateObject(value, world);
    const own = { [key]: typedArrayField(s[key], world, key, Ctor) } as Record<K, InstanceType<C>>;
    return { ...own, ...commonWorldState(s, world, { controller: CONTROLLER_STATE_SIZE, params: shape.numParams }) };
  };
}
