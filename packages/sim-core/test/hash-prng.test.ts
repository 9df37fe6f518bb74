import { describe, expect, it } from 'vitest';
import { hashKey, mix32, uniform01, uniformRange } from '../src/index.js';

describe('counter-based hash PRNG', () => {
  it('mix32 is the lowbias32 mixer (reference values)', () => {
    // Values computed by hand from the lowbias32 definition with 32-bit wrapping arithmetic.
    const reference = (x: number) => {
      let v = BigInt(x >>> 0);
      const m = 0xffffffffn;
      v ^= v >> 16n;
      v = (v * 0x7feb352dn) & m;
      v ^= v >> 15n;
      v = (v * 0x846ca68bn) & m;
      v ^= v >> 16n;
      return Number(v);
    };
    for (const x of [0, 1, 2, 0xdeadbeef, 0xffffffff, 123456789]) expect(mix32(x)).toBe(reference(x));
    expect(mix32(0)).toBe(0);
  });

  it('keys differ in every coordinate and are deterministic', () => {
    const base = hashKey(1, 2, 3, 4);
    expect(hashKey(1, 2, 3, 4)).toBe(base);
    for (const other of [hashKey(0, 2, 3, 4), hashKey(1, 3, 3, 4), hashKey(1, 2, 4, 4), hashKey(1, 2, 3, 5)]) {
      expect(other).not.toBe(base);
    }
  });

  it('uniform01 is in [0, 1), exactly an f32, and roughly uniform', () => {
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 20000; i++) {
      const u = uniform01(7, 0, i, 3);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      expect(Math.fround(u)).toBe(u);
      bins[Math.floor(u * 10)]++;
    }
    for (const b of bins) expect(Math.abs(b - 2000)).toBeLessThan(200);
  });

  it('uniformRange stays in range and is f32-exact', () => {
    for (let i = 0; i < 1000; i++) {
      const v = uniformRange(0.03, 0.06, 0, 0, i, 3);
      expect(v).toBeGreaterThanOrEqual(Math.fround(0.03));
      expect(v).toBeLessThanOrEqual(Math.fround(0.06));
      expect(Math.fround(v)).toBe(v);
    }
    expect(uniformRange(0.2, 0.2, 0, 0, 5, 1)).toBe(Math.fround(0.2));
  });
});
