/**
 * Contact generation for solid cylinders against oriented boxes and against each other, in plain
 * TypeScript: the reference the WGSL `collide-cylinder.wgsl` is checked against, and the algorithm
 * it implements line for line. Conventions as in collide.ts: the normal points from shape A to
 * shape B, each point is the midpoint between the two surfaces, `d` its signed separation along
 * the normal (negative: penetration), at most 4 points, none when farther apart than `margin`.
 *
 * Normal: the axis of least penetration (or, apart, of largest gap) by a separating-axis search
 * with the shapes' exact projected radii (a cylinder's on unit l: halfHeight·|a·l| + radius·|a×l|).
 * For convex shapes the largest gap over all axes is the distance (apart) or minus the penetration
 * depth (overlapping); the candidates hold every axis where that maximum can sit for the feature
 * pairs of the two shapes:
 * - closed form: box face normals, cylinder axes, cross products of the axes; a box corner against
 *   a cylinder's side (perpendicular from the axis) and against its rims (from the nearest and the
 *   farthest rim point); for two cylinders the centre offset perpendicular to each axis;
 * - 1-D searches (24 samples, then 20 golden-section steps around the best): over the great circle
 *   of axes perpendicular to each box edge direction (box edge against a cylinder's rim) and to
 *   each cylinder's axis (side against rim); for two cylinders, over the points of a's two rims,
 *   each against b's side and rims as a box corner is, then 8 Newton steps on the sphere from the
 *   best axis (rim against rim, where the gap peaks too sharply for the search alone).
 *
 * Manifold: if the normal lies within 0.81° of a box face normal or a cylinder's axis, that face
 * (the box face, or the cap as its inscribed octagon) is the reference, the normal snaps to it,
 * and the other shape's incident feature (the box face most opposed to it; the cylinder's cap as
 * 8 rim points starting at its deepest one, or its side line when the axis is more than 45° off)
 * is clipped against the reference's side planes, as in box–box; if nothing is left (the features
 * meet just beyond the reference's edge, or in the sliver between a cap's octagon and its rim),
 * the unsnapped normal and the features below are used. Otherwise the features in ±n are a box
 * edge or corner and a cylinder side line or rim point: two lines parallel within 1.1° across n
 * give the ends of their overlap, crossing lines their closest points, anything with a single
 * point that point at the separation found by the axis search.
 *
 * Approximate: the reference cap is its inscribed octagon (clipped points up to 7.6% of the radius
 * inside the rim; incident rim points are exact), a snapped normal may be 0.81° off the exact
 * axis, and the ends of lines up to 1.1° from parallel report the separation where they cross.
 */

import {
  axis,
  clipPolygon,
  dot,
  incidentFace,
  planeContacts,
  projectedRadius,
  reduceManifold,
  type Box,
  type Manifold,
} from './collide.js';

/** A solid cylinder: centre, rotation (row-major 3×3; column 2 is the axis in world), radius, half its length. */
export interface Cylinder {
  c: Float64Array;
  r: Float64Array;
  radius: number;
  halfHeight: number;
}

/** Creates a cylinder with zeroed storage. */
export function makeCylinder(): Cylinder {
  return { c: new Float64Array(3), r: new Float64Array(9), radius: 0, halfHeight: 0 };
}

/** A face (box face, cylinder cap) is the reference when |face normal · n| reaches this (cos 0.81°). */
const FACE_ALIGN = 0.9999;
/** Tie margin between two reference candidates: the box (or shape A) wins within it. */
const FACE_TIE = 1e-5;
/** An incident cylinder offers its cap when |axis · n| reaches this (45°), else its side line. */
const CAP_INCIDENT = Math.SQRT1_2;
/**
 * Off the faces: a box edge or cylinder side line is the feature when |direction · n| is below this
 * (0.06°; the axes of side and edge contacts are perpendicular to them by construction, and a line
 * at an angle to n would put its far end too deep).
 */
const SIDE_SIN = 1e-3;
/** Two side/edge lines whose projections across n differ by less than this angle's sine touch along a segment. */
const PARALLEL_SIN = 0.02;
/** Samples of a 1-D search, then golden-section steps around the best. */
const SEARCH_SAMPLES = 24;
const SEARCH_STEPS = 20;
/** Newton steps on the sphere for two cylinders. */
const NEWTON_STEPS = 8;
/** Rim points of a cap (the reference octagon is inscribed in the rim). */
const CAP_POINTS = 8;
const GOLDEN = 0.6180339887498949;

