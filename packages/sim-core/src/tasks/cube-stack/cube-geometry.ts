import { BODY_STATE_SIZE } from '../../scene/scene-desc.js';

/**
 * Geometry of cubes in a body-state row (position, quaternion [x, y, z, w], linear and angular
 * velocity; see `BODY_STATE_SIZE`): the z extent of a turned cube and whether a point lies over
 * its top face. `o` is the index of the cube's state in `bodies`, `h` its half edge.
 */

/** Half the z extent of a cube of half edge `h` turned by the quaternion at `o + 3`: h·(|R20| + |R21| + |R22|). */
export function cubeHalfHeight(bodies: ArrayLike<number>, o: number, h: number): number {
  const x = bodies[o + 3], y = bodies[o + 4], z = bodies[o + 5], w = bodies[o + 6];
  const r20 = 2 * (x * z - w * y);
  const r21 = 2 * (y * z + w * x);
  const r22 = 1 - 2 * (x * x + y * y);
  return h * (Math.abs(r20) + Math.abs(r21) + Math.abs(r22));
}

/** Lowest z of the cube. */
export function cubeBottomZ(bodies: ArrayLike<number>, o: number, h: number): number {
  return bodies[o + 2] - cubeHalfHeight(bodies, o, h);
}

/** Highest z of the cube. */
export function cubeTopZ(bodies: ArrayLike<number>, o: number, h: number): number {
  return bodies[o + 2] + cubeHalfHeight(bodies, o, h);
}

/**
 * Whether the point (px, py, pz) lies over the cube's top face — the face whose normal is
 * nearest the vertical, whichever of the cube's axes that is: within ±h of the cube's centre
 * along the two other axes of the cube.
 */
export function isOverTopFace(bodies: ArrayLike<number>, o: number, h: number, px: number, py: number, pz: number): boolean {
  const x = bodies[o + 3], y = bodies[o + 4], z = bodies[o + 5], w = bodies[o + 6];
  const dx = px - bodies[o], dy = py - bodies[o + 1], dz = pz - bodies[o + 2];
  // d in the cube's frame (Rᵀ·d), and how vertical each of the cube's axes is (|R2k|).
  const local0 = (1 - 2 * (y * y + z * z)) * dx + 2 * (x * y + w * z) * dy + 2 * (x * z - w * y) * dz;
  const local1 = 2 * (x * y - w * z) * dx + (1 - 2 * (x * x + z * z)) * dy + 2 * (y * z + w * x) * dz;
  const local2 = 2 * (x * z + w * y) * dx + 2 * (y * z - w * x) * dy + (1 - 2 * (x * x + y * y)) * dz;
  const up0 = Math.abs(2 * (x * z - w * y));
  const up1 = Math.abs(2 * (y * z + w * x));
  const up2 = Math.abs(1 - 2 * (x * x + y * y));
  if (up2 >= up0 && up2 >= up1) return Math.abs(local0) <= h && Math.abs(local1) <= h;
  if (up1 >= up0) return Math.abs(local0) <= h && Math.abs(local2) <= h;
  return Math.abs(local1) <= h && Math.abs(local2) <= h;
}

/** Whether the body at `o` moves slower than `maxSpeed` (m/s) and turns slower than `maxSpin` (rad/s). */
export function isBodyAtRest(bodies: ArrayLike<number>, o: number, maxSpeed: number, maxSpin: number): boolean {
  return Math.hypot(bodies[o + 7], bodies[o + 8], bodies[o + 9]) < maxSpeed && Math.hypot(bodies[o + 10], bodies[o + 11], bodies[o + 12]) < maxSpin;
}

/** Offset of body `index`'s state in a world's row that starts at `rowOffset`. */
export function bodyOffset(rowOffset: number, index: number): number {
  return rowOffset + index * BODY_STATE_SIZE;
}
