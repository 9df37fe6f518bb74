/**
 * Contact generation for oriented boxes, in plain TypeScript: the reference the WGSL
 * `collide.wgsl` kernel is checked against, and the algorithm it implements line for line.
 *
 * Box–box follows parry's cuboid–cuboid manifold (and ODE's dBoxBox): a separating-axis
 * test over the 15 candidate axes picks the axis of least penetration (face axes preferred
 * within a tolerance); for a face axis the incident face of the other box is clipped
 * against the side planes of the reference face, and the clipped points within the
 * prediction distance become contacts; for an edge–edge axis the closest points of the two
 * supporting edges give one contact. Box–plane keeps the box corners within the prediction
 * distance. Manifolds are reduced to at most 4 points that keep the deepest point and the
 * widest spread.
 */

/** An oriented box: centre, rotation matrix (row-major 3×3; column i is local axis i in world), half extents. */
export interface Box {
  c: Float64Array;
  r: Float64Array;
  h: Float64Array;
}

/** Creates a box with zeroed storage. */
export function makeBox(): Box {
  return { c: new Float64Array(3), r: new Float64Array(9), h: new Float64Array(3) };
}

/** Most points in one manifold. */
export const MAX_MANIFOLD_POINTS = 4;
/** Points a manifold holds before it is reduced. */
const MANIFOLD_SLOTS = 8;

/**
 * One manifold: normal `n` points from shape A to shape B; each point is the midpoint
 * between the two surfaces, `d` its signed separation (negative: penetration).
 */
export interface Manifold {
  n: Float64Array;
  count: number;
  /** Points, 3 floats each. */
  p: Float64Array;
  d: Float64Array;
}

/** Creates an empty manifold. */
export function makeManifold(): Manifold {
  return { n: new Float64Array(3), count: 0, p: new Float64Array(3 * MANIFOLD_SLOTS), d: new Float64Array(MANIFOLD_SLOTS) };
}

/** Axis i of box b (column i of its rotation), written to `out`. */
export function axis(b: Box, i: number, out: number[]): number[] {
  out[0] = b.r[i];
  out[1] = b.r[3 + i];
  out[2] = b.r[6 + i];
  return out;
}

/** Dot product of two 3-vectors. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** Radius of box b projected on unit axis l. */
export function projectedRadius(b: Box, l: ArrayLike<number>): number {
  return (
    b.h[0] * Math.abs(b.r[0] * l[0] + b.r[3] * l[1] + b.r[6] * l[2]) +
    b.h[1] * Math.abs(b.r[1] * l[0] + b.r[4] * l[1] + b.r[7] * l[2]) +
    b.h[2] * Math.abs(b.r[2] * l[0] + b.r[5] * l[1] + b.r[8] * l[2])
  );
}

/** Face axes win over an edge axis unless the edge axis separates by this much more (m)… */
const EDGE_TOLERANCE = 1e-4;
/**
 * …plus this fraction of the face separation's magnitude. The margin is the same whether the
 * boxes overlap or not: scaling the (signed) face separation by 0.95 instead made a speculative
 * contact (separation > 0) prefer an edge axis that merely repeats a face axis (the cross product
 * of a pad's vertical edge with a near-parallel cube edge), so nearly parallel faces got 1 or 4
 * points depending on round-off, and the f32 kernel and the f64 reference disagreed.
 */
const EDGE_RELATIVE_TOLERANCE = 0.05;

const sA = [0, 0, 0];
const sB = [0, 0, 0];
const sL = [0, 0, 0];
const best = [0, 0, 0];
const t = [0, 0, 0];

/**
 * Contacts between boxes `a` and `b` within `margin` (the prediction distance). Writes
 * `out` (normal from a to b); returns the number of points (0: farther than `margin`).
 */
