// GENERATED from src/wgsl/*.wgsl by scripts/embed-wgsl.ts — do not edit.
// After changing a .wgsl file run: npm run gen -w @gripgen/shaders
import type { WgslSourceEntry } from '../wgsl-source-entry.js';

/** The raw text and directives of every .wgsl file in src/wgsl, by file name. */
export const WGSL_SOURCES = {
  'hash-prng': {
    file: 'hash-prng.wgsl',
    requires: [],
    structs: [],
    source: `// Counter-based hash PRNG: the WGSL twin of packages/sim-core/src/random/hash-prng.ts.
// Every function here returns the same bits as its TS namesake (u32 wrapping multiply,
// xor and shifts only; uniform01 has 24 random bits, exact in f32), so a world drawn on
// the GPU is the world drawn by the Rapier backend. Library module: no bindings, no
// entry points; kernels pull it in with \`// #requires hash-prng\`.

// One round of the lowbias32 integer mixer (C. Wellons), a bijection on u32.
fn mix32(value: u32) -> u32 {
  var x = value;
  x ^= x >> 16u;
  x *= 0x7feb352du;
  x ^= x >> 15u;
  x *= 0x846ca68bu;
  x ^= x >> 16u;
  return x;
}

// Hashes the key (seed, episode, world, parameter) to a uniformly distributed u32.
fn hashKey(seed: u32, episode: u32, world: u32, parameter: u32) -> u32 {
  var h = mix32(seed ^ 0x9e3779b9u);
  h = mix32(h ^ episode);
  h = mix32((h + 0x632be5abu) ^ world);
  h = mix32((h + 0x85ebca6bu) ^ parameter);
  return h;
}

// Uniform number in [0, 1) with 24 random bits (f32(h >> 8) * 2^-24, both steps exact).
fn uniform01(seed: u32, episode: u32, world: u32, parameter: u32) -> f32 {
  return f32(hashKey(seed, episode, world, parameter) >> 8u) * 5.9604644775390625e-8;
}

// Returns x unchanged, but through an operation the shader compiler cannot see through,
// so \`a + noContract(b * c)\` is always rounded twice (multiply, then add) and never fused
// into one FMA. \`opaqueZero\` MUST be 0 and MUST come from a buffer (uniform or storage),
// never a constant or \`override\`: only a run-time value stops the optimizer.
// Why: WGSL lets implementations contract a*b + c into fma(a, b, c) (SPIR-V allows it
// unless NoContraction is set, and Tint does not set it), which rounds once and can change
// the last bit versus the TS reference.
fn noContract(x: f32, opaqueZero: u32) -> f32 {
  return bitcast<f32>(bitcast<u32>(x) | opaqueZero);
}

// Uniform number in [lo, hi]: lo + (hi - lo) * u in f32, each operation rounded, matching
// TS uniformRange bit for bit. \`opaqueZero\`: see noContract.
fn uniformRange(lo: f32, hi: f32, seed: u32, episode: u32, world: u32, parameter: u32, opaqueZero: u32) -> f32 {
  let u = uniform01(seed, episode, world, parameter);
  return lo + noContract((hi - lo) * u, opaqueZero);
}
`,
  },
  'randomize-params': {
    file: 'randomize-params.wgsl',
    requires: ["hash-prng"],
    structs: ["RandomizeConfig"],
    source: `// Draws a world-major table of uniformly randomized f32 parameters: row = world,
// column = parameter id, value = uniformRange(range[column], seed, episode[world], world,
// column) — bit-identical to drawPickPlaceParams (and any task drawing the same way).
// One invocation per world; dispatch ceil(numWorlds / 64) workgroups (x, or x*y for more
// than 65535 of them: world = linear invocation index).
// #requires hash-prng
// #struct RandomizeConfig

// An episode index equal to this value leaves the world's row untouched (partial resets).
const KEEP_ROW: u32 = 0xffffffffu;

@group(0) @binding(0) var<uniform> config: RandomizeConfig;
// [min, max] of each parameter, numParams entries, already rounded to f32.
@group(0) @binding(1) var<storage, read> ranges: array<vec2f>;
// The episode index of each world, numWorlds entries.
@group(0) @binding(2) var<storage, read> episodes: array<u32>;
// Output: numWorlds * numParams f32, world-major.
@group(0) @binding(3) var<storage, read_write> params: array<f32>;

@compute @workgroup_size(64)
fn randomizeParams(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let world = gid.x + gid.y * groups.x * 64u;
  if (world >= config.numWorlds) {
    return;
  }
  let episode = episodes[world];
  if (episode == KEEP_ROW) {
    return;
  }
  let row = world * config.numParams;
  for (var id = 0u; id < config.numParams; id++) {
    let r = ranges[id];
    params[row + id] = uniformRange(r.x, r.y, config.seed, episode, world, id, config.opaqueZero);
  }
}
`,
  },
} as const satisfies Record<string, WgslSourceEntry>;
