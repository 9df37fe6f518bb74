import { assembleShader, composeWgsl, SHADER_NAMES, SHADERS, type ShaderName, type WgslPiece } from '@gripgen/shaders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickPlaceWgslConstants } from '../src/tasks/pick-place/gpu.js';
import { acquireGpu, compileShader, getTask, ShaderCompileError, type GpuContext } from '../src/index.js';
import { buildSolverModel } from '../src/backends/webgpu/solver/solver-model.js';
import { solverModelWgsl } from '../src/backends/webgpu/solver/solver-model-wgsl.js';

/** The scene solver's Model constants for the stack task's scene (as SceneGpuBackend compiles them). */
function stackModelPieces(): WgslPiece[] {
  const stack = getTask('stack');
  const model = buildSolverModel(stack.buildScene(new Float32Array(stack.paramNames.length).fill(0.05), 0));
  return [{ origin: 'solver-model-wgsl.ts', text: solverModelWgsl(model, 64) }];
}

/**
 * Host-generated WGSL a kernel needs to compile (what its backend passes as
 * `assembleShader(name, { append })`), by shader name. Add an entry when a kernel uses
 * declarations generated in TS.
 */
const HOST_PIECES: Partial<Record<ShaderName, () => WgslPiece[]>> = {
  'sim-step': () => [{ origin: 'tasks/pick-place/gpu.ts', text: pickPlaceWgslConstants() }],
  // The scene solver's Model constants, for the stack task's scene (as SceneGpuBackend compiles it).
  'scene-step': () => stackModelPieces(),
  // The scene solver's stage kernels (its stage-by-stage tests), with the same constants.
  'scene-stages': () => stackModelPieces(),
};

/** Shaders that compile on their own: everything but `// #fragment` files. */
const STANDALONE = SHADER_NAMES.filter((n) => !SHADERS[n].fragment);

function requiredClosure(name: ShaderName, into = new Set<string>()): Set<string> {
  for (const dep of SHADERS[name].requires) {
    if (!into.has(dep)) {
      into.add(dep);
      requiredClosure(dep as ShaderName, into);
    }
  }
  return into;
}

let gpu: GpuContext;
beforeAll(async () => {
  gpu = await acquireGpu({ onNotice: () => {} });
});
afterAll(() => gpu?.release());

describe('WGSL registry on the GPU', () => {
  it('every #fragment shader is compiled as part of some standalone shader', () => {
    const covered = new Set(STANDALONE.flatMap((n) => [...requiredClosure(n)]));
    expect(SHADER_NAMES.filter((n) => SHADERS[n].fragment && !covered.has(n))).toEqual([]);
  });

  it.each(STANDALONE)('%s compiles with no error-severity message', async (name) => {
    const shader = assembleShader(name, { append: HOST_PIECES[name]?.() ?? [] });
    gpu.device.pushErrorScope('validation'); // keep a failure here from leaking into later tests
    const module = gpu.device.createShaderModule({ label: name, code: shader.code });
    const info = await module.getCompilationInfo();
    await gpu.device.popErrorScope();
    const errors = info.messages.filter((m) => m.type === 'error').map((m) => `${shader.locate(m.lineNum)?.origin}:${shader.locate(m.lineNum)?.line} ${m.message}`);
    expect(errors).toEqual([]);
    await compileShader(gpu.device, shader); // the helper agrees
    gpu.check();
  });

  it('compileShader names the shader, the file and the line of an error', async () => {
    const shader = composeWgsl('broken', [], [
      { origin: 'good.wgsl', text: 'fn ok() -> f32 {\n  return 1.0;\n}\n' },
      { origin: 'bad.wgsl', text: '// line 1\nfn f() -> u32 {\n  return 1.5;\n}\n' },
    ]);
    const error = await compileShader(gpu.device, shader).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShaderCompileError);
    expect((error as Error).message).toMatch(/shader "broken"/);
    expect((error as Error).message).toMatch(/bad\.wgsl:3:\d+ error: .*abstract-float/);
    expect((error as Error).message).toContain('return 1.5;');
    gpu.check(); // the error scope captured it: nothing uncaptured left behind
  });
});
