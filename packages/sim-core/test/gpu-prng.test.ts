import { assembleShader, composeWgsl, shaderSource } from '@gripgen/shaders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acquireGpu,
  createBufferWithData,
  createParamRandomizer,
  hashKey,
  mix32,
  NARROW,
  PICK_PLACE_PARAM_NAMES,
  readBuffer,
  uniform01,
  WIDE,
  type GpuContext,
  type PickPlaceRandomization,
} from '../src/index.js';
import { drawPickPlaceParams } from '../src/tasks/pick-place/params.js';
import { POISON, poisonedStorage, runKernel } from './gpu-test-helpers.js';

const NUM_WORLDS = 4099; // >= 4096 and not a multiple of the workgroup size
const NUM_PARAMS = PICK_PLACE_PARAM_NAMES.length;
const KEEP_ROW = 0xffffffff;

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
  it('mix32, hashKey and uniform01 give the TS bits', async () => {
    const n = 4096;
    const keys = testWords(4 * n, 7);
    keys.fill(0, 0, 4); // include the all-zero key
    keys.fill(0xffffffff, 4, 8);
    const code = composeWgsl('prng-probe', [], [
      { origin: 'hash-prng.wgsl', text: shaderSource('hash-prng') },
      {
        origin: 'prng-probe',
        text: `@group(0) @binding(0) var<storage, read> keys: array<vec4u>;
@group(0) @binding(1) var<storage, read_write> out: array<vec4u>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= arrayLength(&keys)) { return; }
  let k = keys[i];
  out[i] = vec4u(mix32(k.x), hashKey(k.x, k.y, k.z, k.w), bitcast<u32>(uniform01(k.x, k.y, k.z, k.w)), 0u);
}`,
      },
    ]);
    const keyBuffer = createBufferWithData(gpu.device, keys, GPUBufferUsage.STORAGE);
    const out = poisonedStorage(gpu.device, 4 * n);
    const got = new Uint32Array(await runKernel(gpu.device, code, 'main', [keyBuffer, out], n / 64, out));
    keyBuffer.destroy();
    out.destroy();
    gpu.check();
    const f32 = new Float32Array(1);
    const u32 = new Uint32Array(f32.buffer);
    let mismatches = 0;
    for (let i = 0; i < n; i++) {
      const [s, e, w, p] = keys.subarray(4 * i, 4 * i + 4);
      f32[0] = uniform01(s, e, w, p);
      if (got[4 * i] !== mix32(s) || got[4 * i + 1] !== hashKey(s, e, w, p) || got[4 * i + 2] !== u32[0] || got[4 * i + 3] !== 0) {
        mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });
});

describe('randomize-params kernel', () => {
  const cases: [string, PickPlaceRandomization][] = [['narrow', NARROW], ['wide', WIDE]];
  it.each(cases)('is bit-identical to drawPickPlaceParams (%s)', async (_preset, randomization) => {
    const ranges = PICK_PLACE_PARAM_NAMES.map((name) => randomization[name]);
    const randomizer = await createParamRandomizer(gpu.device, ranges);
    const episodeWords = testWords(NUM_WORLDS, 3);
    for (const seed of [0, 1, 12345, 0xdeadbeef, 0xffffffff]) {
      // Varied episodes: small indices, huge ones, and 0.
      const episodes = Uint32Array.from(episodeWords, (x, w) => (w % 3 === 0 ? w % 17 : w % 3 === 1 ? x % 100000 : (x ^ seed) >>> 0));
      episodes[0] = 0;
      if (episodes[1] === KEEP_ROW) episodes[1] = 1;
      const episodeBuffer = createBufferWithData(gpu.device, episodes, GPUBufferUsage.STORAGE);
      const params = poisonedStorage(gpu.device, NUM_WORLDS * NUM_PARAMS);
      randomizer.run({ seed, numWorlds: NUM_WORLDS, episodes: episodeBuffer, params });
      const got = new Uint32Array(await readBuffer(gpu.device, params));
      episodeBuffer.destroy();
      params.destroy();
      gpu.check();

      const want = new Float32Array(NUM_WORLDS * NUM_PARAMS);
      for (let w = 0; w < NUM_WORLDS; w++) drawPickPlaceParams(randomization, seed, episodes[w], w, want, w * NUM_PARAMS);
      const wantBits = new Uint32Array(want.buffer);
      const bad: string[] = [];
      for (let i = 0; i < wantBits.length; i++) {
        if (got[i] !== wantBits[i] && bad.length < 5) {
          bad.push(`world ${Math.floor(i / NUM_PARAMS)} ${PICK_PLACE_PARAM_NAMES[i % NUM_PARAMS]}: gpu 0x${got[i].toString(16)} ts 0x${wantBits[i].toString(16)}`);
        }
      }
      expect(bad, `seed ${seed}`).toEqual([]);
    }
    randomizer.destroy();
  });

  it('leaves rows whose episode is 0xFFFFFFFF untouched and writes nothing past numWorlds', async () => {
    const randomizer = await createParamRandomizer(gpu.device, PICK_PLACE_PARAM_NAMES.map((n) => WIDE[n]));
    const numWorlds = 100;
    const episodes = Uint32Array.from({ length: numWorlds }, (_, w) => (w % 2 ? KEEP_ROW : w));
    const episodeBuffer = createBufferWithData(gpu.device, episodes, GPUBufferUsage.STORAGE);
    const params = poisonedStorage(gpu.device, (numWorlds + 28) * NUM_PARAMS); // room past the last world
    randomizer.run({ seed: 9, numWorlds, episodes: episodeBuffer, params });
    const got = new Uint32Array(await readBuffer(gpu.device, params));
    episodeBuffer.destroy();
    params.destroy();
    randomizer.destroy();
    gpu.check();
    const want = new Float32Array(NUM_PARAMS);
    const wantBits = new Uint32Array(want.buffer);
    for (let w = 0; w < numWorlds + 28; w++) {
      const row = Array.from(got.subarray(w * NUM_PARAMS, (w + 1) * NUM_PARAMS));
      if (w >= numWorlds || w % 2) {
        expect(row.every((x) => x === POISON), `row ${w}`).toBe(true);
      } else {
        drawPickPlaceParams(WIDE, 9, w, w, want, 0);
        expect(row, `row ${w}`).toEqual(Array.from(wantBits));
      }
    }
  });

  it('the assembled kernel guards the multiply-add against FMA contraction', () => {
    expect(assembleShader('randomize-params').code).toMatch(/lo \+ noContract\(\(hi - lo\) \* u, opaqueZero\)/);
  });
});
