/**
 * Counter-based hash PRNG.
 *
 * Every random number gripgen draws for a world is a pure function of
 * (seed, episode, world, parameter): no generator state is carried from one draw to the
 * next, so world *i* gets the same parameters whatever `numWorlds` is, whichever thread
 * or backend draws them. Only 32-bit integer multiply, xor and shifts are used, all of
 * which WGSL's `u32` arithmetic reproduces bit for bit (`Math.imul` = wrapping `u32 *`).
 */

/** One round of the `lowbias32` integer mixer (C. Wellons), a bijection on u32. */
export function mix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hashes the key (seed, episode, world, parameter) to a uniformly distributed u32. */
export function hashKey(seed: number, episode: number, world: number, parameter: number): number {
  let h = mix32((seed >>> 0) ^ 0x9e3779b9);
  h = mix32(h ^ (episode >>> 0));
  h = mix32((h + 0x632be5ab) ^ (world >>> 0));
  h = mix32((h + 0x85ebca6b) ^ (parameter >>> 0));
  return h;
}

/**
 * Uniform number in [0, 1) with 24 random bits, so the value is exactly representable
 * as an f32 (`f32(h >> 8) * 2^-24` in WGSL gives the same bits).
 */
export function uniform01(seed: number, episode: number, world: number, parameter: number): number {
  return (hashKey(seed, episode, world, parameter) >>> 8) * 5.9604644775390625e-8;
}

/**
 * Uniform number in [min, max], computed in f32 arithmetic (each operation rounded with
 * `Math.fround`), so a WGSL kernel evaluating `min + (max - min) * u` without fused
 * multiply-add gets the same bits.
 */
export function uniformRange(
  min: number,
  max: number,
  seed: number,
  episode: number,
  world: number,
  parameter: number,
): number {
  const f = Math.fround;
  const u = uniform01(seed, episode, world, parameter);
  return f(f(min) + f(f(f(max) - f(min)) * u));
}
