import { uniform01, uniformRange } from './hash-prng.js';

/**
 * Per-world randomization shared by every task: each randomized parameter has a uniform range,
 * optionally graded between two sets of ranges, and a world's values are a pure function of
 * (seed, episode, world key) drawn from the counter-based hash PRNG — never of batch size or
 * backend. A task names its parameters; the position of a name in that list is the column of
 * the world-major parameter table and its PRNG parameter id, so a task appends new parameters
 * at the end and existing draws never change.
 */

/** A uniform distribution over [min, max] (min = max fixes the value). */
export interface Range {
  min: number;
  max: number;
}

/** One uniform range per randomized parameter. */
export type Ranges<Name extends string = string> = Record<Name, Range>;

/**
 * A graded randomization: each world first draws a grade t in [0, 1], then draws every parameter
 * uniformly over the range interpolated between the randomization's own range (t = 0) and the
 * one in `to` (t = 1), endpoint by endpoint. With the easy ranges at t = 0 and the hard ones at
 * t = 1 this is a mix of easy and hard worlds, as real task distributions are, instead of a
 * single box. The grade is drawn one of two ways (give exactly one):
 *
 * - `weight`: t = 1 with probability `weight`, else t = 0 — a two-component mixture of pure
 *   worlds of either kind;
 * - `t`: t = clamp(u, 0, 1) with u uniform over [t.min, t.max]; where that reaches beyond
 *   [0, 1] the excess becomes point masses at the pure ends, so t over [−1, 2] gives a third of
 *   the worlds at t = 0, a third at t = 1 and a third graded between.
 */
export interface Grade<Name extends string = string> {
  /** The ranges at t = 1. */
  to: Ranges<Name>;
  /** Probability that a world is a pure `to` world (t = 1); otherwise t = 0. */
  weight?: number;
  /** t = clamp(u, 0, 1), u uniform over [min, max]. */
  t?: Range;
}

/** The distribution of every randomized parameter: uniform ranges, optionally graded. */
export type Randomization<Name extends string = string> = Ranges<Name> & { grade?: Grade<Name> };

/**
 * PRNG parameter id of a world's grade draw: far above every parameter column, so appending
 * parameters never changes it.
 */
export const GRADE_DRAW_ID = 0x100;

/** A range fixed at `v`. */
export const fixed = (v: number): Range => ({ min: v, max: v });
/** The range `v ± halfWidth`. */
export const around = (v: number, halfWidth: number): Range => ({ min: v - halfWidth, max: v + halfWidth });

/**
 * Draws world `world`'s parameters of episode `episode` into `out` at `offset` (one f32 per
 * name, in the order of `names`). Pure in (seed, episode, world).
 */
export function drawRandomization<Name extends string>(
  names: readonly Name[],
  randomization: Randomization<Name>,
  seed: number,
  episode: number,
  world: number,
  out: Float32Array,
  offset: number,
): void {
  const grade = randomization.grade;
  const t = grade ? drawGrade(grade, seed, episode, world) : 0;
  for (let id = 0; id < names.length; id++) {
    const name = names[id];
    const from = randomization[name];
    const to = grade?.to[name] ?? from;
    out[offset + id] = uniformRange(lerpF32(from.min, to.min, t), lerpF32(from.max, to.max, t), seed, episode, world, id);
  }
}

/** World `world`'s grade t in episode `episode` (see {@link Grade}); f32 arithmetic, as the WGSL reset kernel. */
export function drawGrade(grade: Grade, seed: number, episode: number, world: number): number {
  if (grade.weight !== undefined) return uniform01(seed, episode, world, GRADE_DRAW_ID) < Math.fround(grade.weight) ? 1 : 0;
  const t = grade.t ?? { min: 0, max: 0 };
  return Math.min(1, Math.max(0, uniformRange(t.min, t.max, seed, episode, world, GRADE_DRAW_ID)));
}

/**
 * a + (b − a)·t in f32, each operation rounded (as the WGSL reset kernel computes it), and
 * exactly b at t = 1; exactly a at t = 0 or when a = b, so an ungraded randomization draws the
 * same bits as a plain uniform range.
 */
export function lerpF32(a: number, b: number, t: number): number {
  const f = Math.fround;
  if (t >= 1) return f(b);
  return f(f(a) + f(f(f(b) - f(a)) * f(t)));
}

/** The values parameter `name` can take over every grade of `randomization` (its own range if ungraded). */
export function parameterSpan<Name extends string>(randomization: Randomization<Name>, name: Name): Range {
  const from = randomization[name];
  const to = randomization.grade?.to[name] ?? from;
  return { min: Math.min(from.min, to.min), max: Math.max(from.max, to.max) };
}
