import type { FieldLayout, StructLayout } from './struct-layout.js';

/**
 * Typed-array access to a world-major buffer: an `array<Struct>` with one row per world,
 * laid out by a {@link StructLayout}. All three views alias the same bytes; pick the one
 * matching the field's scalar type (the `read`/`write` helpers do this for you).
 *
 * For hot loops use {@link StructView.index} once per field and index the typed array
 * directly: element `e`, component `c` of `field` in row `r` is at
 * `r * rowWords + index(0, field, e, c)`.
 */
export interface StructView<F extends string = string> {
  readonly layout: StructLayout<F>;
  /** Number of whole rows in the buffer. */
  readonly rows: number;
  /** Row stride in 4-byte words (`layout.size / 4`). */
  readonly rowWords: number;
  readonly f32: Float32Array;
  readonly u32: Uint32Array;
  readonly i32: Int32Array;
  /** Word index of component `component` of element `element` of `field` in row `row`. */
  index(row: number, field: F, element?: number, component?: number): number;
  /** Reads a field: a number for a scalar, an array of components for a vector. */
  read(row: number, field: F, element?: number): number | number[];
  /** Writes a field (a number for a scalar, the components for a vector). */
  write(row: number, field: F, value: number | ArrayLike<number>, element?: number): void;
}

function arrayFor(view: StructView, f: FieldLayout): Float32Array | Uint32Array | Int32Array {
  return f.scalar === 'f32' ? view.f32 : f.scalar === 'u32' ? view.u32 : view.i32;
}

/**
 * Wraps `buffer` (for example a mapped GPU buffer's range, or bytes to upload) as rows of
 * `layout`. `buffer` may be larger than a whole number of rows; the tail is ignored.
 */
export function structView<F extends string>(
  layout: StructLayout<F>,
  buffer: ArrayBuffer | ArrayBufferView,
): StructView<F> {
  const bytes = ArrayBuffer.isView(buffer)
    ? { buf: buffer.buffer as ArrayBuffer, off: buffer.byteOffset, len: buffer.byteLength }
    : { buf: buffer, off: 0, len: buffer.byteLength };
  if (bytes.off % 4 !== 0) throw new Error(`structView(${layout.name}): byte offset must be a multiple of 4`);
  const words = Math.floor(bytes.len / 4);
  const rowWords = layout.size / 4;
  const checkElement = (f: FieldLayout, element: number): void => {
    const n = f.length ?? 1;
    if (!(element >= 0 && element < n)) throw new RangeError(`${layout.name}.${f.name}: element ${element} out of 0..${n - 1}`);
  };
  const view: StructView<F> = {
    layout,
    rows: Math.floor(words / rowWords),
    rowWords,
    f32: new Float32Array(bytes.buf, bytes.off, words),
    u32: new Uint32Array(bytes.buf, bytes.off, words),
    i32: new Int32Array(bytes.buf, bytes.off, words),
    index(row, field, element = 0, component = 0) {
      const f = layout.field(field);
      return row * rowWords + (f.offset + element * f.elementStride) / 4 + component;
    },
    read(row, field, element = 0) {
      const f = layout.field(field);
      checkElement(f, element);
      const arr = arrayFor(view, f);
      const i = view.index(row, field, element);
      if (f.components === 1) return arr[i];
      return Array.from(arr.subarray(i, i + f.components));
    },
    write(row, field, value, element = 0) {
      const f = layout.field(field);
      checkElement(f, element);
      const arr = arrayFor(view, f);
      const i = view.index(row, field, element);
      if (typeof value === 'number') {
        if (f.components !== 1) throw new TypeError(`${layout.name}.${f.name} is a ${f.type}; pass ${f.components} components`);
        arr[i] = value;
        return;
      }
      if (value.length !== f.components) {
        throw new TypeError(`${layout.name}.${f.name} is a ${f.type}; got ${value.length} components`);
      }
      for (let c = 0; c < f.components; c++) arr[i + c] = value[c];
    },
  };
  return view;
}
