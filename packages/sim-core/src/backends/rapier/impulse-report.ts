/**
 * What rapier.js 0.20 reports as a contact's impulse, and how to get the step's impulse back.
 *
 * The manifold's `contactImpulse(i)` of rapier.js 0.20 (`@dimforge/rapier3d-simd-compat` and
 * `@dimforge/rapier3d-compat` alike) is the impulse the contact's n solver substeps applied
 * plus the warm-start impulse it began the step with (the previous step's last substep's),
 * where n is the solver iterations of the contact's island: the world's `numSolverIterations` plus the largest
 * `additionalSolverIterations` of the island's bodies. For a steady contact (a resting or held
 * body) that is (n + 1) / n times the step's impulse — measured on a cube at rest, where the
 * step's impulse is m·g·dt: 2, 1.5, 1.25 and 1.125 × m·g·dt for n = 1, 2, 4 and 8, and
 * 1.1 for 4 + 6 extra; rapier.js 0.21 reports exactly m·g·dt. The resting test of
 * `packages/sim-core/test/contacts.test.ts` holds the corrected figure within 10 % of m·g (the
 * uncorrected one is 25 % over), so a Rapier that reports differently fails it.
 */

/**
 * Solver iterations of each body's island: `base` plus the largest `extra` of the dynamic
 * bodies joined to it through `links` (pairs of bodies in contact or jointed; a link with a
 * fixed or kinematic body joins nothing, as in Rapier's islands). Non-dynamic bodies get `base`.
 */
export function islandIterations(
  dynamic: readonly boolean[],
  extra: readonly number[],
  links: readonly (readonly [number, number])[],
  base: number,
): number[] {
  const root = dynamic.map((_, i) => i);
  const find = (i: number): number => {
    while (root[i] !== i) i = root[i] = root[root[i]];
    return i;
  };
  for (const [a, b] of links) {
    if (dynamic[a] && dynamic[b]) root[find(a)] = find(b);
  }
  const most = new Map<number, number>();
  dynamic.forEach((d, i) => {
    if (d) most.set(find(i), Math.max(most.get(find(i)) ?? 0, extra[i]));
  });
  return dynamic.map((d, i) => base + (d ? most.get(find(i))! : 0));
}

/** The step's impulse of a steady contact from the impulse rapier.js 0.20 reports, for an island of `n` solver iterations. */
export function stepImpulse(reported: number, n: number): number {
  return (reported * n) / (n + 1);
}