export function collideBoxes(a: Box, b: Box, margin: number, out: Manifold): number {
  out.count = 0;
  t[0] = b.c[0] - a.c[0];
  t[1] = b.c[1] - a.c[1];
  t[2] = b.c[2] - a.c[2];
  // Face axes of a (kind 0) and b (kind 1).
  let bestSep = -Infinity;
  let bestKind = -1;
  let bestI = 0;
  let bestJ = 0;
  for (let kind = 0; kind < 2; kind++) {
    const box = kind === 0 ? a : b;
    for (let i = 0; i < 3; i++) {
      axis(box, i, sL);
      const sep = Math.abs(dot(t, sL)) - projectedRadius(a, sL) - projectedRadius(b, sL);
      if (sep > margin) return 0;
      if (sep > bestSep) {
        bestSep = sep;
        bestKind = kind;
        bestI = i;
        best[0] = sL[0]; best[1] = sL[1]; best[2] = sL[2];
      }
    }
  }
  const faceSep = bestSep;
  // Edge–edge axes.
  for (let i = 0; i < 3; i++) {
    axis(a, i, sA);
    for (let j = 0; j < 3; j++) {
      axis(b, j, sB);
      sL[0] = sA[1] * sB[2] - sA[2] * sB[1];
      sL[1] = sA[2] * sB[0] - sA[0] * sB[2];
      sL[2] = sA[0] * sB[1] - sA[1] * sB[0];
      const len = Math.hypot(sL[0], sL[1], sL[2]);
      if (len < 1e-6) continue; // parallel edges: covered by the face axes
      sL[0] /= len; sL[1] /= len; sL[2] /= len;
      const sep = Math.abs(dot(t, sL)) - projectedRadius(a, sL) - projectedRadius(b, sL);
      if (sep > margin) return 0;
      if (sep > faceSep + EDGE_RELATIVE_TOLERANCE * Math.abs(faceSep) + EDGE_TOLERANCE && sep > bestSep) {
        bestSep = sep;
        bestKind = 2;
        bestI = i;
        bestJ = j;
        best[0] = sL[0]; best[1] = sL[1]; best[2] = sL[2];
      }
    }
  }
  // Orient the normal from a to b.
  if (dot(t, best) < 0) {
    best[0] = -best[0]; best[1] = -best[1]; best[2] = -best[2];
  }
  out.n[0] = best[0]; out.n[1] = best[1]; out.n[2] = best[2];
  if (bestKind === 2) return edgeContact(a, b, bestI, bestJ, margin, out);
  if (bestKind === 0) return faceContact(a, b, bestI, 1, margin, out);
  return faceContact(b, a, bestI, -1, margin, out);
}

const refN = [0, 0, 0];
const u = [0, 0, 0];
const v = [0, 0, 0];
const w = [0, 0, 0];
// Clipping buffers: up to 8 polygon points.
let polyA = new Float64Array(3 * 16);
let polyB = new Float64Array(3 * 16);

/**
 * Face contact with reference box `ref` (face along its axis `i`, facing the normal times
 * `sign`) and incident box `inc`. `sign` = 1 when `ref` is shape A of the manifold.
 */
function faceContact(ref: Box, inc: Box, i: number, sign: 1 | -1, margin: number, out: Manifold): number {
  // Reference normal: out of `ref` toward `inc`.
  refN[0] = sign * out.n[0]; refN[1] = sign * out.n[1]; refN[2] = sign * out.n[2];
  // Incident face: the face of `inc` most anti-parallel to refN.
  incidentFace(inc, refN, polyA);
  let n = 4;
  // Clip against the 4 side planes of the reference face.
  for (let s = 1; s <= 2; s++) {
    const side = (i + s) % 3;
    axis(ref, side, sB);
    const centre = dot(ref.c, sB);
    for (const dir of [1, -1]) {
      // Keep points with dir·(p·axis - centre) <= h.
      n = clipPolygon(polyA, n, sB, dir, centre, ref.h[side], polyB);
      const tmp = polyA;
      polyA = polyB;
      polyB = tmp;
      if (n === 0) return 0;
    }
  }
  // Separation of each clipped point above the reference face.
  const count = planeContacts(polyA, n, refN, dot(ref.c, refN) + ref.h[i], margin, out);
  out.count = reduceManifold(out, count);
  return out.count;
}

/**
 * Writes the points of polygon `poly` (n points, 3 floats each) within `margin` above the plane
 * p·refN = refPlane to `out` as contacts: the midpoint between the point and its projection on the
 * plane, and its height above it. Reduces to MAX_MANIFOLD_POINTS whenever the manifold's 8 slots
 * fill; returns the number written (not reduced at the end).
 */
export function planeContacts(poly: Float64Array, n: number, refN: ArrayLike<number>, refPlane: number, margin: number, out: Manifold): number {
  let count = 0;
  for (let p = 0; p < n; p++) {
    const px = poly[3 * p], py = poly[3 * p + 1], pz = poly[3 * p + 2];
    const sep = px * refN[0] + py * refN[1] + pz * refN[2] - refPlane;
    if (sep > margin) continue;
    out.p[3 * count] = px - 0.5 * sep * refN[0];
    out.p[3 * count + 1] = py - 0.5 * sep * refN[1];
    out.p[3 * count + 2] = pz - 0.5 * sep * refN[2];
    out.d[count] = sep;
    count++;
    if (count === MANIFOLD_SLOTS) count = reduceManifold(out, count);
  }
  return count;
}

