import { uniformRange } from '../../random/hash-prng.js';
import { drawGrade, lerpF32, type Range } from '../../random/randomization.js';
import { PICK_PLACE_GEOMETRY as G } from '../pick-place/geometry.js';
import { DISTRACTORS, distractorsInPlay, MAX_DISTRACTORS, parkingSpot } from './distractors.js';
import { P, type ClutterParamName, type ClutterRandomization } from './params.js';

/**
 * Reset placement of the distractors: rejection sampling (robosuite's placement sampler) as a
 * pure function of (seed, episode, world) — every redraw has its own fixed PRNG parameter id —
 * so a world's layout never depends on the batch size, thread or backend.
 */

/**
 * No distractor's footprint comes closer than this to the cube's centre (m): the open
 * gripper's fingers and palm reach 6.2 cm from the TCP at any yaw, and the expert's grasp
 * point lies within 1 cm of the cube's centre, so the hand goes down around the cube and
 * closes without touching a distractor.
 */
export const TARGET_CLEARANCE = 0.08;
/** Gap (m) between a distractor's footprint and the bin's outer walls. */
export const BIN_CLEARANCE = 0.02;
/** Gap (m) between two distractors' footprints. */
export const DISTRACTOR_GAP = 0.01;
/** First PRNG parameter id of the redraws: above the grade (0x100) and the experts' style ids (1000 …). */
export const PLACEMENT_ID_BASE = 0x800;
/** Redraws of a distractor's position before it is parked. */
export const MAX_REDRAWS = 64;

/** Column indices of one slot's parameters (a cylinder's `sizeX` and `sizeY` are its diameter; `yaw` −1). */
export interface DistractorColumns {
  x: number;
  y: number;
  yaw: number;
  sizeX: number;
  sizeY: number;
  height: number;
  mass: number;
  friction: number;
}

/** The parameter columns of each slot of `DISTRACTORS`. */
export const DISTRACTOR_COLUMNS: readonly DistractorColumns[] = DISTRACTORS.map((d) => {
  const col = (field: string) => P[`${d.name}${field}` as ClutterParamName];
  const box = d.shape === 'box';
  return {
    x: col('X'),
    y: col('Y'),
    yaw: box ? col('Yaw') : -1,
    sizeX: box ? col('SizeX') : col('Diameter'),
    sizeY: box ? col('SizeY') : col('Diameter'),
    height: col('Height'),
    mass: col('Mass'),
    friction: col('Friction'),
  };
});

/** Radius (m) of the circle that holds slot `slot`'s footprint at any yaw. */
export function footprintRadius(params: ArrayLike<number>, offset: number, slot: number): number {
  const c = DISTRACTOR_COLUMNS[slot];
  const sx = params[offset + c.sizeX], sy = params[offset + c.sizeY];
  return DISTRACTORS[slot].shape === 'box' ? 0.5 * Math.hypot(sx, sy) : 0.5 * sx;
}

/**
 * Places the distractors of one world's freshly drawn parameter row (`out` at `offset`): the
 * slots in play (`distractorsInPlay`), in slot order, each keep their drawn position if their
 * footprint circle stays `TARGET_CLEARANCE` from the cube's centre, `BIN_CLEARANCE` from the
 * bin's walls and `DISTRACTOR_GAP` from every distractor placed before; otherwise x and y are
 * drawn again from their ranges (at the world's grade) with PRNG ids `PLACEMENT_ID_BASE +
 * 2·(slot·MAX_REDRAWS + attempt)` and `+ 1`, up to `MAX_REDRAWS` times, so accepted positions
 * are uniform over the free region. A slot that finds no room (only when overrides crowd the
 * region) is parked with all later ones. Every parked slot's x and y become its `parkingSpot`,
 * and `distractorCount` becomes the number in play.
 */
export function placeDistractors(randomization: ClutterRandomization, seed: number, episode: number, world: number, out: Float32Array, offset: number): void {
  const t = randomization.grade ? drawGrade(randomization.grade, seed, episode, world) : 0;
  const rangeAt = (name: ClutterParamName): Range => {
    const from = randomization[name];
    const to = randomization.grade?.to[name] ?? from;
    return { min: lerpF32(from.min, to.min, t), max: lerpF32(from.max, to.max, t) };
  };
  const cubeX = out[offset + P.cubeX], cubeY = out[offset + P.cubeY];
  const binX = out[offset + P.binX], binY = out[offset + P.binY];
  const binOuterHalf = G.binInnerHalfSize + 2 * G.binWallHalfThickness;
  const placed: { x: number; y: number; r: number }[] = [];
  const fits = (x: number, y: number, r: number) => {
    if (Math.hypot(x - cubeX, y - cubeY) < TARGET_CLEARANCE + r) return false;
    const dx = Math.max(Math.abs(x - binX) - binOuterHalf, 0), dy = Math.max(Math.abs(y - binY) - binOuterHalf, 0);
    if (Math.hypot(dx, dy) < r + BIN_CLEARANCE) return false;
    return placed.every((q) => Math.hypot(x - q.x, y - q.y) >= r + q.r + DISTRACTOR_GAP);
  };

  let inPlay = distractorsInPlay(out[offset + P.distractorCount]);
  for (let slot = 0; slot < MAX_DISTRACTORS; slot++) {
    const c = DISTRACTOR_COLUMNS[slot];
    if (slot < inPlay) {
      const r = footprintRadius(out, offset, slot);
      let x = out[offset + c.x], y = out[offset + c.y];
      let ok = fits(x, y, r);
      if (!ok) {
        const name = DISTRACTORS[slot].name;
        const rx = rangeAt(`${name}X`), ry = rangeAt(`${name}Y`);
        for (let attempt = 0; attempt < MAX_REDRAWS && !ok; attempt++) {
          const id = PLACEMENT_ID_BASE + 2 * (slot * MAX_REDRAWS + attempt);
          x = uniformRange(rx.min, rx.max, seed, episode, world, id);
          y = uniformRange(ry.min, ry.max, seed, episode, world, id + 1);
          ok = fits(x, y, r);
        }
      }
      if (ok) {
        out[offset + c.x] = x;
        out[offset + c.y] = y;
        placed.push({ x, y, r });
        continue;
      }
      inPlay = slot;
    }
    const [px, py] = parkingSpot(slot);
    out[offset + c.x] = px;
    out[offset + c.y] = py;
  }
  out[offset + P.distractorCount] = inPlay;
}
