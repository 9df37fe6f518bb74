/**
 * The WGSL host-shareable types a layout field may have, with their alignment and size
 * from the WGSL specification ("Alignment and Size"): 4-byte scalars, `vec2` align/size
 * 8, `vec3` align 16 size 12, `vec4` align/size 16.
 */

/** A 32-bit scalar type. */
export type WgslScalar = 'f32' | 'u32' | 'i32';

/** A scalar or vector type, written with WGSL's predeclared aliases (`vec3f`, `vec4u`, …). */
export type WgslPlainType =
  | WgslScalar
  | 'vec2f' | 'vec3f' | 'vec4f'
  | 'vec2u' | 'vec3u' | 'vec4u'
  | 'vec2i' | 'vec3i' | 'vec4i';

/** Facts about one scalar or vector type. */
export interface WgslTypeInfo {
  /** The scalar component type. */
  readonly scalar: WgslScalar;
  /** Number of components (1 for a scalar). */
  readonly components: 1 | 2 | 3 | 4;
  /** AlignOf, in bytes. */
  readonly align: number;
  /** SizeOf, in bytes. */
  readonly size: number;
}

const SCALAR_OF: Record<string, WgslScalar> = { f: 'f32', u: 'u32', i: 'i32' };
const VECTOR_ALIGN = { 2: 8, 3: 16, 4: 16 } as const;

/** Alignment, size and components of `type`; throws on an unsupported type name. */
export function wgslTypeInfo(type: string): WgslTypeInfo {
  if (type === 'f32' || type === 'u32' || type === 'i32') {
    return { scalar: type, components: 1, align: 4, size: 4 };
  }
  const m = /^vec([234])([fui])$/.exec(type);
  if (!m) throw new Error(`unsupported WGSL layout type "${type}" (use f32/u32/i32 or vec{2,3,4}{f,u,i})`);
  const components = Number(m[1]) as 2 | 3 | 4;
  return { scalar: SCALAR_OF[m[2]], components, align: VECTOR_ALIGN[components], size: 4 * components };
}

/** Rounds `n` up to a multiple of `k`. */
export function roundUp(k: number, n: number): number {
  return Math.ceil(n / k) * k;
}