// The pair being collided: shape A is `pairBox` (kind 0) or `pairA` (kind 1); shape B is `pairB`.
let pairKind = 0;
let pairBox: Box;
let pairA: Cylinder;
let pairB: Cylinder;
const t = [0, 0, 0];
const best = [0, 0, 0];
let bestSep = -Infinity;

const l = [0, 0, 0];
const u = [0, 0, 0];
const v = [0, 0, 0];
const e = [0, 0, 0];
const ca = [0, 0, 0];
const cb = [0, 0, 0];
const p = [0, 0, 0];
const q = [0, 0, 0];

/** The axis (column 2) of cylinder `cy`, written to `out`. */
function cylAxis(cy: Cylinder, out: number[]): number[] {
  out[0] = cy.r[2];
  out[1] = cy.r[5];
  out[2] = cy.r[8];
  return out;
}

/** |a × dir| for unit vectors: √(1 − (a·dir)²), accurate when they are nearly parallel. */
function acrossLength(a: ArrayLike<number>, dir: ArrayLike<number>): number {
  return Math.hypot(a[1] * dir[2] - a[2] * dir[1], a[2] * dir[0] - a[0] * dir[2], a[0] * dir[1] - a[1] * dir[0]);
}

/** Radius of cylinder `cy` projected on unit axis `dir`: halfHeight·|a·dir| + radius·|a × dir|. */
function cylProjectedRadius(cy: Cylinder, dir: ArrayLike<number>): number {
  cylAxis(cy, ca);
  return cy.halfHeight * Math.abs(dot(ca, dir)) + cy.radius * acrossLength(ca, dir);
}

/** Gap between the pair's shapes along unit axis `dir` (negative: overlap). */
function pairSep(dir: ArrayLike<number>): number {
  const ra = pairKind === 0 ? projectedRadius(pairBox, dir) : cylProjectedRadius(pairA, dir);
  return Math.abs(dot(t, dir)) - ra - cylProjectedRadius(pairB, dir);
}

/** Takes axis (x, y, z) (any length above `minLen`) as the best if it separates more. */
function consider(x: number, y: number, z: number, minLen: number): void {
  const len = Math.hypot(x, y, z);
  if (len < minLen) return;
  l[0] = x / len;
  l[1] = y / len;
  l[2] = z / len;
  const s = pairSep(l);
  if (s > bestSep) {
    bestSep = s;
    best[0] = l[0];
    best[1] = l[1];
    best[2] = l[2];
  }
}

// The 1-D search: the gap along axes cos φ·su + sin φ·sv (mode 0, a great circle, φ in [0, π)),
// or the best gap of the rim points sBase + cos φ·su + sin φ·sv against cylinder B (mode 1, φ in
// [0, 2π)).
let searchMode = 0;
const sBase = [0, 0, 0];
const su = [0, 0, 0];
const sv = [0, 0, 0];
const sp = [0, 0, 0];
/** Best axis found by the last pointCylinderSep. */
const ptDir = [0, 0, 0];

/** Takes unit axis (x, y, z) into ptDir if its gap beats `current`; returns the larger gap. */
function tryPointAxis(x: number, y: number, z: number, current: number): number {
  const len = Math.hypot(x, y, z);
  if (len < 1e-9) return current;
  l[0] = x / len;
  l[1] = y / len;
  l[2] = z / len;
  const s = pairSep(l);
  if (s <= current) return current;
  ptDir[0] = l[0];
  ptDir[1] = l[1];
  ptDir[2] = l[2];
  return s;
}

/**
 * Largest gap over the axes from point `pt` (a box corner, a rim point) to cylinder `cy`'s side
 * (perpendicular from the axis) and to its two rims (from the nearest and the farthest rim point:
 * where the gap between the point and the cylinder is stationary); the axis goes to ptDir.
 */
function pointCylinderSep(pt: ArrayLike<number>, cy: Cylinder): number {
  cylAxis(cy, ca);
  const rx = pt[0] - cy.c[0], ry = pt[1] - cy.c[1], rz = pt[2] - cy.c[2];
  const ra = rx * ca[0] + ry * ca[1] + rz * ca[2];
  const px = rx - ra * ca[0], py = ry - ra * ca[1], pz = rz - ra * ca[2];
  const pl = Math.hypot(px, py, pz);
  let s = tryPointAxis(px, py, pz, -Infinity);
  if (pl < 1e-9) return s;
  // The nearest rim point (k > 0), and the farthest (k < 0: its axis is where an overlap can be least).
  for (let side = -1; side <= 1; side += 2) {
    const h = side * cy.halfHeight;
    for (let far = 0; far < 2; far++) {
      const k = far === 0 ? cy.radius / pl : -cy.radius / pl;
      s = tryPointAxis(rx - h * ca[0] - k * px, ry - h * ca[1] - k * py, rz - h * ca[2] - k * pz, s);
    }
  }
  return s;
}

