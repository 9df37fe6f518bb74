import { describe, expect, it } from 'vitest';
import { GridLayout } from '../src/render/grid-layout.js';

/** A world's view region (pick-place's workspace over the table). */
const REGION = { min: [0.05, -0.5, 0] as [number, number, number], max: [0.85, 0.6, 0.35] as [number, number, number] };

describe('grid layout', () => {
  it('puts worlds in reading order and finds each from a point of its tile', () => {
    const layout = new GridLayout(10, REGION);
    expect([layout.columns, layout.rows]).toEqual([4, 3]);
    // Rows advance towards +x (down the screen), columns towards +y (to the right).
    expect(layout.origin(1)[1]).toBeGreaterThan(layout.origin(0)[1]);
    expect(layout.origin(4)[0]).toBeGreaterThan(layout.origin(0)[0]);
    for (let w = 0; w < 10; w++) {
      const [ox, oy] = layout.origin(w);
      for (const [fx, fy] of [[0.02, 0.02], [0.5, 0.5], [0.98, 0.98]]) {
        const x = ox + layout.tileMin[0] + fx * (layout.tileMax[0] - layout.tileMin[0]);
        const y = oy + layout.tileMin[1] + fy * (layout.tileMax[1] - layout.tileMin[1]);
        expect(layout.worldAt(x, y)).toBe(w);
      }
    }
  });

  it('finds no world in the gaps, outside the grid, or in the empty slots of the last row', () => {
    const layout = new GridLayout(10, REGION);
    const [ox, oy] = layout.origin(0);
    expect(layout.worldAt(ox + layout.tileMax[0] + 0.03, oy)).toBe(-1);
    expect(layout.worldAt(ox + layout.tileMin[0] - 0.2, oy)).toBe(-1);
    const [lx, ly] = layout.origin(11); // row 2, column 3: no world 11
    expect(layout.worldAt(lx + 0.45, ly + 0.05)).toBe(-1);
    const bounds = layout.bounds();
    expect(bounds.max[0]).toBeCloseTo(layout.origin(8)[0] + layout.tileMax[0], 9);
    expect(bounds.max[1]).toBeCloseTo(layout.origin(3)[1] + layout.tileMax[1], 9);
  });

  it('sizes the tiles to the view region, on a 10 cm pitch', () => {
    const wide = new GridLayout(4, { min: [-0.2, -0.5, 0], max: [1.1, 0.6, 0.5] });
    expect(wide.tileMin[0]).toBeLessThan(-0.2);
    expect(wide.tileMax[0]).toBeGreaterThan(1.1);
    expect(wide.pitch[0]).toBeGreaterThan(new GridLayout(4, REGION).pitch[0]);
    for (const pitch of wide.pitch) expect(Math.abs(pitch * 10 - Math.round(pitch * 10))).toBeLessThan(1e-9);
    expect(wide.bounds().max[2]).toBe(0.5);
  });
});
