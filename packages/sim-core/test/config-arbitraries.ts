/**
 * fast-check arbitraries for config objects, shared by the property tests of every package:
 * describe each leaf field once (`Field`: values it accepts, values it must refuse), then draw
 * valid configs and configs with exactly one bad field.
 */
import fc from 'fast-check';

/** The error `fn` throws (fails the test if it returns). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, none was thrown');
}

/** `text` as a regular expression that matches it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Values of the wrong type for a number, string or enum field (never `undefined`: that means "absent"). */
export const notANumber = fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.constant({}));
export const notAString = fc.oneof(fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.constant({}));

/** One leaf of a config: where it is, values it accepts and values it must refuse. */
export interface Field {
  path: readonly string[];
  valid: fc.Arbitrary<unknown>;
  invalid: fc.Arbitrary<unknown>;
}

/**
 * An integer in [min, max] (default: any safe integer from min); refuses integers outside,
 * fractions, NaN, ±Infinity and other types.
 */
export function intField(path: string[], min: number, max = Number.MAX_SAFE_INTEGER): Field {
  return {
    path,
    valid: fc.integer({ min, max }),
    invalid: fc.oneof(
      fc.integer({ min: min - 1_000_000, max: min - 1 }),
      max < Number.MAX_SAFE_INTEGER ? fc.integer({ min: max + 1, max: Math.min(max + 1_000_000, Number.MAX_SAFE_INTEGER) }) : fc.constant(2 ** 53 + 2),
      fc.double({ min, max: Math.min(max, 2 ** 52), noNaN: true }).filter((v) => !Number.isInteger(v)),
      fc.constantFrom(Number.NaN, Infinity, -Infinity),
      notANumber,
    ),
  };
}

/** A number in (0, max] (no upper bound when max is Infinity); refuses 0 and below, above max, NaN, Infinity and other types. */
export function positiveField(path: string[], max = Infinity): Field {
  return rangeField(path, 0, max, true);
}

/** A finite number in [min, max] (or (min, max] when `minExcluded`); refuses numbers outside, NaN, ±Infinity and other types. */
export function rangeField(path: string[], min: number, max = Infinity, minExcluded = false): Field {
  return {
    path,
    valid: fc.double({ min, minExcluded, max: Math.min(max, Number.MAX_VALUE), noNaN: true }),
    invalid: fc.oneof(
      // fast-check counts -0 as below 0; the schemas (and JavaScript) do not.
      fc.double({ max: min, noNaN: true }).filter((v) => (minExcluded ? v <= min : v < min)),
      ...(max < Infinity ? [fc.double({ min: max, minExcluded: true, noNaN: true })] : []),
      fc.constantFrom(Number.NaN, Infinity, -Infinity),
      notANumber,
    ),
  };
}

/** true or false; refuses other types. */
export function boolField(path: string[]): Field {
  return { path, valid: fc.boolean(), invalid: fc.oneof(fc.double(), fc.string(), fc.constant(null), fc.array(fc.boolean(), { maxLength: 2 }), fc.constant({})) };
}

/** One of `values`. */
export function enumField(path: string[], values: readonly string[]): Field {
  return { path, valid: fc.constantFrom(...values), invalid: fc.oneof(fc.string().filter((s) => !values.includes(s)), notAString) };
}

/** A tuple whose entries are `entries` (its own path plus the entry index). */
export function tupleFields(path: string[], entries: Array<(path: string[]) => Field>): Field[] {
  return entries.map((entry, i) => entry([...path, String(i)]));
}

/** Sets `value` at `path` in `target`, creating objects (or arrays, for numeric keys) on the way. */
export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node: Record<string, unknown> = target;
  path.slice(0, -1).forEach((key, i) => {
    node[key] ??= /^\d+$/.test(path[i + 1]) ? [] : {};
    node = node[key] as Record<string, unknown>;
  });
  node[path[path.length - 1]] = value;
}

/** Whether `path` is an entry of a tuple (its last key is an index). */
export const inTuple = (path: readonly string[]) => /^\d+$/.test(path[path.length - 1]);
/** The key of a field's group: a tuple's entries form one group (all present or none). */
export const groupOf = (path: readonly string[]) => (inTuple(path) ? path.slice(0, -1) : path).join('.');

/**
 * A valid config: the fields of groups in `required` always, every other group present or
 * absent at random (a tuple with a hole is not valid, so tuples are all or nothing).
 */
export function validConfig(fields: readonly Field[], required: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const groups = new Map<string, Field[]>();
  for (const field of fields) groups.set(groupOf(field.path), [...(groups.get(groupOf(field.path)) ?? []), field]);
  const entries = [...groups].map(([key, group]) => {
    const values = fc.tuple(...group.map((field) => field.valid)).map((v) => ({ group, v }));
    return required.includes(key) ? values : fc.option(values, { nil: undefined });
  });
  return fc.tuple(...entries).map((chosen) => {
    const config: Record<string, unknown> = {};
    for (const entry of chosen) if (entry) entry.group.forEach((field, i) => setPath(config, field.path, entry.v[i]));
    return config;
  });
}

/** A valid config with one field replaced by a value it must refuse, and that field's path. */
export function configWithOneBadField(fields: readonly Field[], required: readonly string[]) {
  return fc
    .constantFrom(...fields)
    .chain((field) => fc.tuple(fc.constant(field), validConfig(fields, [...required, groupOf(field.path)]), field.invalid))
    .map(([field, config, bad]) => {
      setPath(config, field.path, bad);
      return { config, path: field.path.join('.'), bad };
    });
}

