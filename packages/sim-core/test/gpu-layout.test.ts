import { defineStruct, STRUCT_LAYOUTS, structView, wgslStruct, type FieldLayout, type StructLayout } from '@gripgen/shaders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGpu, type GpuContext } from '../src/index.js';
import { POISON, poisonedStorage, runKernel } from './gpu-test-helpers.js';

/** The value the probe kernel writes into (row, field, element, component): distinct, exact in f32 and i32. */
const code = (row: number, field: number, element: number, component: number): number =>
  row * 4096 + field * 64 + element * 4 + component + 1;

function expected(f: FieldLayout, fieldIndex: number, row: number, element: number, c: number): number {
  const v = code(row, fieldIndex, element, c);
  return f.scalar === 'i32' ? -v : v;
}

/** WGSL that writes code(row, field, element, component) into every field of every row, by field name. */
function probeKernel(layout: StructLayout): string {
  const lines: string[] = [];
  layout.fields.forEach((f, fi) => {
    for (let e = 0; e < (f.length ?? 1); e++) {
      const comps = Array.from({ length: f.components }, (_, c) => {
        const v = `(r * 4096u + ${fi * 64 + e * 4 + c + 1}u)`;
        return f.scalar === 'f32' ? `f32${v}` : f.scalar === 'i32' ? `-i32${v}` : v;
      });
      const value = f.components === 1 ? comps[0] : `${f.type}(${comps.join(', ')})`;
      lines.push(`  rows[r].${f.name}${f.length === undefined ? '' : `[${e}]`} = ${value};`);
    }
  });
  return `${wgslStruct(layout)}
@group(0) @binding(0) var<storage, read_write> rows: array<${layout.name}>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let r = gid.x;
  if (r >= arrayLength(&rows)) { return; }
${lines.join('\n')}
}
`;
}

const Probe = defineStruct('Probe', [
  ['a', 'f32'],
  ['pos', 'vec3f'],
  ['b', 'u32'],
  ['uv', 'vec2f'],
  ['quat', 'vec4f'],
  ['corners', 'vec3f', 3],
  ['flags', 'i32'],
  ['scalars', 'f32', 5],
  ['pairs', 'vec2u', 2],
  ['offset', 'vec3i'],
  ['count', 'u32'],
  ['tail', 'vec2i'],
]);

let gpu: GpuContext;
beforeAll(async () => {
  gpu = await acquireGpu({ onNotice: () => {} });
});
afterAll(() => gpu?.release());

describe('struct layouts: TS offsets agree with WGSL', () => {
  const layouts = [Probe, ...Object.values(STRUCT_LAYOUTS)];
  it.each(layouts.map((l) => [l.name, l] as const))('%s', async (_name, layout) => {
    const rows = 67; // not a multiple of the workgroup size
    const words = (rows * layout.size) / 4;
    const out = poisonedStorage(gpu.device, words);
    const bytes = await runKernel(gpu.device, { name: `probe-${layout.name}`, code: probeKernel(layout) }, 'main', [out], Math.ceil(rows / 64), out);
    out.destroy();
    gpu.check();
    const view = structView(layout, bytes);
    expect(view.rows).toBe(rows);
    const written = new Set<number>();
    for (let r = 0; r < rows; r++) {
      layout.fields.forEach((f, fi) => {
        for (let e = 0; e < (f.length ?? 1); e++) {
          const got = view.read(r, f.name, e);
          const want = Array.from({ length: f.components }, (_, c) => expected(f, fi, r, e, c));
          expect(typeof got === 'number' ? [got] : got, `${layout.name}[${r}].${f.name}[${e}]`).toEqual(want);
          for (let c = 0; c < f.components; c++) written.add(view.index(r, f.name, e, c));
        }
      });
    }
    // Padding stays poisoned: the kernel wrote exactly the words the offsets name, nothing else.
    const u32 = new Uint32Array(bytes);
    for (let i = 0; i < u32.length; i++) if (!written.has(i)) expect(u32[i], `padding word ${i}`).toBe(POISON);
  });
});