/**
 * Writes the 4 corners of the face of box `inc` most anti-parallel to unit `refN` to `out`
 * (3 floats each, in order around the face).
 */
export function incidentFace(inc: Box, refN: ArrayLike<number>, out: Float64Array): void {
  let k = 0;
  let bestDot = 0;
  for (let j = 0; j < 3; j++) {
    axis(inc, j, sA);
    const d = dot(sA, refN);
    if (Math.abs(d) > Math.abs(bestDot)) {
      bestDot = d;
      k = j;
    }
  }
  const faceSign = bestDot > 0 ? -1 : 1;
  axis(inc, k, w);
  const k1 = (k + 1) % 3;
  const k2 = (k + 2) % 3;
  axis(inc, k1, u);
  axis(inc, k2, v);
  const fc0 = inc.c[0] + faceSign * inc.h[k] * w[0];
  const fc1 = inc.c[1] + faceSign * inc.h[k] * w[1];
  const fc2 = inc.c[2] + faceSign * inc.h[k] * w[2];
  const hu = inc.h[k1];
  const hv = inc.h[k2];
  const corners = [
    [1, 1],
    [-1, 1],
    [-1, -1],
    [1, -1],
  ];
  let n = 0;
  for (const [cu, cv] of corners) {
    out[3 * n] = fc0 + cu * hu * u[0] + cv * hv * v[0];
    out[3 * n + 1] = fc1 + cu * hu * u[1] + cv * hv * v[1];
    out[3 * n + 2] = fc2 + cu * hu * u[2] + cv * hv * v[2];
    n++;
  }
}

/**
 * Sutherland–Hodgman clip of polygon `inp` (n points, 3 floats each) to dir·(p·ax − centre) ≤ h;
 * writes the kept polygon to `outp` and returns its number of points.
 */
export function clipPolygon(
  inp: Float64Array,
  n: number,
  ax: ArrayLike<number>,
  dir: number,
  centre: number,
  h: number,
  outp: Float64Array,
): number {
  let m = 0;
  for (let p = 0; p < n; p++) {
    const q = (p + 1) % n;
    const dp = dir * (inp[3 * p] * ax[0] + inp[3 * p + 1] * ax[1] + inp[3 * p + 2] * ax[2] - centre) - h;
    const dq = dir * (inp[3 * q] * ax[0] + inp[3 * q + 1] * ax[1] + inp[3 * q + 2] * ax[2] - centre) - h;
    if (dp <= 0) {
      outp[3 * m] = inp[3 * p];
      outp[3 * m + 1] = inp[3 * p + 1];
      outp[3 * m + 2] = inp[3 * p + 2];
      m++;
    }
    if ((dp <= 0) !== (dq <= 0)) {
      const f = dp / (dp - dq);
      outp[3 * m] = inp[3 * p] + f * (inp[3 * q] - inp[3 * p]);
      outp[3 * m + 1] = inp[3 * p + 1] + f * (inp[3 * q + 1] - inp[3 * p + 1]);
      outp[3 * m + 2] = inp[3 * p + 2] + f * (inp[3 * q + 2] - inp[3 * p + 2]);
      m++;
    }
  }
  return m;
}

const pa = [0, 0, 0];
const pb = [0, 0, 0];

/** Edge–edge contact: the closest points of a's edge along axis i and b's edge along axis j. */
function edgeContact(a: Box, b: Box, i: number, j: number, margin: number, out: Manifold): number {
  const n = out.n;
  // Supporting edge of a in direction +n and of b in direction −n.
  for (let k = 0; k < 3; k++) {
    pa[k] = a.c[k];
    pb[k] = b.c[k];
  }
  for (let k = 0; k < 3; k++) {
    if (k !== i) {
      axis(a, k, sA);
      const s = dot(sA, n) > 0 ? 1 : -1;
      for (let c = 0; c < 3; c++) pa[c] += s * a.h[k] * sA[c];
    }
    if (k !== j) {
      axis(b, k, sB);
      const s = dot(sB, n) > 0 ? -1 : 1;
      for (let c = 0; c < 3; c++) pb[c] += s * b.h[k] * sB[c];
    }
  }
  axis(a, i, sA);
  axis(b, j, sB);
  // Closest points of the lines pa + s·sA and pb + t·sB.
  const r = [pa[0] - pb[0], pa[1] - pb[1], pa[2] - pb[2]];
  const dAB = dot(sA, sB);
  const e = dot(sA, r);
  const f = dot(sB, r);
  const denom = 1 - dAB * dAB;
  let s = denom > 1e-9 ? (dAB * f - e) / denom : 0;
  s = Math.max(-a.h[i], Math.min(a.h[i], s));
  let tt = dAB * s + f;
  tt = Math.max(-b.h[j], Math.min(b.h[j], tt));
  const qa = [pa[0] + s * sA[0], pa[1] + s * sA[1], pa[2] + s * sA[2]];
  const qb = [pb[0] + tt * sB[0], pb[1] + tt * sB[1], pb[2] + tt * sB[2]];
  const sep = (qb[0] - qa[0]) * n[0] + (qb[1] - qa[1]) * n[1] + (qb[2] - qa[2]) * n[2];
  if (sep > margin) return 0;
  for (let c = 0; c < 3; c++) out.p[c] = 0.5 * (qa[c] + qb[c]);
  out.d[0] = sep;
  out.count = 1;
  return 1;
}

