import { describe, expect, it } from 'vitest';
import { assembleShader, BoxInstance, defineStruct, shaderSource, SHADER_NAMES, type FieldSpec } from '../src/index.js';

// box-render names two structs (`// #struct RenderFrame`, `// #struct BoxInstance`) and requires a library (`// #requires quat`).
describe('assembleShader', () => {
  it('puts structs first, then required libraries, then the shader', () => {
    const a = assembleShader('box-render');
    const iFrame = a.code.indexOf('struct RenderFrame {');
    const iBox = a.code.indexOf('struct BoxInstance {');
    const iQuat = a.code.indexOf('fn quatMul(');
    const iShader = a.code.indexOf('fn vsMain(');
    expect(iFrame).toBeGreaterThanOrEqual(0);
    expect(iFrame).toBeLessThan(iBox);
    expect(iBox).toBeLessThan(iQuat);
    expect(iQuat).toBeLessThan(iShader);
    expect(a.segments.map((s) => s.origin)).toEqual(['struct RenderFrame', 'struct BoxInstance', 'quat.wgsl', 'box-render.wgsl']);
  });

  it('maps assembled lines back to their file', () => {
    const a = assembleShader('box-render');
    const lines = a.code.split('\n');
    const at = lines.findIndex((l) => l.startsWith('fn quatRotate(')) + 1;
    const loc = a.locate(at)!;
    expect(loc.origin).toBe('quat.wgsl');
    expect(shaderSource('quat').split('\n')[loc.line - 1]).toMatch(/^fn quatRotate\(/);
  });

  it('lets callers override a struct layout', () => {
    const size = BoxInstance.size;
    const custom = defineStruct('BoxInstance', [...BoxInstance.fields.map((f): FieldSpec => [f.name, f.type]), ['pad', 'vec4u']]);
    expect(assembleShader('box-render', { structs: [custom] }).code).toContain('pad: vec4u');
    expect(assembleShader('box-render').code).not.toContain('pad: vec4u');
    expect(BoxInstance.size).toBe(size);
    expect(size).toBe(64);
  });

  it('appends host pieces after the shader, with their own origin', () => {
    const a = assembleShader('box-render', { append: [{ origin: 'constants', text: 'const K: f32 = 1.0;\nconst J: u32 = 2u;' }] });
    expect(a.segments.at(-1)?.origin).toBe('constants');
    const line = a.code.split('\n').findIndex((l) => l.startsWith('const J')) + 1;
    expect(a.locate(line)).toEqual({ origin: 'constants', line: 2 });
  });

  it('every registered shader assembles', () => {
    for (const name of SHADER_NAMES) expect(assembleShader(name).code.length).toBeGreaterThan(0);
  });
});
