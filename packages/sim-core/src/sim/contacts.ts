/**
 * One contact point of a world, as the backend's solver used it in the last physics step
 * (`Sim.contacts`). Both backends name the bodies as `SimSpec.bodyNames` does and order a
 * pair the same way: `bodyA` is the body later in `bodyNames` (in pick-place: the cube
 * before a finger, the table, the bin or the hand; a finger before the table or the bin).
 */
export interface ContactPoint {
  /** The body the normal points into (e.g. `cube`). */
  bodyA: string;
  /** The other body (e.g. `table`, `fingerLeft`). */
  bodyB: string;
  /** World position (m): midway between the two surfaces. */
  point: [number, number, number];
  /** Unit world normal from `bodyB` into `bodyA`: the direction of the normal force on `bodyA`. */
  normal: [number, number, number];
  /**
   * Signed distance between the surfaces along the normal (m; negative: penetration). webgpu:
   * at the current poses; rapier: as its narrow phase measured it before the last physics
   * step's solve (it lags by millimetres while the hand moves fast).
   */
  separation: number;
  /**
   * Normal force (N) this contact exerted on `bodyA` along `normal` (≥ 0): its normal impulse
   * of the last physics step divided by that step's duration. 0 for a speculative contact
   * (within the prediction distance but not pushing).
   */
  normalForce: number;
}

/** Sum of the normal forces (N) between two named bodies, in either order. */
export function contactForceBetween(contacts: readonly ContactPoint[], body1: string, body2: string): number {
  let sum = 0;
  for (const c of contacts) {
    if ((c.bodyA === body1 && c.bodyB === body2) || (c.bodyA === body2 && c.bodyB === body1)) sum += c.normalForce;
  }
  return sum;
}

/**
 * The grip force (N) of a gripper: for each finger, the normal forces between it and any of
 * `objects` (the bodies it may hold), and their mean (the squeeze one finger exerts, what a
 * force-limited gripper reports).
 */
export function gripForce(contacts: readonly ContactPoint[], fingers: readonly string[], objects: readonly string[]): { fingers: number[]; mean: number } {
  const forces = fingers.map((finger) => objects.reduce((sum, object) => sum + contactForceBetween(contacts, object, finger), 0));
  return { fingers: forces, mean: forces.length > 0 ? forces.reduce((a, b) => a + b, 0) / forces.length : 0 };
}

/**
 * The pick-place grip force (N): the normal forces between each finger pad and the cube,
 * and their mean (see {@link gripForce}).
 */
export function pickPlaceGripForce(contacts: readonly ContactPoint[]): { left: number; right: number; mean: number } {
  const { fingers: [left, right], mean } = gripForce(contacts, ['fingerLeft', 'fingerRight'], ['cube']);
  return { left, right, mean };
}
