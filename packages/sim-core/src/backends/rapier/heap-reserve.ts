import type { Rapier } from './rapier-module.js';

/**
 * WASM heap bytes reserved per world when a shard starts: above the ~48 KiB a pick-place
 * world settles at (bodies, colliders, joints, contact manifolds).
 */
export const HEAP_BYTES_PER_WORLD = 64 * 1024;

/** Largest block reserved so far in this thread. */
let largestReserved = 0;

/**
 * Grows Rapier's WASM heap to hold at least `bytes` in one go (once per thread and size): one allocation of that
 * size inside Rapier's allocator, freed at once, so later allocations reuse it.
 *
 * Why: V8 answers every `memory.grow` with an external-memory-pressure GC, and Rapier's
 * allocator grows the memory a few pages at a time, so building thousands of worlds
 * otherwise costs hundreds of full GCs (seconds). Only allocator addresses change; physics
 * results do not depend on them.
 */
export function reserveRapierHeap(rapier: Rapier, bytes: number): void {
  // WASM memory never shrinks and freed blocks stay with the allocator: a block once
  // reserved in this thread is still there for the next shard (no growth per Sim).
  if (bytes <= largestReserved) return;
  largestReserved = bytes;
  // Deserializing copies the bytes into a Rapier-side buffer of the same size (then
  // dropped); all-zero bytes decode as an empty world, freed right away.
  try {
    const world = rapier.World.restoreSnapshot(new Uint8Array(bytes)) as { free(): void } | null | undefined;
    world?.free();
  } catch {
    // Only an optimization: without it the heap grows on demand.
  }
}
