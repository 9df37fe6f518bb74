/**
 * Settings of the mujoco backend (`createSim({ backend: 'mujoco', mujoco: { ... } })`).
 * The control rate is shared with the other backends (`PhysicsSettings.controlHz`); the
 * rest of `PhysicsSettings` (Rapier's solver) does not apply to MuJoCo.
 */
export interface MujocoSettings {
  /**
   * MuJoCo's timestep (s). One control step runs `round(1 / (controlHz · timestep))`
   * `mj_step`s (`mujocoSubsteps`), so the timestep actually used is the control period divided
   * by that count. Default 0.01 s (5 steps per control step, 100 Hz): the cheapest at which the
   * scripted expert succeeds in ≥ 95 % of `wide` worlds *and* the physical scenarios
   * (`src/scenarios`) pass as often as at a 4× finer step. With `discrete` the expert succeeds
   * in 100 % of 256 `wide` worlds at every timestep from 0.002 to 0.05 s, but at 0.025 s and
   * above launched cubes tumble instead of sliding and shaken grasps slip too much.
   */
  timestep: number;
  /**
   * MuJoCo's integrator. Both treat the finger servos' damping implicitly. `implicitfast`
   * solves the constraints in the plain mass matrix and then integrates in M + h·D, which makes
   * the contacts of the heavily damped fingers softer than asked and, from ~4 ms up, lets a grip
   * ring in a limit cycle (expert success on 256 `wide` worlds: 100 % at 2–3.8 ms, 75 % at
   * 5 ms, 14 % at 10 ms). `discrete` (MuJoCo ≥ 3.13, the default) solves constraints and the
   * implicit update together in M + h·D + h²·K: grips settle at exactly the actuator force at
   * any timestep.
   */
  integrator: 'implicitfast' | 'discrete';
  /**
   * MuJoCo `solref` [time constant (s), damping ratio] of contacts and joint limits; default
   * MuJoCo's own [0.02, 1] (rows stiffer than the timestep resolves are softened by MuJoCo).
   */
  contactSolref: [number, number];
  /** MuJoCo `solimp` of contacts and joint limits: [dmin, dmax, width (m), midpoint, power]; default MuJoCo's own. */
  contactSolimp: [number, number, number, number, number];
  /**
   * `solref` of the weld that holds the controlled body to its mocap target: stiffer than the
   * contacts, so the hand neither sags (< 0.1 mm holding 0.5 kg) nor lags (≤ 1.7 mm at the
   * controller's top speed with the default 1 ms time constant).
   */
  weldSolref: [number, number];
  /** `solimp` of that weld. */
  weldSolimp: [number, number, number, number, number];
  /** Friction cone: `elliptic` (exact Coulomb cone) or `pyramidal`. */
  cone: 'elliptic' | 'pyramidal';
  /** Ratio of frictional to normal constraint impedance (MuJoCo `impratio`): > 1 makes slip under load smaller. */
  impratio: number;
  /**
   * Mass (kg) given to the controlled body: in MuJoCo it is a free body welded to a mocap
   * target (the scene's kinematic body has no mass), gravity-compensated.
   */
  controlledBodyMass: number;
  /** MuJoCo's constraint solver. */
  solver: 'Newton' | 'CG' | 'PGS';
  /** Solver iterations (MuJoCo `iterations`). */
  iterations: number;
  /** Iterations of MuJoCo's no-slip post-solver (`noslip_iterations`; 0: off), which removes the soft contacts' creep. */
  noslipIterations: number;
  /** `mjData` arena per world (MuJoCo `<size memory>`), bytes: contacts and constraints of one step must fit. */
  arenaBytes: number;
}

/** Default MuJoCo settings. */
export const DEFAULT_MUJOCO: MujocoSettings = {
  timestep: 0.01,
  integrator: 'discrete',
  contactSolref: [0.02, 1],
  contactSolimp: [0.9, 0.95, 0.001, 0.5, 2],
  weldSolref: [0.001, 1],
  weldSolimp: [0.95, 0.99, 0.001, 0.5, 2],
  cone: 'elliptic',
  impratio: 10,
  controlledBodyMass: 1,
  solver: 'Newton',
  iterations: 50,
  noslipIterations: 0,
  arenaBytes: 128 * 1024,
};

/** MuJoCo steps per control step for `settings.timestep` at control rate `controlHz` (at least 1). */
export function mujocoSubsteps(controlHz: number, settings: Pick<MujocoSettings, 'timestep'>): number {
  return Math.max(1, Math.round(1 / (controlHz * settings.timestep)));
}

/** A deep copy of `settings` (its tuples included). */
export function copyMujocoSettings(settings: MujocoSettings): MujocoSettings {
  return {
    ...settings,
    contactSolref: [...settings.contactSolref],
    contactSolimp: [...settings.contactSolimp],
    weldSolref: [...settings.weldSolref],
    weldSolimp: [...settings.weldSolimp],
  };
}
