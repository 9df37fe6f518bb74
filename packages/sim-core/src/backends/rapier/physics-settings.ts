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
}

/** Default physics settings. */
export const DEFAULT_PHYSICS: PhysicsSettings = {
  controlHz: 20,
  substeps: 2,
  solverIterations: 4,
  pgsIterations: 1,
  contactNaturalFrequency: 240,
  allowedLinearError: 0.0005,
};