/** Value of the 1-D search at φ (mode 1 leaves its axis in ptDir, mode 0 in l). */
function searchAt(phi: number): number {
  const cs = Math.cos(phi);
  const sn = Math.sin(phi);
  if (searchMode === 0) {
    for (let c = 0; c < 3; c++) l[c] = cs * su[c] + sn * sv[c];
    return pairSep(l);
  }
  for (let c = 0; c < 3; c++) sp[c] = sBase[c] + cs * su[c] + sn * sv[c];
  return pointCylinderSep(sp, pairB);
}

/** The 1-D search over φ in [0, range): SEARCH_SAMPLES samples, then golden section around the best; considers its axis. */
function search(range: number): void {
  const stepPhi = range / SEARCH_SAMPLES;
  let bestPhi = 0;
  let bestVal = -Infinity;
  for (let i = 0; i < SEARCH_SAMPLES; i++) {
    const s = searchAt(i * stepPhi);
    if (s > bestVal) {
      bestVal = s;
      bestPhi = i * stepPhi;
    }
  }
  let lo = bestPhi - stepPhi;
  let hi = bestPhi + stepPhi;
  let x1 = hi - GOLDEN * (hi - lo);
  let x2 = lo + GOLDEN * (hi - lo);
  let f1 = searchAt(x1);
  let f2 = searchAt(x2);
  for (let k = 0; k < SEARCH_STEPS; k++) {
    if (f1 < f2) {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + GOLDEN * (hi - lo);
      f2 = searchAt(x2);
    } else {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - GOLDEN * (hi - lo);
      f1 = searchAt(x1);
    }
  }
  searchAt(f1 < f2 ? x2 : x1);
  const dir = searchMode === 0 ? l : ptDir;
  consider(dir[0], dir[1], dir[2], 0.5);
}

/** Searches the great circle of axes spanned by orthonormal x, y. */
function circleSearch(x: ArrayLike<number>, y: ArrayLike<number>): void {
  searchMode = 0;
  for (let c = 0; c < 3; c++) {
    su[c] = x[c];
    sv[c] = y[c];
  }
  search(Math.PI);
}

/** Candidate axes of a box (shape A) and a cylinder (shape B); true when they are more than `margin` apart. */
function boxCylinderAxes(box: Box, cy: Cylinder, margin: number): boolean {
  cylAxis(cy, cb);
  consider(cb[0], cb[1], cb[2], 0.5);
  for (let i = 0; i < 3; i++) {
    axis(box, i, e);
    consider(e[0], e[1], e[2], 0.5);
    consider(cb[1] * e[2] - cb[2] * e[1], cb[2] * e[0] - cb[0] * e[2], cb[0] * e[1] - cb[1] * e[0], 1e-6);
  }
  for (let k = 0; k < 8; k++) {
    for (let c = 0; c < 3; c++) {
      p[c] =
        box.c[c] +
        (k & 1 ? 1 : -1) * box.h[0] * box.r[3 * c] +
        (k & 2 ? 1 : -1) * box.h[1] * box.r[3 * c + 1] +
        (k & 4 ? 1 : -1) * box.h[2] * box.r[3 * c + 2];
    }
    if (pointCylinderSep(p, cy) > bestSep) consider(ptDir[0], ptDir[1], ptDir[2], 0.5);
  }
  if (bestSep > margin) return true;
  // Box edge against rim: the circle of axes perpendicular to each edge direction.
  for (let j = 0; j < 3; j++) circleSearch(axis(box, (j + 1) % 3, u), axis(box, (j + 2) % 3, v));
  return bestSep > margin;
}

