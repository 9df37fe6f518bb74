import { describe, expect, it } from 'vitest';
import { defineStruct, structView, wgslStruct } from '../src/index.js';

describe('defineStruct', () => {
  const S = defineStruct('Probe', [
    ['a', 'f32'],
    ['pos', 'vec3f'],
    ['b', 'u32'],
    ['uv', 'vec2f'],
    ['q', 'vec4f'],
    ['arr3', 'vec3f', 3],
    ['flags', 'i32'],
    ['sc', 'f32', 5],
    ['v2', 'vec2u', 2],
  ]);

  it('follows the WGSL alignment and size rules', () => {
    const offsets = Object.fromEntries(S.fields.map((f) => [f.name, f.offset]));
    expect(offsets).toEqual({ a: 0, pos: 16, b: 28, uv: 32, q: 48, arr3: 64, flags: 112, sc: 116, v2: 136 });
    expect(S.field('arr3').elementStride).toBe(16);
    expect(S.field('arr3').size).toBe(48);
    expect(S.field('sc').elementStride).toBe(4);
    expect(S.align).toBe(16);
    expect(S.size).toBe(160); // 152 rounded up to 16
    expect(S.byteSize(10)).toBe(1600);
  });

  it('rounds a struct of scalars to 4 and a vec3 struct to 16', () => {
    expect(defineStruct('A', [['x', 'u32'], ['y', 'f32'], ['z', 'i32']]).size).toBe(12);
    expect(defineStruct('B', [['p', 'vec3f']]).size).toBe(16);
    expect(defineStruct('C', [['p', 'vec3f'], ['m', 'f32']]).size).toBe(16);
  });

  it('rejects bad definitions', () => {
    expect(() => defineStruct('X', [['a', 'f64' as 'f32']])).toThrow(/unsupported/);
    expect(() => defineStruct('X', [['a', 'f32'], ['a', 'u32']])).toThrow(/duplicate/);
    expect(() => defineStruct('X', [['a', 'f32', 0]])).toThrow(/array length/);
    expect(() => defineStruct('1X', [['a', 'f32']])).toThrow(/name/);
    expect(() => S.field('nope' as 'a')).toThrow(/no field/);
  });

  it('emits the WGSL struct declaration', () => {
    const text = wgslStruct(S);
    expect(text).toContain('struct Probe {');
    expect(text).toContain('  pos: vec3f, // offset 16');
    expect(text).toContain('  arr3: array<vec3f, 3>, // offset 64');
    expect(text).toContain('} // size 160, align 16');
  });

  it('reads and writes rows through the offsets', () => {
    const bytes = new ArrayBuffer(S.byteSize(3) + 8);
    const v = structView(S, bytes);
    expect(v.rows).toBe(3);
    v.write(2, 'pos', [1, 2, 3]);
    v.write(2, 'b', 0xffffffff);
    v.write(1, 'flags', -7);
    v.write(0, 'arr3', [4, 5, 6], 2);
    expect(v.read(2, 'pos')).toEqual([1, 2, 3]);
    expect(v.read(2, 'b')).toBe(0xffffffff);
    expect(v.read(1, 'flags')).toBe(-7);
    expect(v.read(0, 'arr3', 2)).toEqual([4, 5, 6]);
    expect(v.f32[2 * 40 + 4 + 1]).toBe(2);
    expect(new DataView(bytes).getFloat32(64 + 2 * 16 + 8, true)).toBe(6);
    expect(() => v.write(0, 'pos', 1)).toThrow(/components/);
    expect(() => v.read(0, 'arr3', 3)).toThrow(RangeError);
  });
});
