/**
 * Physics settings of the Rapier backend. The defaults hold a friction pinch grasp of a
 * 0.5 kg cube (see the grasp tests); the WGSL backend uses the same numbers.
 */
export interface PhysicsSettings {
  /** Control rate (Hz): one `step()` advances every world by 1 / controlHz seconds. */
  controlHz: number;
  /** Rapier steps per control step (physics rate = controlHz · substeps). */
  substeps: number;
  /** Rapier `numSolverIterations` (TGS-soft solver substeps inside each Rapier step). */
  solverIterations: number;
  /** Rapier `numInternalPgsIterations`. */
  pgsIterations: number;
  /** Natural frequency of the contact constraints' spring (Hz). */
  contactNaturalFrequency: number;
  /** Penetration the solver does not try to correct (m). */
  allowedLinearError: number;
  /**
   * Gap (m) within which Rapier makes contacts before shapes touch (its prediction distance;
   * Rapier's default is 2 cm). Rapier keeps a contact manifold's points and normal while the two
   * shapes stay within it and move little relative to each other, updating only distances along
   * the old normal, so with 2 cm a pad's manifold outlived the touch it was made for: a finger
   * passing a cube's top edge pressed the cube into the table, a released cube was dragged off a
   * stack, and in the physical scenarios a pinched cube lagged the turning hand by up to 6° and
   * slipped too far under shaking. With 2 mm every Rapier scenario but the off-centre push passes
   * (32 worlds each: lift-hold 75 → 100 %, hold-shake 75 → 100 %, pinch-turn 38–47 → 100 %).
   */
  predictionDistance: number;
}

/** Default physics settings. */
export const DEFAULT_PHYSICS: PhysicsSettings = {
  controlHz: 20,
  substeps: 2,
  solverIterations: 4,
  pgsIterations: 1,
  contactNaturalFrequency: 240,
  allowedLinearError: 0.0005,
  predictionDistance: 0.002,
};