/** Candidate axes of two cylinders; true when they are more than `margin` apart. */
function cylinderCylinderAxes(a: Cylinder, b: Cylinder, margin: number): boolean {
  cylAxis(b, cb);
  cylAxis(a, e);
  consider(e[0], e[1], e[2], 0.5);
  consider(cb[0], cb[1], cb[2], 0.5);
  consider(e[1] * cb[2] - e[2] * cb[1], e[2] * cb[0] - e[0] * cb[2], e[0] * cb[1] - e[1] * cb[0], 1e-6);
  const ta = dot(t, e);
  consider(t[0] - ta * e[0], t[1] - ta * e[1], t[2] - ta * e[2], 1e-9);
  const tb = dot(t, cb);
  consider(t[0] - tb * cb[0], t[1] - tb * cb[1], t[2] - tb * cb[2], 1e-9);
  if (bestSep > margin) return true;
  // Side against rim: the circle of axes perpendicular to each cylinder's axis.
  for (const cy of [a, b]) {
    u[0] = cy.r[0]; u[1] = cy.r[3]; u[2] = cy.r[6];
    v[0] = cy.r[1]; v[1] = cy.r[4]; v[2] = cy.r[7];
    circleSearch(u, v);
  }
  // Rim against rim: each point of a's two rims against b as a box corner is, then Newton steps
  // on the sphere (the gap peaks sharply along the rims' common tangent, so the search only gets near).
  searchMode = 1;
  cylAxis(a, e);
  for (let side = -1; side <= 1; side += 2) {
    for (let c = 0; c < 3; c++) {
      sBase[c] = a.c[c] + side * a.halfHeight * e[c];
      su[c] = a.radius * a.r[3 * c];
      sv[c] = a.radius * a.r[3 * c + 1];
    }
    search(2 * Math.PI);
  }
  newtonRefine(a, b);
  return bestSep > margin;
}

const gr = [0, 0, 0];
const t1 = [0, 0, 0];
const t2 = [0, 0, 0];
const hx = [0, 0, 0];

/** Adds cylinder `cy`'s support offset in unit direction `dir` times `k` to `out`. */
function addSupportOffset(cy: Cylinder, dir: ArrayLike<number>, k: number, out: number[]): void {
  cylAxis(cy, ca);
  const al = dot(ca, dir);
  const wl = acrossLength(ca, dir);
  const sh = al >= 0 ? cy.halfHeight : -cy.halfHeight;
  const kr = wl > 1e-6 ? cy.radius / wl : 0;
  for (let c = 0; c < 3; c++) out[c] += k * (sh * ca[c] + kr * (dir[c] - al * ca[c]));
}

/** x · (Hessian of cylinder `cy`'s support function at unit `dir`) · y. */
function supportHessian(cy: Cylinder, dir: ArrayLike<number>, x: ArrayLike<number>, y: ArrayLike<number>): number {
  cylAxis(cy, ca);
  const al = dot(ca, dir);
  const wl = acrossLength(ca, dir);
  if (wl < 1e-6) return 0;
  // (r/|Pl|)·(P − ŵŵᵀ), P the projection across the axis, ŵ = Pl/|Pl|.
  const xa = dot(x, ca), ya = dot(y, ca);
  const xw = (dot(x, dir) - al * xa) / wl, yw = (dot(y, dir) - al * ya) / wl;
  return (cy.radius / wl) * (dot(x, y) - xa * ya - xw * yw);
}

/** Newton steps on the sphere for the gap of two cylinders from the best axis, each kept only if it gains. */
function newtonRefine(a: Cylinder, b: Cylinder): void {
  if (dot(t, best) < 0) {
    best[0] = -best[0]; best[1] = -best[1]; best[2] = -best[2];
  }
  for (let it = 0; it < NEWTON_STEPS; it++) {
    // Gradient of t·l − h_a(l) − h_b(l) and a tangent basis at l.
    for (let c = 0; c < 3; c++) gr[c] = t[c];
    addSupportOffset(a, best, -1, gr);
    addSupportOffset(b, best, -1, gr);
    const ax = Math.abs(best[0]) < 0.6 ? 1 : 0;
    const ay = ax === 1 ? 0 : 1;
    t1[0] = ay * best[2]; t1[1] = -ax * best[2]; t1[2] = ax * best[1] - ay * best[0];
    const len = Math.hypot(t1[0], t1[1], t1[2]);
    t1[0] /= len; t1[1] /= len; t1[2] /= len;
    t2[0] = best[1] * t1[2] - best[2] * t1[1];
    t2[1] = best[2] * t1[0] - best[0] * t1[2];
    t2[2] = best[0] * t1[1] - best[1] * t1[0];
    const g1 = dot(gr, t1), g2 = dot(gr, t2);
    // Riemannian Hessian: tangent block of −H_a − H_b, minus the gap (degree-1 homogeneity).
    const h11 = -supportHessian(a, best, t1, t1) - supportHessian(b, best, t1, t1) - bestSep;
    const h12 = -supportHessian(a, best, t1, t2) - supportHessian(b, best, t1, t2);
    const h22 = -supportHessian(a, best, t2, t2) - supportHessian(b, best, t2, t2) - bestSep;
    const det = h11 * h22 - h12 * h12;
    let d1: number, d2: number;
    if (h11 < 0 && det > 1e-12 * (h11 * h11 + h22 * h22)) {
      d1 = -(h22 * g1 - h12 * g2) / det;
      d2 = -(h11 * g2 - h12 * g1) / det;
    } else {
      // Not concave here: a gradient step of about the gap's scale.
      const k = 1 / (Math.abs(h11) + Math.abs(h22) + Math.abs(h12) + 1e-9);
      d1 = k * g1;
      d2 = k * g2;
    }
    const dl = Math.hypot(d1, d2);
    if (dl > 0.2) {
      d1 *= 0.2 / dl;
      d2 *= 0.2 / dl;
    }
    for (let c = 0; c < 3; c++) hx[c] = best[c] + d1 * t1[c] + d2 * t2[c];
    const before = bestSep;
    consider(hx[0], hx[1], hx[2], 0.5);
    if (bestSep <= before) {
      for (let c = 0; c < 3; c++) hx[c] = best[c] + 0.25 * (d1 * t1[c] + d2 * t2[c]);
      consider(hx[0], hx[1], hx[2], 0.5);
    }
  }
}

