/**
 * Deterministic random numbers of generation: pure functions of (seed, attempt, stream,
 * index) through sim-core's counter-based hash, so an attempt draws the same boundaries,
 * source demos and noise whatever the batch size, world slot or backend.
 */
import { hashKey } from '@gripgen/sim-core';

/** Independent streams of one attempt. */
export const STREAM = {
  boundary: 1,
  selection: 2,
  noise: 3,
} as const;

/** Uniform in [0, 1) with 32 random bits. */
export function random01(seed: number, attempt: number, stream: number, index: number): number {
  return hashKey(seed, attempt, stream, index) / 4294967296;
}

/** Uniform integer in [lo, hi] (inclusive). */
export function randomInt(lo: number, hi: number, seed: number, attempt: number, stream: number, index: number): number {
  return lo + Math.floor(random01(seed, attempt, stream, index) * (hi - lo + 1));
}

/** Standard normal (Box–Muller over two hashed uniforms). */
export function randomNormal(seed: number, attempt: number, stream: number, index: number): number {
  const u1 = (hashKey(seed, attempt, stream, 2 * index) + 0.5) / 4294967296;
  const u2 = hashKey(seed, attempt, stream, 2 * index + 1) / 4294967296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
