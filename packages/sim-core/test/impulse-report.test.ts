import { describe, expect, it } from 'vitest';
import { islandIterations, stepImpulse } from '../src/backends/rapier/impulse-report.js';

describe('Rapier impulse report', () => {
  it('gives each body its island\'s solver iterations: the base plus the largest extra of the dynamic bodies joined to it', () => {
    // Bodies: 0 table (fixed), 1 hand (kinematic), 2 and 3 fingers (extra 6), 4 cube, 5 second cube.
    const dynamic = [false, false, true, true, true, true];
    const extra = [0, 0, 6, 6, 0, 0];
    // Fingers jointed to the hand, the cube on the table, the second cube on the first.
    const links: [number, number][] = [[1, 2], [1, 3], [4, 0], [5, 4]];
    expect(islandIterations(dynamic, extra, links, 4)).toEqual([4, 4, 10, 10, 4, 4]);
    // Pinched by finger 2: the cube, the cube on it and that finger share an island; finger 3 stays alone
    // (a kinematic or fixed body joins no islands).
    expect(islandIterations(dynamic, extra, [...links, [4, 2]], 4)).toEqual([4, 4, 10, 10, 10, 10]);
    expect(islandIterations(dynamic, [0, 0, 6, 2, 0, 0], [[4, 2], [3, 1]], 1)).toEqual([1, 1, 7, 3, 7, 1]);
  });

  it('takes the warm-start impulse out of a steady contact\'s reported impulse: (n + 1) / n of the step\'s', () => {
    expect(stepImpulse(1.25, 4)).toBeCloseTo(1, 12);
    expect(stepImpulse(1.1, 10)).toBeCloseTo(1, 12);
    expect(stepImpulse(2, 1)).toBeCloseTo(1, 12);
  });
});