/** Normal search for the current pair; writes out.n (from A to B) and returns false when farther than `margin`. */
function findNormal(margin: number, out: Manifold): boolean {
  bestSep = -Infinity;
  best[0] = 0; best[1] = 0; best[2] = 1;
  const apart = pairKind === 0 ? boxCylinderAxes(pairBox, pairB, margin) : cylinderCylinderAxes(pairA, pairB, margin);
  if (apart) return false;
  if (dot(t, best) < 0) {
    best[0] = -best[0]; best[1] = -best[1]; best[2] = -best[2];
  }
  out.n[0] = best[0]; out.n[1] = best[1]; out.n[2] = best[2];
  return true;
}

/**
 * Contacts between box `box` (shape A) and cylinder `cyl` (shape B) within `margin`. Writes
 * `out` (normal from the box to the cylinder); returns the number of points (0: farther than `margin`).
 */
export function collideBoxCylinder(box: Box, cyl: Cylinder, margin: number, out: Manifold): number {
  pairKind = 0;
  pairBox = box;
  return collidePair(box.c, cyl, margin, out);
}

/**
 * Contacts between cylinder `cyl` (shape A) and box `box` (shape B) within `margin`. Writes
 * `out` (normal from the cylinder to the box); returns the number of points (0: farther than `margin`).
 */
export function collideCylinderBox(cyl: Cylinder, box: Box, margin: number, out: Manifold): number {
  const count = collideBoxCylinder(box, cyl, margin, out);
  out.n[0] = -out.n[0];
  out.n[1] = -out.n[1];
  out.n[2] = -out.n[2];
  return count;
}

/**
 * Contacts between cylinders `a` and `b` within `margin`. Writes `out` (normal from a to b);
 * returns the number of points (0: farther than `margin`).
 */
export function collideCylinders(a: Cylinder, b: Cylinder, margin: number, out: Manifold): number {
  pairKind = 1;
  pairA = a;
  return collidePair(a.c, b, margin, out);
}

/** Contacts between shape A (set up by the caller, centred at `centreA`) and cylinder `b` (shape B). */
function collidePair(centreA: ArrayLike<number>, b: Cylinder, margin: number, out: Manifold): number {
  out.count = 0;
  pairB = b;
  for (let c = 0; c < 3; c++) t[c] = b.c[c] - centreA[c];
  if (!findNormal(margin, out)) return 0;
  return buildManifold(margin, out);
}

const refN = [0, 0, 0];
const w = [0, 0, 0];
const w2 = [0, 0, 0];
// Clipping buffers (up to 16 points) and reference side planes (normal, offset: keep p·normal ≤ offset).
let polyA = new Float64Array(3 * 16);
let polyB = new Float64Array(3 * 16);
const planes = new Float64Array(4 * CAP_POINTS);

/** Writes side plane `i` (keep p·(x, y, z) ≤ offset). */
function setPlane(i: number, x: number, y: number, z: number, offset: number): void {
  planes[4 * i] = x;
  planes[4 * i + 1] = y;
  planes[4 * i + 2] = z;
  planes[4 * i + 3] = offset;
}

/** Manifold from the features in ±out.n: a face–feature clip or a line/point contact. */
function buildManifold(margin: number, out: Manifold): number {
  const n = out.n;
  let alignA = 0;
  let boxK = 0;
  if (pairKind === 0) {
    for (let k = 0; k < 3; k++) {
      const d = Math.abs(dot(axis(pairBox, k, e), n));
      if (d > alignA) {
        alignA = d;
        boxK = k;
      }
    }
  } else {
    alignA = Math.abs(dot(cylAxis(pairA, e), n));
  }
  const alignB = Math.abs(dot(cylAxis(pairB, e), n));
  const refIsA = alignA >= alignB - FACE_TIE;
  if ((refIsA ? alignA : alignB) >= FACE_ALIGN) return faceManifold(refIsA, boxK, margin, out);
  return featureManifold(margin, out);
}

