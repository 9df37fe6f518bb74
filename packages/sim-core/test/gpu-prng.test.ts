import { assembleShader, composeWgsl, shaderSource } from '@gripgen/shaders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGpu, createBufferWithData, hashKey, mix32, uniform01, uniformRange, type GpuContext } from '../src/index.js';
import { poisonedStorage, runKernel } from './gpu-test-helpers.js';

/** A deterministic stream of u32s for test inputs (independent of the PRNG under test). */
function testWords(n: number, salt: number): Uint32Array {
  const out = new Uint32Array(n);
  let x = (salt * 2654435761 + 1) >>> 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x;
  }
  return out;
}

let gpu: GpuContext;
beforeAll(async () => {
  gpu = await acquireGpu({ onNotice: () => {} });
});
afterAll(() => gpu?.release());

describe('hash PRNG in WGSL', () => {
  it('mix32, hashKey, uniform01 and uniformRange give the TS bits', async () => {
    const n = 4096;
    const keys = testWords(4 * n, 7);
    keys.fill(0, 0, 4); // include the all-zero key
    keys.fill(0xffffffff, 4, 8);
    // A [lo, hi] range per key, already f32: negative, positive, straddling 0, and empty (lo == hi).
    const rangeWords = testWords(2 * n, 11);
    const ranges = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      ranges[2 * i] = ((rangeWords[2 * i] % 4001) - 2000) / 64;
      ranges[2 * i + 1] = i % 16 === 0 ? ranges[2 * i] : ranges[2 * i] + (rangeWords[2 * i + 1] % 100001) / 997;
    }
    const code = composeWgsl('prng-probe', [], [
      { origin: 'hash-prng.wgsl', text: shaderSource('hash-prng') },
      {
        origin: 'prng-probe',
        text: `@group(0) @binding(0) var<storage, read> keys: array<vec4u>;
@group(0) @binding(1) var<storage, read> ranges: array<vec2f>;
// One word, 0: the run-time zero of noContract.
@group(0) @binding(2) var<storage, read> opaqueZero: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<vec4u>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= arrayLength(&keys)) { return; }
  let k = keys[i];
  let r = ranges[i];
  out[i] = vec4u(
    mix32(k.x),
    hashKey(k.x, k.y, k.z, k.w),
    bitcast<u32>(uniform01(k.x, k.y, k.z, k.w)),
    bitcast<u32>(uniformRange(r.x, r.y, k.x, k.y, k.z, k.w, opaqueZero[0])),
  );
}`,
      },
    ]);
    const inputs = [keys, ranges, new Uint32Array(1)].map((data) => createBufferWithData(gpu.device, data, GPUBufferUsage.STORAGE));
    const out = poisonedStorage(gpu.device, 4 * n);
    const got = new Uint32Array(await runKernel(gpu.device, code, 'main', [...inputs, out], n / 64, out));
    for (const b of [...inputs, out]) b.destroy();
    gpu.check();
    const want = new Float32Array(2);
    const wantBits = new Uint32Array(want.buffer);
    const bad: string[] = [];
    for (let i = 0; i < n; i++) {
      const [s, e, w, p] = keys.subarray(4 * i, 4 * i + 4);
      want[0] = uniform01(s, e, w, p);
      want[1] = uniformRange(ranges[2 * i], ranges[2 * i + 1], s, e, w, p);
      const expected = [mix32(s), hashKey(s, e, w, p), wantBits[0], wantBits[1]];
      if (expected.some((x, c) => got[4 * i + c] !== x) && bad.length < 5) {
        bad.push(`key ${i}: gpu ${Array.from(got.subarray(4 * i, 4 * i + 4), (x) => x.toString(16))} ts ${expected.map((x) => x.toString(16))}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('sim-step parameter draw', () => {
  // Its bits against the TS draw on a device: graded-randomization.test.ts and webgpu-conformance.test.ts.
  it('the assembled kernel guards the multiply-add against FMA contraction', () => {
    const code = assembleShader('sim-step').code;
    expect(code).toMatch(/lo \+ noContract\(\(hi - lo\) \* u, opaqueZero\)/);
    expect(code).toMatch(/uniformRange\(lo, hi, cfg\.seed, episode, key, id, cfg\.opaqueZero\)/);
  });
});
