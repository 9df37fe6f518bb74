import { describe, expect, it } from 'vitest';
import { AttemptRecord } from '../src/generate/attempt-record.js';

describe('AttemptRecord', () => {
  it('keeps every row when it grows, stores values as the episode holds them, and never grows past maxSteps', () => {
    const rec = new AttemptRecord(3, 2, 1, 10, 4);
    for (let t = 0; t < 10; t++) {
      rec.reserve(t);
      for (let i = 0; i < 3; i++) rec.obs[t * 3 + i] = t + i / 10;
      rec.objects[1]![t * 7] = -t;
      rec.labels[t] = t % 3;
      rec.signals[0]![t] = t & 1;
      rec.eef[t * 7] = 0.1 + t; // a double, stored as f32
    }
    expect(Array.from(rec.obs.subarray(0, 30))).toEqual(Array.from({ length: 30 }, (_, k) => Math.fround(Math.floor(k / 3) + (k % 3) / 10)));
    expect(Array.from({ length: 10 }, (_, t) => rec.objects[1]![t * 7])).toEqual(Array.from({ length: 10 }, (_, t) => -t));
    expect(Array.from(rec.labels.subarray(0, 10))).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]);
    expect(rec.eef[9 * 7]).toBe(Math.fround(9.1));
    // 4 → 8 → 10 rows (capped at maxSteps, not 16).
    expect(rec.obs.length).toBe(10 * 3);
    expect(rec.signals[0]!.length).toBe(10);
  });
});