/**
 * Face contact: the reference face (box face `boxK` of shape A, or the cap of the cylinder that is
 * shape A when `refIsA`, else of shape B) clips the other shape's incident feature.
 */
function faceManifold(refIsA: boolean, boxK: number, margin: number, out: Manifold): number {
  const sign = refIsA ? 1 : -1;
  let refPlane: number;
  let numPlanes: number;
  if (refIsA && pairKind === 0) {
    const box = pairBox;
    axis(box, boxK, e);
    const s = dot(e, out.n) > 0 ? 1 : -1;
    for (let c = 0; c < 3; c++) refN[c] = s * e[c];
    refPlane = dot(box.c, refN) + box.h[boxK];
    for (let k = 1; k <= 2; k++) {
      const side = (boxK + k) % 3;
      axis(box, side, u);
      const cu = dot(box.c, u);
      setPlane(2 * k - 2, u[0], u[1], u[2], cu + box.h[side]);
      setPlane(2 * k - 1, -u[0], -u[1], -u[2], -cu + box.h[side]);
    }
    numPlanes = 4;
  } else {
    const cy = refIsA ? pairA : pairB;
    cylAxis(cy, e);
    const s = sign * dot(e, out.n) > 0 ? 1 : -1;
    for (let c = 0; c < 3; c++) refN[c] = s * e[c];
    refPlane = dot(cy.c, refN) + cy.halfHeight;
    const inner = cy.radius * Math.cos(Math.PI / CAP_POINTS);
    for (let i = 0; i < CAP_POINTS; i++) {
      const th = ((i + 0.5) * 2 * Math.PI) / CAP_POINTS;
      const cs = Math.cos(th), sn = Math.sin(th);
      const x = cs * cy.r[0] + sn * cy.r[1];
      const y = cs * cy.r[3] + sn * cy.r[4];
      const z = cs * cy.r[6] + sn * cy.r[7];
      setPlane(i, x, y, z, x * cy.c[0] + y * cy.c[1] + z * cy.c[2] + inner);
    }
    numPlanes = CAP_POINTS;
  }
  for (let c = 0; c < 3; c++) out.n[c] = sign * refN[c];
  // Incident feature, facing −refN.
  let m = 4;
  if (refIsA) m = incidentFeature(pairB);
  else if (pairKind === 0) incidentFace(pairBox, refN, polyA);
  else m = incidentFeature(pairA);
  const kept = m === 2 ? clipSegment(numPlanes) : clipAll(m, numPlanes);
  const count = planeContacts(polyA, kept, refN, refPlane, margin, out);
  if (count === 0) {
    // The features miss each other across the reference face (they meet beyond its edge): back to
    // the normal of the axis search and its line and point features.
    for (let c = 0; c < 3; c++) out.n[c] = best[c];
    return featureManifold(margin, out);
  }
  out.count = reduceManifold(out, count);
  return out.count;
}

/** Clips polygon polyA (m points) against the side planes; returns the points kept (in polyA). */
function clipAll(m: number, numPlanes: number): number {
  let kept = m;
  for (let i = 0; i < numPlanes && kept > 0; i++) {
    kept = clipPolygon(polyA, kept, planes.subarray(4 * i, 4 * i + 3), 1, 0, planes[4 * i + 3], polyB);
    const tmp = polyA;
    polyA = polyB;
    polyB = tmp;
  }
  return kept;
}

/** Clips segment polyA[0..1] against the side planes; returns the points kept (0 or 2, in polyA). */
function clipSegment(numPlanes: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < numPlanes; i++) {
    const o = 4 * i;
    const d0 = planes[o] * polyA[0] + planes[o + 1] * polyA[1] + planes[o + 2] * polyA[2] - planes[o + 3];
    const d1 = planes[o] * polyA[3] + planes[o + 1] * polyA[4] + planes[o + 2] * polyA[5] - planes[o + 3];
    if (d0 > 0 && d1 > 0) return 0;
    if (d0 > 0) lo = Math.max(lo, d0 / (d0 - d1));
    else if (d1 > 0) hi = Math.min(hi, d0 / (d0 - d1));
  }
  if (lo > hi) return 0;
  for (let c = 0; c < 3; c++) {
    const a0 = polyA[c];
    const d = polyA[3 + c] - a0;
    polyA[c] = a0 + lo * d;
    polyA[3 + c] = a0 + hi * d;
  }
  return 2;
}

