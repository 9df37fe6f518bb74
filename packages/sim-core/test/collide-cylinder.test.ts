import { assembleShader } from '@gripgen/shaders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBox, makeManifold, type Box, type Manifold } from '../src/backends/webgpu/reference/collide.js';
import {
  collideBoxCylinder,
  collideCylinderBox,
  collideCylinders,
  makeCylinder,
  type Cylinder,
} from '../src/backends/webgpu/reference/collide-cylinder.js';
import { acquireGpu, createBufferWithData, type GpuContext } from '../src/index.js';
import { poisonedStorage, runKernel } from './gpu-test-helpers.js';

/*
 * The cylinder colliders (collide-cylinder.ts) against geometry: analytic configurations with
 * known contacts, and random ones against brute force that shares nothing with the collider's
 * axis search — the distance of separated solids by alternating projections onto them (their
 * closest points), the penetration depth of overlapping ones as the largest gap between their
 * extents over 4 000 directions refined by a zooming grid (and the reported normal checked by
 * pushing the solids apart along it), each contact's surface points against the solids' exact
 * signed distances. Then the WGSL twin (collide-cylinder.wgsl, f32 on SwiftShader) against the
 * TS reference on the same f32 inputs, and on the analytic configurations.
 */

const MARGIN = 0.002;
/** Analytic cases in TS: positions, normals and separations to round-off (m). */
const EXACT = 1e-9;
/** Analytic cases in WGSL (f32): positions and separations (m), normals. */
const EXACT_F32 = 2e-6;
/**
 * Random cases (shapes 1.6–12 cm): least reported separation vs brute force (m). Seen: 0.05 mm at
 * worst, where a face clip misses the deepest point of a 2–3 mm overlap around the face's edge.
 */
const SEP_TOL = 1e-4;
/**
 * Random separated cases: angle between the normal and the closest-points direction (degrees).
 * Seen: 0.6° at worst, a normal snapped to a face normal less than 0.81° away.
 */
const ANGLE_TOL_DEG = 1;
/**
 * Random cases: how far each contact's two surface points (p ∓ d/2·n) may lie off their solid's
 * surface (m). Seen: 0.08 mm at worst, the ends of two lines that touch at up to 1.1° apart.
 */
const SURFACE_TOL = 2e-4;
/** WGSL vs TS: angle between the normals (rad). Seen: 9e-4. */
const GPU_NORMAL_TOL = 2e-3;
/** WGSL vs TS: distance between matched points (m). Seen: 4e-5. */
const GPU_POINT_TOL = 1e-4;
/** WGSL vs TS: difference of matched points' separations (m). Seen: 2e-6. */
const GPU_SEP_TOL = 2e-5;

type Vec3 = [number, number, number];
type Shape = { kind: 'box'; s: Box } | { kind: 'cyl'; s: Cylinder };

/** Row-major rotation by `angle` about unit `axis`. */
function rotation(ax: Vec3, angle: number): number[] {
  const [x, y, z] = ax;
  const c = Math.cos(angle), s = Math.sin(angle), k = 1 - c;
  return [
    c + x * x * k, x * y * k - z * s, x * z * k + y * s,
    y * x * k + z * s, c + y * y * k, y * z * k - x * s,
    z * x * k - y * s, z * y * k + x * s, c + z * z * k,
  ];
}

function mul(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const out = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) out[3 * i + j] += a[3 * i + k] * b[3 * k + j];
  return out;
}

const UPRIGHT = rotation([0, 0, 1], 0);

function box(c: Vec3, h: Vec3, r: ArrayLike<number> = UPRIGHT): Shape {
  const b = makeBox();
  b.c.set(c);
  b.h.set(h);
  b.r.set(r);
  return { kind: 'box', s: b };
}

function cylinder(c: Vec3, radius: number, halfHeight: number, r: ArrayLike<number> = UPRIGHT): Shape {
  const cy = makeCylinder();
  cy.c.set(c);
  cy.r.set(r);
  cy.radius = radius;
  cy.halfHeight = halfHeight;
  return { kind: 'cyl', s: cy };
}

/** The TS collider for the pair (a, b): box–cylinder, cylinder–box or cylinder–cylinder. */
function collide(a: Shape, b: Shape, m: Manifold): number {
  if (a.kind === 'box' && b.kind === 'cyl') return collideBoxCylinder(a.s, b.s, MARGIN, m);
  if (a.kind === 'cyl' && b.kind === 'box') return collideCylinderBox(a.s, b.s, MARGIN, m);
  if (a.kind === 'cyl' && b.kind === 'cyl') return collideCylinders(a.s, b.s, MARGIN, m);
  throw new Error('box–box is collide.ts');
}

