// Counter-based hash PRNG: the WGSL twin of packages/sim-core/src/random/hash-prng.ts.
// Every function here returns the same bits as its TS namesake (u32 wrapping multiply,
// xor and shifts only; uniform01 has 24 random bits, exact in f32), so a world drawn on
// the GPU is the world drawn by the Rapier backend. Library module: no bindings, no
// entry points; kernels pull it in with `// #requires hash-prng`.

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
// so `a + noContract(b * c)` is always rounded twice (multiply, then add) and never fused
// into one FMA. `opaqueZero` MUST be 0 and MUST come from a buffer (uniform or storage),
// never a constant or `override`: only a run-time value stops the optimizer.
// Why: WGSL lets implementations contract a*b + c into fma(a, b, c) (SPIR-V allows it
// unless NoContraction is set, and Tint does not set it), which rounds once and can change
// the last bit versus the TS reference.
fn noContract(x: f32, opaqueZero: u32) -> f32 {
  return bitcast<f32>(bitcast<u32>(x) | opaqueZero);
}

// Uniform number in [lo, hi]: lo + (hi - lo) * u in f32, each operation rounded, matching
// TS uniformRange bit for bit. `opaqueZero`: see noContract.
fn uniformRange(lo: f32, hi: f32, seed: u32, episode: u32, world: u32, parameter: u32, opaqueZero: u32) -> f32 {
  let u = uniform01(seed, episode, world, parameter);
  return lo + noContract((hi - lo) * u, opaqueZero);
}
