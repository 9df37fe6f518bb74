import { roundUp, wgslTypeInfo, type WgslPlainType, type WgslScalar } from './wgsl-types.js';

/**
 * One field of a struct: `[name, type]`, or `[name, type, length]` for a fixed-size
 * `array<type, length>`.
 */
export type FieldSpec =
  | readonly [name: string, type: WgslPlainType]
  | readonly [name: string, type: WgslPlainType, length: number];

/** Where one field lives inside a struct, in bytes, following WGSL's layout rules. */
export interface FieldLayout {
  readonly name: string;
  /** The element type (the field's type, or the array's element type). */
  readonly type: WgslPlainType;
  readonly scalar: WgslScalar;
  readonly components: 1 | 2 | 3 | 4;
  /** Array length, or `undefined` for a plain scalar/vector field. */
  readonly length: number | undefined;
  /** Byte offset of the field inside the struct. */
  readonly offset: number;
  /** Byte distance between consecutive array elements (element size for a non-array). */
  readonly elementStride: number;
  /** SizeOf the field, in bytes. */
  readonly size: number;
  /** AlignOf the field, in bytes. */
  readonly align: number;
}

/**
 * A struct's layout: the single source of truth for a buffer row shared by TS and WGSL.
 * Build one with {@link defineStruct}; emit its WGSL with {@link wgslStruct}; read and write
 * rows with {@link structView}.
 */
export interface StructLayout<F extends string = string> {
  /** The WGSL struct name. */
  readonly name: string;
  /** Fields in declaration order. */
  readonly fields: readonly FieldLayout[];
  /** AlignOf the struct (largest field alignment). */
  readonly align: number;
  /** SizeOf the struct, which is also the stride of `array<Struct>`: one row, in bytes. */
  readonly size: number;
  /** Layout of field `name`; throws if there is none. */
  field(name: F): FieldLayout;
  /** Byte size of a buffer of `rows` rows (`rows * size`). */
  byteSize(rows: number): number;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Describes a WGSL struct and computes its layout by the WGSL rules: each field starts at
 * the next multiple of its alignment; an `array<T, n>` has stride roundUp(AlignOf T, SizeOf T)
 * (so `array<vec3f, n>` strides by 16); the struct's size is rounded up to its alignment.
 *
 * ```ts
 * const BodyState = defineStruct('BodyState', [['pos', 'vec3f'], ['quat', 'vec4f'], ['flags', 'u32']]);
 * BodyState.field('quat').offset; // 16
 * BodyState.size;                 // 48
 * ```
 */
export function defineStruct<const S extends readonly FieldSpec[]>(
  name: string,
  specs: S,
): StructLayout<S[number][0]> {
  if (!IDENT.test(name)) throw new Error(`invalid struct name "${name}"`);
  if (specs.length === 0) throw new Error(`struct ${name} has no fields`);
  const fields: FieldLayout[] = [];
  const byName = new Map<string, FieldLayout>();
  let offset = 0;
  let structAlign = 4;
  for (const spec of specs) {
    const [fieldName, type, length] = spec as readonly [string, WgslPlainType, number?];
    if (!IDENT.test(fieldName)) throw new Error(`struct ${name}: invalid field name "${fieldName}"`);
    if (byName.has(fieldName)) throw new Error(`struct ${name}: duplicate field "${fieldName}"`);
    const info = wgslTypeInfo(type);
    if (length !== undefined && !(Number.isInteger(length) && length > 0)) {
      throw new Error(`struct ${name}: field "${fieldName}" needs a positive integer array length`);
    }
    const elementStride = length === undefined ? info.size : roundUp(info.align, info.size);
    const size = length === undefined ? info.size : elementStride * length;
    offset = roundUp(info.align, offset);
    const field: FieldLayout = {
      name: fieldName,
      type,
      scalar: info.scalar,
      components: info.components,
      length,
      offset,
      elementStride,
      size,
      align: info.align,
    };
    fields.push(field);
    byName.set(fieldName, field);
    offset += size;
    structAlign = Math.max(structAlign, info.align);
  }
  const size = roundUp(structAlign, offset);
  return {
    name,
    fields,
    align: structAlign,
    size,
    field(fieldName) {
      const f = byName.get(fieldName);
      if (!f) throw new Error(`struct ${name} has no field "${fieldName}"`);
      return f;
    },
    byteSize: (rows) => rows * size,
  };
}
