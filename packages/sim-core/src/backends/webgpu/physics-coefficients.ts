import { PICK_PLACE_GEOMETRY as G } from '../../tasks/pick-place/geometry.js';
import type { PhysicsSettings } from '../rapier/physics-settings.js';
import { FINGER_SERVO_MAX_FORCE } from '../../agents/parallel-gripper/drive.js';

/** Constants of the contact model of the WebGPU backend (and its TS reference). */
export const CONTACT_MODEL = {
  /** Contacts are generated this far before touching (Rapier's default prediction distance, m). */
  predictionDistance: 0.02,
  /** Damping ratio of the contact spring (Rapier's default). */
  dampingRatio: 5,
  /** Largest velocity the position bias may add (m/s). */
  maxCorrectiveVelocity: 10,
  /** Warm-start impulses match a new contact point within this distance of an old one (m). */
  warmStartRadius: 0.005,
  /** Normal impulse (N·s) above which a contact counts as pushing (as in the Rapier backend). */
  pushingImpulse: 1e-5,
  /**
   * Sweeps over the constraint rows per solve (the scene solver's `pgsIterations`, at least) in a
   * physics step where a free body touches another free body or a link (a stack, a held object).
   * Gauss–Seidel converges slowly through a light cube under a heavy one: with one sweep a 0.44 kg
   * cube resting on a 0.06 kg one kept rocking and bouncing, and the stack-three expert on the
   * solver's TS specification succeeded in 37 of 64 wide worlds (2 sweeps 58, 3 sweeps 61, 4
   * sweeps 64; stack 63, 63, 64 of 64); a shaken held cube slipped more than the stick–slip model
   * allows in 6 of 16 worlds with one sweep and 1 of 16 with four (hold-shake scenario). Rapier
   * gives its islands with a finger 6 more iterations; a GPU world has no islands, so the step gets
   * the sweeps.
   */
  movingPairPgsIterations: 4,
} as const;

/** The solver coefficients derived from the physics settings (shared by the WGSL kernels and the TS reference). */
export interface PhysicsCoefficients {
  /** Physics step (s). */
  dt: number;
  /** Small step of the TGS solver: dt / solverIterations (s). */
  h: number;
  /** Contact position bias per unit penetration (1/s): Rapier's erp / h. */
  erpInvDt: number;
  /** Scale of the accumulated normal impulse in the biased pass (Rapier's cfm_factor). */
  cfmFactor: number;
  /** Finger drive as an implicit spring-damper: bias per unit error (1/s) and compliance. */
  driveErpInvDt: number;
  driveCfm: number;
  /** Largest finger-drive impulse per small step (N·s): the agent's servo force limit over h. */
  driveMaxImpulse: number;
}

/** Derives the solver coefficients (Rapier's formulas for the contact softness and the force-based motor). */
export function physicsCoefficients(s: PhysicsSettings): PhysicsCoefficients {
  const dt = 1 / (s.controlHz * s.substeps);
  const h = dt / s.solverIterations;
  const omega = 2 * Math.PI * s.contactNaturalFrequency;
  const zeta = CONTACT_MODEL.dampingRatio;
  const erpInvDt = omega / (h * omega + zeta);
  const invErpMinusOne = 1 / (h * erpInvDt) - 1;
  const cfmCoeff = (invErpMinusOne * invErpMinusOne) / ((1 + invErpMinusOne) * 4 * zeta * zeta);
  const k = G.fingerDriveStiffness;
  const c = G.fingerDriveDamping;
  return {
    dt,
    h,
    erpInvDt,
    cfmFactor: 1 / (1 + cfmCoeff),
    driveErpInvDt: k / (h * k + c),
    driveCfm: 1 / (h * h * k + h * c),
    driveMaxImpulse: FINGER_SERVO_MAX_FORCE * h,
  };
}
