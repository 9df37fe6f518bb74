import { describe, expect, it } from 'vitest';
import { collideBoxes, makeBox, makeManifold, type Box } from '../src/backends/webgpu/reference/collide.js';
import { collideBoxOnFace } from '../src/backends/webgpu/reference/collide-box-face.js';
import { quatFromYaw, quatMultiply, quatFromRotationVector } from '../src/math/quat.js';

/** A box at centre c with orientation q (quaternion) and half extents h. */
function box(c: ArrayLike<number>, q: ArrayLike<number>, h: ArrayLike<number>): Box {
  const b = makeBox();
  b.c.set(Array.from(c));
  b.h.set(Array.from(h));
  const [x, y, z, w] = [q[0], q[1], q[2], q[3]];
  b.r.set([
    1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
    2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
    2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y),
  ]);
  return b;
}

/** Deterministic pseudo-random numbers in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('box on the top face of a larger box (the scene solver fast path)', () => {
  it('gives the manifold of the separating-axis search wherever it applies (200 random placements, points within 1e-9 m)', () => {
    const r = rng(7);
    const base = box([0.1, -0.2, -0.05], [0, 0, 0, 1], [0.6, 0.6, 0.05]);
    let applied = 0;
    for (let k = 0; k < 200; k++) {
      const e = 0.015 + 0.02 * r();
      // Yaw anywhere, a small tilt, resting, hovering or slightly sunk.
      const tilt = quatFromRotationVector([0, 0, 0, 1], [(r() - 0.5) * 0.2, (r() - 0.5) * 0.2, 0]);
      const q = quatMultiply([0, 0, 0, 1], tilt, quatFromYaw([0, 0, 0, 1], r() * 2 * Math.PI));
      const top = box([0.1 + (r() - 0.5) * 1.3, -0.2 + (r() - 0.5) * 1.3, e + (r() - 0.6) * 0.01], q, [e, e, e]);
      const fast = makeManifold();
      const sat = makeManifold();
      const count = collideBoxOnFace(base, top, 0.02, fast);
      if (count < 0) continue;
      applied++;
      expect(collideBoxes(base, top, 0.02, sat)).toBe(count);
      for (let i = 0; i < 3; i++) expect(fast.n[i]).toBeCloseTo(sat.n[i], 9);
      // Same points (in any order) and separations.
      for (let p = 0; p < count; p++) {
        const match = [...Array(count).keys()].find((j) => Math.hypot(fast.p[3 * p] - sat.p[3 * j], fast.p[3 * p + 1] - sat.p[3 * j + 1], fast.p[3 * p + 2] - sat.p[3 * j + 2]) < 1e-9);
        expect(match, `placement ${k} point ${p}`).toBeDefined();
        expect(fast.d[p]).toBeCloseTo(sat.d[match!], 9);
      }
    }
    // Most placements lie inside the top face; those hanging over an edge fall back.
    expect(applied).toBeGreaterThan(100);
    expect(applied).toBeLessThan(200);
  });

  it('declines a box hanging over the edge or below the mid-plane', () => {
    const base = box([0, 0, -0.05], [0, 0, 0, 1], [0.3, 0.3, 0.05]);
    const m = makeManifold();
    expect(collideBoxOnFace(base, box([0.29, 0, 0.02], [0, 0, 0, 1], [0.02, 0.02, 0.02]), 0.02, m)).toBe(-1);
    expect(collideBoxOnFace(base, box([0, 0, -0.06], [0, 0, 0, 1], [0.02, 0.02, 0.02]), 0.02, m)).toBe(-1);
    expect(collideBoxOnFace(base, box([0, 0, 0.02], [0, 0, 0, 1], [0.02, 0.02, 0.02]), 0.02, m)).toBe(4);
  });
});
