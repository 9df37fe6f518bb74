/**
 * A fast path of box–box contact for a box resting on the top face of a larger box (a cube on
 * the table, a small cube on a larger one): when the small box's footprint lies inside the top
 * face (the large box's local +z face) and its lowest point is above the large box's mid-plane,
 * the separating-axis search of `collideBoxes` would pick that face and clip nothing, so its
 * manifold is the small box's corners within the margin of the face plane, as `collideBoxPlane`
 * makes against the ground. The scene solver tries it first and falls back to `collideBoxes`.
 * WGSL twin: collide-box-face.wgsl.
 */
import { reduceManifold, type Box, type Manifold } from './collide.js';

/**
 * Contacts of box `top` on the +z face of box `base` within `margin`, the normal from `base` to
 * `top` (that face's normal); −1 when the fast path does not apply (use `collideBoxes`).
 */
export function collideBoxOnFace(base: Box, top: Box, margin: number, out: Manifold): number {
  const R = base.r;
  // top's centre and axes in base's frame (Rᵀ·v; column k of R is base's axis k).
  const d = [top.c[0] - base.c[0], top.c[1] - base.c[1], top.c[2] - base.c[2]];
  const local = (v: ArrayLike<number>, k: number) => R[k] * v[0] + R[3 + k] * v[1] + R[6 + k] * v[2];
  const c = [local(d, 0), local(d, 1), local(d, 2)];
  const extent = [0, 0, 0];
  for (let i = 0; i < 3; i++) {
    for (let k = 0; k < 3; k++) {
      const axis = [top.r[k], top.r[3 + k], top.r[6 + k]];
      extent[i] += top.h[k] * Math.abs(local(axis, i));
    }
  }
  if (Math.abs(c[0]) + extent[0] > base.h[0] || Math.abs(c[1]) + extent[1] > base.h[1] || c[2] - extent[2] < 0) return -1;
  const n = [R[2], R[5], R[8]];
  out.n[0] = n[0];
  out.n[1] = n[1];
  out.n[2] = n[2];
  let count = 0;
  for (let k = 0; k < 8; k++) {
    const sx = k & 1 ? 1 : -1;
    const sy = k & 2 ? 1 : -1;
    const sz = k & 4 ? 1 : -1;
    const corner = [0, 0, 0];
    for (let i = 0; i < 3; i++) corner[i] = top.c[i] + sx * top.h[0] * top.r[3 * i] + sy * top.h[1] * top.r[3 * i + 1] + sz * top.h[2] * top.r[3 * i + 2];
    // Signed distance of the corner above the face plane.
    const z = (corner[0] - base.c[0]) * n[0] + (corner[1] - base.c[1]) * n[1] + (corner[2] - base.c[2]) * n[2] - base.h[2];
    if (z > margin) continue;
    for (let i = 0; i < 3; i++) out.p[3 * count + i] = corner[i] - 0.5 * z * n[i];
    out.d[count] = z;
    count++;
  }
  out.count = reduceManifold(out, count);
  return out.count;
}
