import type { ContactPoint } from '@gripgen/sim-core';
import { BOX_FLAGS, type BoxBatch } from '@gripgen/sim-core/render';

/** Half-size of the box marking a contact point (m). */
const POINT_HALF = 0.0025;
/** Half-thickness of the normal's line (m). */
const LINE_HALF = 0.0008;
/** Length of a normal's line (m): a base plus a length per newton of normal force, capped. */
const LINE_BASE = 0.01;
const LINE_PER_NEWTON = 0.004;
const LINE_MAX = 0.08;
/** A contact pushing with more than this (N) is drawn as pushing; below, as speculative. */
const PUSHING_FORCE = 1e-3;

/** Colours (sRGB): a pushing contact's point, a speculative one's, the normal's line. */
export const CONTACT_COLORS = {
  pushing: [1, 0.1, 0.55],
  speculative: [0.55, 0.55, 0.6],
  normal: [1, 0.85, 0.1],
} as const;

/**
 * Adds one world's contacts to `batch`: a small box at each contact point (magenta when it
 * pushes, grey when speculative) and a thin box along its normal, centred on the point so it
 * shows on both sides of the surfaces, as long as 1 cm + 4 mm per newton of normal force
 * (at most 8 cm). None casts a shadow.
 */
export function addContactBoxes(batch: BoxBatch, contacts: readonly ContactPoint[]): void {
  const flags = BOX_FLAGS.noShadow;
  const identity = [0, 0, 0, 1];
  for (const c of contacts) {
    const pushing = c.normalForce > PUSHING_FORCE;
    batch.add(c.point, identity, [POINT_HALF, POINT_HALF, POINT_HALF], pushing ? CONTACT_COLORS.pushing : CONTACT_COLORS.speculative, flags);
    const length = Math.min(LINE_MAX, LINE_BASE + LINE_PER_NEWTON * Math.max(0, c.normalForce));
    batch.add(c.point, rotationFromZ(c.normal), [LINE_HALF, LINE_HALF, length / 2], CONTACT_COLORS.normal, flags);
  }
}

/** The shortest rotation (quaternion [x, y, z, w]) taking +z to the unit vector `n`. */
function rotationFromZ(n: readonly number[]): number[] {
  const w = 1 + n[2];
  // n ≈ −z: any half turn about a horizontal axis.
  if (w < 1e-6) return [1, 0, 0, 0];
  const q = [-n[1], n[0], 0, w];
  const length = Math.hypot(q[0], q[1], q[2], q[3]);
  return q.map((v) => v / length);
}