/**
 * The feature of cylinder `cy` facing −refN, in polyA: its cap as CAP_POINTS rim points starting
 * at the deepest (axis within 45° of refN), else its side line (2 points). Returns the count.
 */
function incidentFeature(cy: Cylinder): number {
  cylAxis(cy, ca);
  const beta = dot(ca, refN);
  // Direction across the axis towards −refN.
  for (let c = 0; c < 3; c++) w[c] = beta * ca[c] - refN[c];
  const wl = Math.hypot(w[0], w[1], w[2]);
  if (Math.abs(beta) >= CAP_INCIDENT) {
    if (wl < 1e-3) {
      w[0] = cy.r[0]; w[1] = cy.r[3]; w[2] = cy.r[6];
    } else {
      w[0] /= wl; w[1] /= wl; w[2] /= wl;
    }
    w2[0] = ca[1] * w[2] - ca[2] * w[1];
    w2[1] = ca[2] * w[0] - ca[0] * w[2];
    w2[2] = ca[0] * w[1] - ca[1] * w[0];
    const s = beta > 0 ? -cy.halfHeight : cy.halfHeight;
    for (let i = 0; i < CAP_POINTS; i++) {
      const th = (i * 2 * Math.PI) / CAP_POINTS;
      const cs = cy.radius * Math.cos(th), sn = cy.radius * Math.sin(th);
      for (let c = 0; c < 3; c++) polyA[3 * i + c] = cy.c[c] + s * ca[c] + cs * w[c] + sn * w2[c];
    }
    return CAP_POINTS;
  }
  for (let c = 0; c < 3; c++) {
    const rim = cy.c[c] + (cy.radius / wl) * w[c];
    polyA[c] = rim + cy.halfHeight * ca[c];
    polyA[3 + c] = rim - cy.halfHeight * ca[c];
  }
  return 2;
}

const fa0 = [0, 0, 0];
const fa1 = [0, 0, 0];
const fb0 = [0, 0, 0];
const fb1 = [0, 0, 0];

/**
 * Feature of cylinder `cy` in direction s·n: its side line (fa, fb; returns true) when the axis is
 * within SIDE_SIN of perpendicular, else its rim point (in f0).
 */
function cylFeature(cy: Cylinder, n: ArrayLike<number>, s: number, f0: number[], f1: number[]): boolean {
  cylAxis(cy, ca);
  const al = s * dot(ca, n);
  for (let c = 0; c < 3; c++) w[c] = s * n[c] - al * ca[c];
  const wl = Math.hypot(w[0], w[1], w[2]);
  // Along the axis every rim point is a support point: take the cap's centre.
  const k = wl > 1e-9 ? cy.radius / wl : 0;
  if (Math.abs(al) < SIDE_SIN) {
    for (let c = 0; c < 3; c++) {
      f0[c] = cy.c[c] + k * w[c] + cy.halfHeight * ca[c];
      f1[c] = cy.c[c] + k * w[c] - cy.halfHeight * ca[c];
    }
    return true;
  }
  const h = al > 0 ? cy.halfHeight : -cy.halfHeight;
  for (let c = 0; c < 3; c++) f0[c] = cy.c[c] + h * ca[c] + k * w[c];
  return false;
}

/**
 * Feature of box `box` in direction n: the edge (f0, f1; returns true) along the axis within
 * SIDE_SIN of perpendicular to n, else its corner (in f0).
 */
function boxFeature(box: Box, n: ArrayLike<number>, f0: number[], f1: number[]): boolean {
  let j = 0;
  let least = Infinity;
  for (let k = 0; k < 3; k++) {
    const d = Math.abs(dot(axis(box, k, e), n));
    if (d < least) {
      least = d;
      j = k;
    }
  }
  for (let c = 0; c < 3; c++) f0[c] = box.c[c];
  for (let k = 0; k < 3; k++) {
    if (k === j && least < SIDE_SIN) continue;
    const s = dot(axis(box, k, e), n) > 0 ? box.h[k] : -box.h[k];
    for (let c = 0; c < 3; c++) f0[c] += s * e[c];
  }
  if (least >= SIDE_SIN) return false;
  axis(box, j, e);
  for (let c = 0; c < 3; c++) {
    f1[c] = f0[c] - box.h[j] * e[c];
    f0[c] += box.h[j] * e[c];
  }
  return true;
}