/**
 * Contacts between box `b` and the plane z = 0 (normal +z from the plane to the box): the
 * corners within `margin`, reduced to 4.
 */
export function collideBoxPlane(b: Box, margin: number, out: Manifold): number {
  out.n[0] = 0;
  out.n[1] = 0;
  out.n[2] = 1;
  let count = 0;
  for (let k = 0; k < 8; k++) {
    const sx = k & 1 ? 1 : -1;
    const sy = k & 2 ? 1 : -1;
    const sz = k & 4 ? 1 : -1;
    const z = b.c[2] + sx * b.h[0] * b.r[6] + sy * b.h[1] * b.r[7] + sz * b.h[2] * b.r[8];
    if (z > margin) continue;
    out.p[3 * count] = b.c[0] + sx * b.h[0] * b.r[0] + sy * b.h[1] * b.r[1] + sz * b.h[2] * b.r[2];
    out.p[3 * count + 1] = b.c[1] + sx * b.h[0] * b.r[3] + sy * b.h[1] * b.r[4] + sz * b.h[2] * b.r[5];
    out.p[3 * count + 2] = 0.5 * z;
    out.d[count] = z;
    count++;
  }
  out.count = reduceManifold(out, count);
  return out.count;
}

/**
 * Keeps at most MAX_MANIFOLD_POINTS of `count` points: the deepest, the farthest from it,
 * then the two that add the most area on either side of the line between them.
 */
export function reduceManifold(m: Manifold, count: number): number {
  if (count <= MAX_MANIFOLD_POINTS) return count;
  const keep = [0, -1, -1, -1];
  for (let p = 1; p < count; p++) if (m.d[p] < m.d[keep[0]]) keep[0] = p;
  let far = -1;
  for (let p = 0; p < count; p++) {
    const d2 = dist2(m.p, p, keep[0]);
    if (d2 > far) {
      far = d2;
      keep[1] = p;
    }
  }
  // Signed area along the normal of triangle (keep0, keep1, p).
  let maxPos = 0;
  let maxNeg = 0;
  for (let p = 0; p < count; p++) {
    const area = signedArea(m, keep[0], keep[1], p);
    if (area > maxPos) {
      maxPos = area;
      keep[2] = p;
    }
    if (area < maxNeg) {
      maxNeg = area;
      keep[3] = p;
    }
  }
  let kept = 0;
  const p2 = new Float64Array(12);
  const d2 = new Float64Array(4);
  for (const k of keep) {
    if (k < 0) continue;
    p2[3 * kept] = m.p[3 * k];
    p2[3 * kept + 1] = m.p[3 * k + 1];
    p2[3 * kept + 2] = m.p[3 * k + 2];
    d2[kept] = m.d[k];
    kept++;
  }
  m.p.set(p2.subarray(0, 3 * kept));
  m.d.set(d2.subarray(0, kept));
  return kept;
}

function dist2(p: Float64Array, i: number, j: number): number {
  const dx = p[3 * i] - p[3 * j], dy = p[3 * i + 1] - p[3 * j + 1], dz = p[3 * i + 2] - p[3 * j + 2];
  return dx * dx + dy * dy + dz * dz;
}

function signedArea(m: Manifold, i: number, j: number, k: number): number {
  const p = m.p;
  const ax = p[3 * j] - p[3 * i], ay = p[3 * j + 1] - p[3 * i + 1], az = p[3 * j + 2] - p[3 * i + 2];
  const bx = p[3 * k] - p[3 * i], by = p[3 * k + 1] - p[3 * i + 1], bz = p[3 * k + 2] - p[3 * i + 2];
  const cx = ay * bz - az * by, cy = az * bx - ax * bz, cz = ax * by - ay * bx;
  return cx * m.n[0] + cy * m.n[1] + cz * m.n[2];
}
