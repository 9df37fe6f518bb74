import { describe, expect, it } from 'vitest';
import { assembleShader, defineStruct, RandomizeConfig, shaderSource, SHADER_NAMES } from '../src/index.js';

describe('assembleShader', () => {
  it('puts structs first, then required libraries, then the shader', () => {
    const a = assembleShader('randomize-params');
    const iStruct = a.code.indexOf('struct RandomizeConfig {');
    const iPrng = a.code.indexOf('fn mix32(');
    const iKernel = a.code.indexOf('fn randomizeParams(');
    expect(iStruct).toBeGreaterThanOrEqual(0);
    expect(iStruct).toBeLessThan(iPrng);
    expect(iPrng).toBeLessThan(iKernel);
    expect(a.segments.map((s) => s.origin)).toEqual(['struct RandomizeConfig', 'hash-prng.wgsl', 'randomize-params.wgsl']);
  });

  it('maps assembled lines back to their file', () => {
    const a = assembleShader('randomize-params');
    const lines = a.code.split('\n');
    const at = lines.findIndex((l) => l.startsWith('fn hashKey(')) + 1;
    const loc = a.locate(at)!;
    expect(loc.origin).toBe('hash-prng.wgsl');
    expect(shaderSource('hash-prng').split('\n')[loc.line - 1]).toMatch(/^fn hashKey\(/);
  });

  it('lets callers override a struct layout', () => {
    const custom = defineStruct('RandomizeConfig', [['seed', 'u32'], ['numWorlds', 'u32'], ['numParams', 'u32'], ['opaqueZero', 'u32'], ['pad', 'vec4u']]);
    expect(assembleShader('randomize-params', { structs: [custom] }).code).toContain('pad: vec4u');
    expect(assembleShader('randomize-params').code).not.toContain('pad: vec4u');
    expect(RandomizeConfig.size).toBe(16);
  });

  it('appends host pieces after the shader, with their own origin', () => {
    const a = assembleShader('randomize-params', { append: [{ origin: 'constants', text: 'const K: f32 = 1.0;\nconst J: u32 = 2u;' }] });
    expect(a.segments.at(-1)?.origin).toBe('constants');
    const line = a.code.split('\n').findIndex((l) => l.startsWith('const J')) + 1;
    expect(a.locate(line)).toEqual({ origin: 'constants', line: 2 });
  });

  it('every registered shader assembles', () => {
    for (const name of SHADER_NAMES) expect(assembleShader(name).code.length).toBeGreaterThan(0);
  });
});
