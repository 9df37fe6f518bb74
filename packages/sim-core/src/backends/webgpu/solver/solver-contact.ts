/**
 * Scratch of one contact during a physics step of the GPU solver. Side A is the later body of
 * the pair (the normal points into it), side B the other; each side is whatever body the
 * scene has there — static, the kinematic hand, a link on it, or a free body.
 */
export interface SolverContact {
  /** Collision pair (index into `SolverModel.pairs`). */
  pair: number;
  /** Body of side A and of side B. */
  a: number;
  b: number;
  /** Unit normal from B into A, and two unit tangents. */
  n: number[];
  t1: number[];
  t2: number[];
  /** Contact point at generation. */
  p: number[];
  /** From each side's reference point (a free body's centre; the hand's origin for the hand and its links; a static body's origin) to the point. */
  rA: number[];
  rB: number[];
  /** The point in each side's reference frame at generation (warm-start key: `localA`). */
  localA: number[];
  localB: number[];
  /** Signed separation at generation (m). */
  d0: number;
  mu: number;
  /** Inverse effective mass of the normal and tangent rows, and the tangents' off-diagonal entry. */
  kN: number;
  kT1: number;
  kT2: number;
  kT12: number;
  /** Drift of the contact points when the contact last slid this step (as in `relativeDisplacement`). */
  anchor: number[];
  /** The contact presses side A's / side B's link against a travel stop: that link moves with the hand in this contact's rows. */
  lockedA: boolean;
  lockedB: boolean;
  /** Accumulated impulses of the current small step: normal, tangents. */
  lN: number;
  lT1: number;
  lT2: number;
}

/** A contact with zeroed storage. */
export function makeSolverContact(): SolverContact {
  const v = () => [0, 0, 0];
  return {
    pair: 0, a: 0, b: 0, n: v(), t1: v(), t2: v(), p: v(), rA: v(), rB: v(), localA: v(), localB: v(),
    d0: 0, mu: 0, kN: 0, kT1: 0, kT2: 0, kT12: 0, anchor: v(), lockedA: false, lockedB: false, lN: 0, lT1: 0, lT2: 0,
  };
}