/** A manifold as plain values. */
interface Result {
  count: number;
  n: Vec3;
  p: Vec3[];
  d: number[];
}

function reference(a: Shape, b: Shape): Result {
  const m = makeManifold();
  const count = collide(a, b, m);
  const p = Array.from({ length: count }, (_, k) => [m.p[3 * k], m.p[3 * k + 1], m.p[3 * k + 2]] as Vec3);
  return { count, n: [m.n[0], m.n[1], m.n[2]], p, d: Array.from(m.d.subarray(0, count)) };
}

function dist(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** A configuration with known contacts: how many, the normal, each point's separation `gap`, and where the points lie. */
interface AnalyticCase {
  name: string;
  a: Shape;
  b: Shape;
  count: number;
  n: Vec3;
  gap: number;
  /** How far point p is from where contact points must be (m). */
  off: (p: Vec3) => number;
}

/** Distance from p to the nearest of `spots`. */
function nearest(spots: Vec3[]): (p: Vec3) => number {
  return (p) => Math.min(...spots.map((s) => dist(p, s)));
}

/** The configurations the tasks produce, with the gap (negative: overlap) between the surfaces. */
function analyticCases(gap: number): AnalyticCase[] {
  const table = box([0, 0, -0.02], [0.5, 0.5, 0.02]);
  const yaw = 0.7;
  const tilt = mul(rotation([0, 0, 1], 0.5), rotation([1, 0, 0], Math.PI / 6));
  // The tilted cylinder's lowest rim point: centre − halfHeight·axis + radius·(unit of −z across the axis).
  const ax: Vec3 = [tilt[2], tilt[5], tilt[8]];
  const across = [ax[2] * ax[0], ax[2] * ax[1], ax[2] * ax[2] - 1];
  const len = Math.hypot(...across);
  const tiltC: Vec3 = [0.05, 0.02, 0.04 * Math.cos(Math.PI / 6) + 0.03 * Math.sin(Math.PI / 6) + gap];
  const low = [0, 1].map((i) => tiltC[i] - 0.04 * ax[i] + (0.03 * across[i]) / len);
  const side: Vec3 = [Math.cos(2.1), Math.sin(2.1), 0];
  const rimOff = (cx: number, cy: number, radius: number, z: number) => (p: Vec3) => Math.max(Math.abs(Math.hypot(p[0] - cx, p[1] - cy) - radius), Math.abs(p[2] - z));
  return [
    {
      name: 'upright cylinder on a box top: rim points',
      a: table,
      b: cylinder([0.1, -0.05, 0.04 + gap], 0.03, 0.04, rotation([0, 0, 1], 0.3)),
      count: 4,
      n: [0, 0, 1],
      gap,
      off: rimOff(0.1, -0.05, 0.03, gap / 2),
    },
    {
      name: 'cylinder lying on a box: the ends of the contact line',
      a: cylinder([0, 0, 0.025 + gap], 0.025, 0.05, mul(rotation([0, 0, 1], yaw), rotation([0, 1, 0], Math.PI / 2))),
      b: table,
      count: 2,
      n: [0, 0, -1],
      gap,
      off: nearest([-1, 1].map((s) => [s * 0.05 * Math.cos(yaw), s * 0.05 * Math.sin(yaw), gap / 2] as Vec3)),
    },
    {
      name: 'box pad pressing the side of an upright cylinder: the ends of the vertical contact line',
      // Pad 1 cm thick and 6 cm tall (z 0.03–0.09), its face at x = −r − gap; the cylinder spans z 0–0.1.
      a: box([-0.02 - gap - 0.005, 0, 0.06], [0.005, 0.01, 0.03]),
      b: cylinder([0, 0, 0.05], 0.02, 0.05),
      count: 2,
      n: [1, 0, 0],
      gap,
      off: nearest([0.03, 0.09].map((z) => [-0.02 - gap / 2, 0, z] as Vec3)),
    },
    {
      name: 'two parallel upright cylinders side by side: normal between the axes, the ends of the overlap',
      a: cylinder([0, 0, 0.04], 0.02, 0.04),
      b: cylinder([(0.05 + gap) * side[0], (0.05 + gap) * side[1], 0.06], 0.03, 0.05, rotation([0, 0, 1], 1)),
      count: 2,
      n: side,
      gap,
      off: nearest([0.01, 0.08].map((z) => [(0.02 + gap / 2) * side[0], (0.02 + gap / 2) * side[1], z] as Vec3)),
    },
    {
      name: 'two coaxial stacked cylinders: cap on cap, points on the smaller rim',
      a: cylinder([0.01, 0.02, 0.02], 0.03, 0.02),
      b: cylinder([0.01, 0.02, 0.07 + gap], 0.02, 0.03, rotation([0, 0, 1], 0.4)),
      count: 4,
      n: [0, 0, 1],
      gap,
      off: rimOff(0.01, 0.02, 0.02, 0.04 + gap / 2),
    },
    {
      name: 'tilted cylinder standing on its rim: the lowest rim point',
      a: table,
      b: cylinder(tiltC, 0.03, 0.04, tilt),
      count: 1,
      n: [0, 0, 1],
      gap,
      off: nearest([[low[0], low[1], gap / 2]]),
    },
  ];
}

/** Checks `got` against an analytic case to `tol`. */
function expectAnalytic(c: AnalyticCase, got: Result, tol: number, label: string): void {
  expect(got.count, label).toBe(c.count);
  expect(dist(got.n, c.n), label).toBeLessThan(tol);
  for (let k = 0; k < got.count; k++) {
    expect(c.off(got.p[k]), `${label}: point ${got.p[k]}`).toBeLessThan(tol);
    expect(Math.abs(got.d[k] - c.gap), label).toBeLessThan(tol);
  }
}

const GAPS = [0.001, -0.0008];

describe('cylinder contacts: analytic cases', () => {
  for (const gap of GAPS) {
    it.each(analyticCases(gap).map((c) => [c.name, c] as const))(`%s (gap ${gap})`, (name, c) => {
      expectAnalytic(c, reference(c.a, c.b), EXACT, name);
      // Swapped: the same points, the normal reversed.
      const swapped = reference(c.b, c.a);
      expectAnalytic({ ...c, n: [-c.n[0], -c.n[1], -c.n[2]] }, swapped, EXACT, `${name}, swapped`);
    });
  }

  it('reports nothing beyond the margin', () => {
    const table = box([0, 0, -0.02], [0.5, 0.5, 0.02]);
    expect(reference(table, cylinder([0, 0, 0.04 + MARGIN + 1e-4], 0.03, 0.04)).count).toBe(0);
    expect(reference(cylinder([0, 0, 0.04], 0.03, 0.04), cylinder([0.05 + MARGIN + 1e-4, 0, 0.04], 0.02, 0.04)).count).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Brute force: exact geometry of each solid (corners, rims, signed distance), no axis search.

function toLocal(c: ArrayLike<number>, r: ArrayLike<number>, p: ArrayLike<number>): Vec3 {
  const d = [p[0] - c[0], p[1] - c[1], p[2] - c[2]];
  return [0, 1, 2].map((i) => r[i] * d[0] + r[3 + i] * d[1] + r[6 + i] * d[2]) as Vec3;
}

/** Signed distance from `p` to the solid's surface (negative inside). */
function sdf(sh: Shape, p: Vec3): number {
  const x = toLocal(sh.s.c, sh.s.r, p);
  let q: number[];
  if (sh.kind === 'box') q = [0, 1, 2].map((i) => Math.abs(x[i]) - sh.s.h[i]);
  else q = [Math.hypot(x[0], x[1]) - sh.s.radius, Math.abs(x[2]) - sh.s.halfHeight];
  const outside = Math.hypot(...q.map((v) => Math.max(v, 0)));
  return outside + Math.min(Math.max(...q), 0);
}

function toWorld(c: ArrayLike<number>, r: ArrayLike<number>, x: Vec3): Vec3 {
  return [0, 1, 2].map((i) => c[i] + r[3 * i] * x[0] + r[3 * i + 1] * x[1] + r[3 * i + 2] * x[2]) as Vec3;
}

/** The point of the solid closest to `p`. */
function project(sh: Shape, p: Vec3): Vec3 {
  const x = toLocal(sh.s.c, sh.s.r, p);
  if (sh.kind === 'box') {
    for (let i = 0; i < 3; i++) x[i] = Math.max(-sh.s.h[i], Math.min(sh.s.h[i], x[i]));
  } else {
    x[2] = Math.max(-sh.s.halfHeight, Math.min(sh.s.halfHeight, x[2]));
    const rho = Math.hypot(x[0], x[1]);
    if (rho > sh.s.radius) {
      x[0] *= sh.s.radius / rho;
      x[1] *= sh.s.radius / rho;
    }
  }
  return toWorld(sh.s.c, sh.s.r, x);
}

/**
 * Closest points of two separated solids by alternating projections (each solid's closest point
 * to the other's last point; converges to the closest pair of convex solids); `dist` 0 when they overlap.
 */
function closestPoints(a: Shape, b: Shape): { dist: number; pa: Vec3; pb: Vec3 } {
  let pa = project(a, [b.s.c[0], b.s.c[1], b.s.c[2]]);
  let pb = project(b, pa);
  for (let it = 0; it < 100000; it++) {
    const na = project(a, pb);
    const nb = project(b, na);
    const moved = Math.hypot(na[0] - pa[0], na[1] - pa[1], na[2] - pa[2]) + Math.hypot(nb[0] - pb[0], nb[1] - pb[1], nb[2] - pb[2]);
    pa = na;
    pb = nb;
    if (moved < 1e-14) break;
  }
  return { dist: Math.hypot(pb[0] - pa[0], pb[1] - pa[1], pb[2] - pa[2]), pa, pb };
}

/** max over the solid of l·x: the best of a box's 8 corners, or the rim point of a cylinder farthest along l. */
function extent(sh: Shape, l: ArrayLike<number>): number {
  const { c, r } = sh.s;
  if (sh.kind === 'box') {
    const h = sh.s.h;
    let best = -Infinity;
    for (let k = 0; k < 8; k++) {
      let along = 0;
      for (let i = 0; i < 3; i++) {
        let x = c[i];
        for (let j = 0; j < 3; j++) x += ((k >> j) & 1 ? h[j] : -h[j]) * r[3 * i + j];
        along += x * l[i];
      }
      best = Math.max(best, along);
    }
    return best;
  }
  const al = r[2] * l[0] + r[5] * l[1] + r[8] * l[2];
  const across = [l[0] - al * r[2], l[1] - al * r[5], l[2] - al * r[8]];
  const len = Math.hypot(across[0], across[1], across[2]);
  const k = len > 0 ? sh.s.radius / len : 0;
  const h = al >= 0 ? sh.s.halfHeight : -sh.s.halfHeight;
  let along = 0;
  for (let i = 0; i < 3; i++) along += (c[i] + h * r[3 * i + 2] + k * across[i]) * l[i];
  return along;
}

/** Gap between the solids along unit l (from a to b): positive when a plane across l separates them by that much. */
const negL = [0, 0, 0];
function gapAlong(a: Shape, b: Shape, l: Vec3): number {
  negL[0] = -l[0];
  negL[1] = -l[1];
  negL[2] = -l[2];
  return -extent(b, negL) - extent(a, l);
}

/**
 * The largest gap over all directions: the distance of separated convex solids (along the
 * closest-points direction), minus the penetration depth of overlapping ones. `samples`
 * directions on a Fibonacci sphere, then a zooming grid search from the best few.
 */
function bruteGap(a: Shape, b: Shape, samples: number, seeds = 3, grid = 8, finest = 1e-10): { gap: number; l: Vec3 } {
  const cands: { l: Vec3; g: number }[] = [];
  for (let i = 0; i < samples; i++) {
    const z = 1 - (2 * (i + 0.5)) / samples;
    const rho = Math.sqrt(1 - z * z);
    const phi = i * Math.PI * (3 - Math.sqrt(5));
    const l: Vec3 = [rho * Math.cos(phi), rho * Math.sin(phi), z];
    cands.push({ l, g: gapAlong(a, b, l) });
  }
  cands.sort((x, y) => y.g - x.g);
  let best = cands[0];
  for (const seed of cands.slice(0, seeds)) {
    // Zooming grid on the tangent plane: (2·grid + 1)² points at spacing h around the best so far, then h/2.
    let { l, g } = seed;
    for (let h = 0.16 / grid; h > finest; h *= 0.5) {
      const e1: Vec3 = Math.abs(l[0]) < 0.6 ? [0, -l[2], l[1]] : [-l[2], 0, l[0]];
      const n1 = Math.hypot(...e1);
      const t1 = e1.map((v) => v / n1) as Vec3;
      const t2: Vec3 = [l[1] * t1[2] - l[2] * t1[1], l[2] * t1[0] - l[0] * t1[2], l[0] * t1[1] - l[1] * t1[0]];
      let next = l;
      for (let i = -grid; i <= grid; i++) {
        for (let j = -grid; j <= grid; j++) {
          const c = [0, 1, 2].map((k) => l[k] + h * (i * t1[k] + j * t2[k]));
          const len = Math.hypot(c[0], c[1], c[2]);
          const cl = c.map((v) => v / len) as Vec3;
          const cg = gapAlong(a, b, cl);
          if (cg > g) {
            g = cg;
            next = cl;
          }
        }
      }
      l = next;
    }
    if (g > best.g) best = { l, g };
  }
  return { gap: best.g, l: best.l };
}

function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function randomRotation(rng: () => number): number[] {
  // Uniform quaternion (Shoemake), as a row-major matrix.
  const u1 = rng(), u2 = rng(), u3 = rng();
  const x = Math.sqrt(1 - u1) * Math.sin(2 * Math.PI * u2);
  const y = Math.sqrt(1 - u1) * Math.cos(2 * Math.PI * u2);
  const z = Math.sqrt(u1) * Math.sin(2 * Math.PI * u3);
  const w = Math.sqrt(u1) * Math.cos(2 * Math.PI * u3);
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
    2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
    2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y),
  ];
}

/** A rotation of one of the kinds the tasks produce: upright, lying, tilted a little, or any. */
function taskRotation(rng: () => number): number[] {
  const yaw = rotation([0, 0, 1], 2 * Math.PI * rng());
  const pick = rng();
  if (pick < 0.2) return yaw;
  if (pick < 0.4) return mul(yaw, rotation([1, 0, 0], Math.PI / 2));
  if (pick < 0.55) return mul(yaw, rotation([1, 0, 0], 0.3 * (rng() - 0.5)));
  return randomRotation(rng);
}

/** Boxes 1.6–5.6 cm a side, cylinders 1–4 cm in radius and 2–12 cm long. */
function randomShape(kind: 'box' | 'cyl', rng: () => number, c: Vec3 = [0, 0, 0]): Shape {
  const half = (): number => 0.008 + 0.02 * rng();
  if (kind === 'box') return box(c, [half(), half(), half()], taskRotation(rng));
  return cylinder(c, 0.01 + 0.03 * rng(), 0.01 + 0.05 * rng(), taskRotation(rng));
}

/** Moves b to a's centre + s·dir, s such that the solids are about `gap` apart (gap < 0: overlapping by about −gap). */
function place(a: Shape, b: Shape, dir: Vec3, gap: number): void {
  const gapAt = (s: number): number => {
    for (let i = 0; i < 3; i++) b.s.c[i] = a.s.c[i] + s * dir[i];
    return bruteGap(a, b, 300, 1, 3, 1e-5).gap;
  };
  let lo = 0;
  let hi = 0.3;
  for (let k = 0; k < 24; k++) {
    const mid = 0.5 * (lo + hi);
    if (gapAt(mid) > gap) hi = mid;
    else lo = mid;
  }
  gapAt(hi);
}

/** What a random run saw: worst errors (m, degrees), manifolds by point count, failed checks. */
interface Stats {
  worstSep: number;
  worstAngle: number;
  worstSurface: number;
  worstPush: number;
  counts: number[];
  failures: string[];
}

/**
 * `cases` random pairs from 3 mm overlapping to 1.5 mm apart, each checked against brute
 * force: the least reported separation against the distance (apart) or minus the penetration
 * depth (overlapping); the normal (apart) against the closest-points direction; each point's two surface points (p ∓ d/2·n) on the
 * solids' surfaces; (overlapping) pushing b along n by the reported depth + 0.3 mm leaves them
 * 0.3 mm apart.
 */
function checkRandom(kindA: 'box' | 'cyl', kindB: 'box' | 'cyl', seed: number, cases: number): Stats {
  const rng = mulberry32(seed);
  const stats: Stats = { worstSep: 0, worstAngle: 0, worstSurface: 0, worstPush: 0, counts: [0, 0, 0, 0, 0], failures: [] };
  const m = makeManifold();
  for (let k = 0; k < cases; k++) {
    const a = randomShape(kindA, rng, [0.3 * (rng() - 0.5), 0.3 * (rng() - 0.5), 0.1 * rng()]);
    const b = randomShape(kindB, rng);
    const z = 2 * rng() - 1, phi = 2 * Math.PI * rng();
    const dir: Vec3 = [Math.sqrt(1 - z * z) * Math.cos(phi), Math.sqrt(1 - z * z) * Math.sin(phi), z];
    place(a, b, dir, -0.003 + 0.0045 * rng());
    // Apart: the closest points; overlapping: the largest gap over all directions (minus the depth).
    const cp = closestPoints(a, b);
    const apart = cp.dist > 1e-7;
    const truth = apart
      ? { gap: cp.dist, l: [0, 1, 2].map((i) => (cp.pb[i] - cp.pa[i]) / cp.dist) as Vec3 }
      : bruteGap(a, b, 4000);
    const count = collide(a, b, m);
    stats.counts[count]++;
    const tag = `case ${k} (${kindA}–${kindB}, true separation ${(truth.gap * 1e3).toFixed(3)} mm)`;
    if (count === 0) {
      stats.failures.push(`${tag}: no contact`);
      continue;
    }
    const minD = Math.min(...Array.from(m.d.subarray(0, count)));
    stats.worstSep = Math.max(stats.worstSep, Math.abs(minD - truth.gap));
    if (Math.abs(minD - truth.gap) > SEP_TOL) stats.failures.push(`${tag}: least d ${(minD * 1e3).toFixed(3)} mm`);
    if (Math.abs(Math.hypot(m.n[0], m.n[1], m.n[2]) - 1) > 1e-9) stats.failures.push(`${tag}: normal not unit`);
    if (truth.gap > 2e-4) {
      const l = truth.l;
      const angle = (Math.acos(Math.min(1, l[0] * m.n[0] + l[1] * m.n[1] + l[2] * m.n[2])) * 180) / Math.PI;
      stats.worstAngle = Math.max(stats.worstAngle, angle);
      if (angle > ANGLE_TOL_DEG) stats.failures.push(`${tag}: normal ${angle.toFixed(2)}° off the closest-points direction`);
    }
    if (truth.gap < -2e-4) {
      const push = -minD + 3e-4;
      const moved = { kind: b.kind, s: { ...b.s, c: Float64Array.from([0, 1, 2], (i) => b.s.c[i] + push * m.n[i]) } } as Shape;
      const after = bruteGap(a, moved, 4000).gap;
      stats.worstPush = Math.max(stats.worstPush, Math.abs(after - 3e-4));
      if (Math.abs(after - 3e-4) > SEP_TOL) stats.failures.push(`${tag}: pushed apart along n by the depth + 0.3 mm: ${(after * 1e3).toFixed(3)} mm apart`);
    }
    for (let i = 0; i < count; i++) {
      const d = m.d[i];
      const onA = [0, 1, 2].map((c) => m.p[3 * i + c] - 0.5 * d * m.n[c]) as Vec3;
      const onB = [0, 1, 2].map((c) => m.p[3 * i + c] + 0.5 * d * m.n[c]) as Vec3;
      const off = Math.max(Math.abs(sdf(a, onA)), Math.abs(sdf(b, onB)));
      stats.worstSurface = Math.max(stats.worstSurface, off);
      if (off > SURFACE_TOL) stats.failures.push(`${tag}: point ${i} ${(off * 1e3).toFixed(3)} mm off the surfaces`);
      if (d < truth.gap - SEP_TOL) stats.failures.push(`${tag}: point ${i} deeper than the solids overlap`);
      if (d > MARGIN) stats.failures.push(`${tag}: point ${i} beyond the margin`);
    }
  }
  return stats;
}

describe('cylinder contacts: random configurations against brute force', () => {
  it.each([
    ['box', 'cyl', 1],
    ['cyl', 'box', 2],
    ['cyl', 'cyl', 3],
  ] as const)('%s–%s', (kindA, kindB, seed) => {
    const stats = checkRandom(kindA, kindB, seed, 200);
    expect(stats.failures.slice(0, 10)).toEqual([]);
    expect(stats.worstSep).toBeLessThan(SEP_TOL);
    // Single points, lines (2) and faces (3–4) all occur.
    expect(stats.counts[1]).toBeGreaterThan(0);
    expect(stats.counts[2]).toBeGreaterThan(0);
    expect(stats.counts[3] + stats.counts[4]).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------
// The WGSL twin against the TS reference.

/** Floats per configuration: pair kind, margin, then A and B as centre (3), rotation (9), size (3). */
const CFG_WORDS = 32;
/** Floats per result: count, normal (3), 4 points (12), 4 separations. */
const OUT_WORDS = 20;

const KERNEL = `
@group(0) @binding(0) var<storage, read> cfg: array<f32>;
@group(0) @binding(1) var<storage, read_write> res: array<f32>;

fn cfgVec(o: u32) -> vec3f {
  return vec3f(cfg[o], cfg[o + 1u], cfg[o + 2u]);
}

// Row-major rotation at o, as the matrix whose column i is local axis i.
fn cfgMat(o: u32) -> mat3x3f {
  return mat3x3f(
    vec3f(cfg[o], cfg[o + 3u], cfg[o + 6u]),
    vec3f(cfg[o + 1u], cfg[o + 4u], cfg[o + 7u]),
    vec3f(cfg[o + 2u], cfg[o + 5u], cfg[o + 8u]));
}

fn cfgBox(o: u32) -> Box {
  return Box(cfgVec(o), cfgMat(o + 3u), cfgVec(o + 12u));
}

fn cfgCylinder(o: u32) -> Cylinder {
  return Cylinder(cfgVec(o), cfgMat(o + 3u), cfg[o + 12u], cfg[o + 13u]);
}

@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  let o = i * ${CFG_WORDS}u;
  if (o >= arrayLength(&cfg)) {
    return;
  }
  let kind = u32(cfg[o]);
  let margin = cfg[o + 1u];
  var count = 0u;
  if (kind == 0u) {
    count = collideBoxCylinder(cfgBox(o + 2u), cfgCylinder(o + 17u), margin);
  } else if (kind == 1u) {
    count = collideCylinderBox(cfgCylinder(o + 2u), cfgBox(o + 17u), margin);
  } else {
    count = collideCylinders(cfgCylinder(o + 2u), cfgCylinder(o + 17u), margin);
  }
  let w = i * ${OUT_WORDS}u;
  res[w] = f32(count);
  for (var c = 0u; c < 3u; c++) {
    res[w + 1u + c] = manifold.n[c];
  }
  for (var k = 0u; k < 4u; k++) {
    var p = vec3f(0.0);
    var d = 0.0;
    if (k < count) {
      p = manifold.p[k];
      d = manifold.d[k];
    }
    for (var c = 0u; c < 3u; c++) {
      res[w + 4u + 3u * k + c] = p[c];
    }
    res[w + 16u + k] = d;
  }
}
`;

/** The pairs as the f32 words the kernel reads. */
function pack(pairs: [Shape, Shape][]): Float32Array {
  const out = new Float32Array(pairs.length * CFG_WORDS);
  pairs.forEach(([a, b], i) => {
    const o = i * CFG_WORDS;
    out[o] = a.kind === 'box' ? 0 : b.kind === 'box' ? 1 : 2;
    out[o + 1] = MARGIN;
    [a, b].forEach((sh, j) => {
      const size = sh.kind === 'box' ? Array.from(sh.s.h) : [sh.s.radius, sh.s.halfHeight, 0];
      out.set([...sh.s.c, ...sh.s.r, ...size], o + 2 + 15 * j);
    });
  });
  return out;
}

function unpack(words: Float32Array, i: number): Result {
  const w = i * OUT_WORDS;
  const count = words[w];
  const p = Array.from({ length: count }, (_, k) => [words[w + 4 + 3 * k], words[w + 5 + 3 * k], words[w + 6 + 3 * k]] as Vec3);
  return { count, n: [words[w + 1], words[w + 2], words[w + 3]], p, d: Array.from(words.subarray(w + 16, w + 16 + count)) };
}

/** The shape with every number rounded to f32, as the kernel reads it. */
function asF32(sh: Shape): Shape {
  const f = (v: ArrayLike<number>): Vec3 => Array.from(v, (x) => Math.fround(x)) as Vec3;
  if (sh.kind === 'box') return box(f(sh.s.c), f(sh.s.h), Array.from(sh.s.r, Math.fround));
  return cylinder(f(sh.s.c), Math.fround(sh.s.radius), Math.fround(sh.s.halfHeight), Array.from(sh.s.r, Math.fround));
}

/**
 * How far two results differ, in units of the GPU tolerances (≤ 1: within them; Infinity when the
 * counts differ): the normals' angle, and for each point of `a` matched to the nearest unused
 * point of `b`, their distance and their separations' difference.
 */
function mismatch(a: Result, b: Result): number {
  if (a.count !== b.count) return Infinity;
  if (a.count === 0) return 0;
  const cos = a.n[0] * b.n[0] + a.n[1] * b.n[1] + a.n[2] * b.n[2];
  let worst = Math.acos(Math.min(1, cos)) / GPU_NORMAL_TOL;
  const used = new Set<number>();
  for (let i = 0; i < a.count; i++) {
    let j = -1;
    for (let k = 0; k < b.count; k++) if (!used.has(k) && (j < 0 || dist(a.p[i], b.p[k]) < dist(a.p[i], b.p[j]))) j = k;
    used.add(j);
    worst = Math.max(worst, dist(a.p[i], b.p[j]) / GPU_POINT_TOL, Math.abs(a.d[i] - b.d[j]) / GPU_SEP_TOL);
  }
  return worst;
}

/**
 * A random pair near contact (TS least separation from 3 mm overlapping to 1.5 mm apart) in f32,
 * or null when nudging b by 4 µm and 4e-5 rad moves the TS manifold by more than half the GPU
 * tolerances (a feature switch nearby, where f32 round-off may pick the other side).
 */
function randomGpuPair(kindA: 'box' | 'cyl', kindB: 'box' | 'cyl', rng: () => number): [Shape, Shape] | null {
  const a = randomShape(kindA, rng, [0.3 * (rng() - 0.5), 0.3 * (rng() - 0.5), 0.1 * rng()]);
  const b = randomShape(kindB, rng);
  const z = 2 * rng() - 1, phi = 2 * Math.PI * rng();
  const dir: Vec3 = [Math.sqrt(1 - z * z) * Math.cos(phi), Math.sqrt(1 - z * z) * Math.sin(phi), z];
  const gap = -0.003 + 0.0045 * rng();
  const leastAt = (s: number): number => {
    for (let i = 0; i < 3; i++) b.s.c[i] = a.s.c[i] + s * dir[i];
    const r = reference(a, b);
    return r.count ? Math.min(...r.d) : Infinity;
  };
  let lo = 0, hi = 0.3;
  for (let k = 0; k < 40; k++) {
    const mid = 0.5 * (lo + hi);
    if (leastAt(mid) > gap) hi = mid;
    else lo = mid;
  }
  leastAt(lo);
  const fa = asF32(a), fb = asF32(b);
  const want = reference(fa, fb);
  if (want.count === 0) return null;
  for (let k = 0; k < 4; k++) {
    const turn = rotation([1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3)], 8e-5 * (rng() - 0.5));
    const c = Array.from(fb.s.c, (x) => x + 8e-6 * (rng() - 0.5)) as Vec3;
    const nudged = fb.kind === 'box' ? box(c, Array.from(fb.s.h) as Vec3, mul(turn, fb.s.r)) : cylinder(c, fb.s.radius, fb.s.halfHeight, mul(turn, fb.s.r));
    if (!(mismatch(want, reference(fa, nudged)) <= 0.5)) return null;
  }
  return [fa, fb];
}

describe('collide-cylinder.wgsl against collide-cylinder.ts', () => {
  let gpu: GpuContext;
  const random: [Shape, Shape][] = [];
  let skipped = 0;
  const analytic = GAPS.flatMap((gap) => analyticCases(gap)).flatMap((c) => [
    { ...c, a: asF32(c.a), b: asF32(c.b) },
    { ...c, a: asF32(c.b), b: asF32(c.a), n: [-c.n[0], -c.n[1], -c.n[2]] as Vec3 },
  ]);
  let got: Result[] = [];

  beforeAll(async () => {
    gpu = await acquireGpu({ onNotice: () => {} });
    const rng = mulberry32(2024);
    for (const [kindA, kindB] of [['box', 'cyl'], ['cyl', 'box'], ['cyl', 'cyl']] as const) {
      for (let found = 0; found < 64; ) {
        const pair = randomGpuPair(kindA, kindB, rng);
        if (pair) {
          random.push(pair);
          found++;
        } else {
          skipped++;
        }
      }
    }
    // One dispatch for all: the random pairs, then the analytic ones. The results start poisoned.
    const pairs: [Shape, Shape][] = [...random, ...analytic.map((c): [Shape, Shape] => [c.a, c.b])];
    const shader = assembleShader('collide-cylinder', { append: [{ origin: 'collide-cylinder.test.ts', text: KERNEL }] });
    const input = createBufferWithData(gpu.device, pack(pairs), GPUBufferUsage.STORAGE);
    const output = poisonedStorage(gpu.device, pairs.length * OUT_WORDS);
    const words = new Float32Array(await runKernel(gpu.device, shader, 'main', [input, output], Math.ceil(pairs.length / 64), output));
    input.destroy();
    output.destroy();
    gpu.check();
    expect(words.every((x) => Number.isFinite(x))).toBe(true); // every word written
    got = pairs.map((_, i) => unpack(words, i));
  });
  afterAll(() => gpu?.release());

  it('64 random pairs of each kind give the TS manifolds', () => {
    const bad: string[] = [];
    random.forEach(([a, b], i) => {
      const want = reference(a, b);
      if (!(mismatch(want, got[i]) <= 1) && bad.length < 5) bad.push(`${a.kind}–${b.kind} #${i}: ${JSON.stringify({ want, got: got[i] })}`);
    });
    expect(bad).toEqual([]);
    // Few pairs are near a feature switch: the nudge filter hides little.
    expect(skipped).toBeLessThan(random.length / 4);
  });

  it('the analytic configurations give their exact contacts', () => {
    analytic.forEach((c, i) => expectAnalytic(c, got[random.length + i], EXACT_F32, `${c.name} (gap ${c.gap})`));
  });
});