/** Contacts from the features off the faces: box edge or corner, cylinder side line or rim point. */
function featureManifold(margin: number, out: Manifold): number {
  const n = out.n;
  const segA = pairKind === 0 ? boxFeature(pairBox, n, fa0, fa1) : cylFeature(pairA, n, 1, fa0, fa1);
  const segB = cylFeature(pairB, n, -1, fb0, fb1);
  if (segA && segB) {
    out.count = segmentContacts(n, margin, out);
    return out.count;
  }
  // A single point (B's when A offers a line, or a cap facing n: reached from a face clip that
  // missed): it touches the other shape at the gap found by the axis search.
  const fromB = segA || (pairKind === 1 && Math.abs(dot(cylAxis(pairA, e), n)) >= FACE_ALIGN);
  const h = fromB ? -0.5 * bestSep : 0.5 * bestSep;
  const pt = fromB ? fb0 : fa0;
  for (let c = 0; c < 3; c++) out.p[c] = pt[c] + h * n[c];
  out.d[0] = bestSep;
  out.count = 1;
  return 1;
}

const dA = [0, 0, 0];
const dB = [0, 0, 0];

/** Writes contact `i` between points pa (on A) and pb (on B) when within `margin`; returns the new count. */
function pushPair(pa: number[], pb: number[], n: ArrayLike<number>, margin: number, out: Manifold, i: number): number {
  const sep = (pb[0] - pa[0]) * n[0] + (pb[1] - pa[1]) * n[1] + (pb[2] - pa[2]) * n[2];
  if (sep > margin) return i;
  for (let c = 0; c < 3; c++) out.p[3 * i + c] = 0.5 * (pa[c] + pb[c]);
  out.d[i] = sep;
  return i + 1;
}

/**
 * Contacts between line features fa0–fa1 (A) and fb0–fb1 (B): the two ends of their overlap when
 * their projections across n are nearly parallel, else their closest points.
 */
function segmentContacts(n: ArrayLike<number>, margin: number, out: Manifold): number {
  for (let c = 0; c < 3; c++) {
    dA[c] = fa1[c] - fa0[c];
    dB[c] = fb1[c] - fb0[c];
  }
  const an = dot(dA, n);
  const bn = dot(dB, n);
  for (let c = 0; c < 3; c++) {
    u[c] = dA[c] - an * n[c];
    v[c] = dB[c] - bn * n[c];
  }
  const la = Math.hypot(u[0], u[1], u[2]);
  const lb = Math.hypot(v[0], v[1], v[2]);
  for (let c = 0; c < 3; c++) {
    u[c] /= la;
    v[c] /= lb;
  }
  const sin = Math.hypot(u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]);
  if (sin < PARALLEL_SIN) {
    // Along A's projected direction: B's ends at s0, s1; A spans [0, la].
    const s0 = (fb0[0] - fa0[0]) * u[0] + (fb0[1] - fa0[1]) * u[1] + (fb0[2] - fa0[2]) * u[2];
    const s1 = s0 + dot(dB, u);
    const l0 = -s0 / (s1 - s0);
    const l1 = (la - s0) / (s1 - s0);
    const lo = Math.max(0, Math.min(l0, l1));
    const hi = Math.min(1, Math.max(l0, l1));
    if (lo <= hi) {
      let count = 0;
      for (const lam of [lo, hi]) {
        for (let c = 0; c < 3; c++) p[c] = fb0[c] + lam * dB[c];
        const mu = Math.min(1, Math.max(0, (s0 + lam * (s1 - s0)) / la));
        for (let c = 0; c < 3; c++) q[c] = fa0[c] + mu * dA[c];
        count = pushPair(q, p, n, margin, out, count);
      }
      return count;
    }
  }
  // Closest points of the two segments (Ericson, Real-Time Collision Detection 5.1.9).
  const a = dot(dA, dA);
  const eB = dot(dB, dB);
  for (let c = 0; c < 3; c++) w[c] = fa0[c] - fb0[c];
  const f = dot(dB, w);
  const cc = dot(dA, w);
  const b = dot(dA, dB);
  const denom = a * eB - b * b;
  let s = denom > 1e-12 * a * eB ? Math.min(1, Math.max(0, (b * f - cc * eB) / denom)) : 0;
  let tt = (b * s + f) / eB;
  if (tt < 0) {
    tt = 0;
    s = Math.min(1, Math.max(0, -cc / a));
  } else if (tt > 1) {
    tt = 1;
    s = Math.min(1, Math.max(0, (b - cc) / a));
  }
  for (let c = 0; c < 3; c++) {
    q[c] = fa0[c] + s * dA[c];
    p[c] = fb0[c] + tt * dB[c];
  }
  return pushPair(q, p, n, margin, out, 0);
}
