import { uniformRange } from '../../random/hash-prng.js';
import { drawGrade, lerpF32, type Randomization } from '../../random/randomization.js';
import { CUBE_STACK_GEOMETRY as G } from './geometry.js';
import type { CubeColumns, CubeLetter } from './params.js';

/**
 * Reset placement of the cubes without overlap, as robosuite's placement sampler does it
 * (rejection of a position whose bounding circle meets an earlier cube's), but as a pure
 * function of (seed, episode, world): every redraw uses its own fixed PRNG parameter id, so a
 * world's cubes never depend on the batch size, thread or backend.
 */

/** First PRNG parameter id of the redraws (far above every parameter column, below the experts' style ids). */
export const REDRAW_ID_BASE = 0x200;
/** Redraws per cube before the deterministic fallback. */
export const MAX_REDRAWS = 32;
/** Most cubes `separateCubes` handles (its PRNG ids stay below 0x200 + 2·MAX_CUBES·MAX_REDRAWS). */
export const MAX_CUBES = 4;

/** A cube of the draw: its letter and parameter columns. */
export interface PlacedCube {
  letter: CubeLetter;
  cols: CubeColumns;
}

/** Radius of the bounding circle of a cube's footprint (any yaw): half its diagonal. */
export function footprintRadius(edge: number): number {
  return edge * Math.SQRT1_2;
}

/**
 * Moves cubes apart in one world's freshly drawn parameter row (`out` at `offset`): cube k
 * (in the order of `cubes`) keeps its drawn position if its bounding circle stays `gap` away
 * from every earlier cube's; otherwise its x and y are drawn again from their ranges (at the
 * world's grade) with PRNG ids `REDRAW_ID_BASE + 2·(k·MAX_REDRAWS + attempt)` and `+ 1`, up to
 * `MAX_REDRAWS` times — rejection sampling, so the accepted positions are uniform over the free
 * region. Should every redraw fail (only when overrides leave no room, e.g. two cubes fixed at
 * one point), the cube is moved in +y just beyond the earlier cubes.
 */
export function separateCubes(
  randomization: Randomization,
  cubes: readonly PlacedCube[],
  seed: number,
  episode: number,
  world: number,
  out: Float32Array,
  offset: number,
  gap: number = G.cubeGap,
): void {
  if (cubes.length > MAX_CUBES) throw new Error(`separateCubes places at most ${MAX_CUBES} cubes`);
  const grade = randomization.grade;
  const t = grade ? drawGrade(grade, seed, episode, world) : 0;
  const redraw = (name: string, id: number) => {
    const from = randomization[name];
    const to = grade?.to[name] ?? from;
    return uniformRange(lerpF32(from.min, to.min, t), lerpF32(from.max, to.max, t), seed, episode, world, id);
  };
  const at = (k: number, column: keyof CubeColumns) => out[offset + cubes[k].cols[column]];
  const clearOfEarlier = (k: number) => {
    for (let j = 0; j < k; j++) {
      const reach = footprintRadius(at(j, 'edge')) + footprintRadius(at(k, 'edge')) + gap;
      if (Math.hypot(at(k, 'x') - at(j, 'x'), at(k, 'y') - at(j, 'y')) < reach) return false;
    }
    return true;
  };
  for (let k = 1; k < cubes.length; k++) {
    const { letter, cols } = cubes[k];
    for (let attempt = 0; attempt < MAX_REDRAWS && !clearOfEarlier(k); attempt++) {
      const id = REDRAW_ID_BASE + 2 * (k * MAX_REDRAWS + attempt);
      out[offset + cols.x] = redraw(`cube${letter}X`, id);
      out[offset + cols.y] = redraw(`cube${letter}Y`, id + 1);
    }
    if (!clearOfEarlier(k)) {
      let y = -Infinity;
      for (let j = 0; j < k; j++) y = Math.max(y, at(j, 'y') + footprintRadius(at(j, 'edge')));
      // 10 µm more than needed, so the f32 the row stores still keeps the gap.
      out[offset + cols.y] = y + footprintRadius(at(k, 'edge')) + gap + 1e-5;
    }
  }
}
