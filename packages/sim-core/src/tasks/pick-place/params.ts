import { around, fixed, type Randomization, type Ranges } from '../../random/randomization.js';
import { randomizationSpace } from '../../random/randomization-space.js';
import { PICK_PLACE_GEOMETRY as G, WORKSPACE } from './geometry.js';

/**
 * The per-world randomized parameters of pick-place, in the order of their columns in the
 * world-major parameter table. The position of a name in this list is also its PRNG
 * parameter id, so append new parameters at the end: existing draws then never change.
 */
export const PICK_PLACE_PARAM_NAMES = [
  'cubeX',
  'cubeY',
  'cubeYaw',
  'cubeEdge',
  'cubeMass',
  'cubeFriction',
  'binX',
  'binY',
  'handX',
  'handY',
  'handZ',
  'handYaw',
  'cubeHue',
] as const;

export type PickPlaceParamName = (typeof PICK_PLACE_PARAM_NAMES)[number];

/** Number of columns of the parameter table. */
export const NUM_PICK_PLACE_PARAMS = PICK_PLACE_PARAM_NAMES.length;

/** One uniform range per randomized parameter. */
export type PickPlaceRanges = Ranges<PickPlaceParamName>;

/** The distribution of every pick-place parameter: uniform ranges, optionally graded. */
export type PickPlaceRandomization = Randomization<PickPlaceParamName>;

/** Nominal cube and bin positions, about which both presets randomize. */
export const NOMINAL = { cubeX: 0.45, cubeY: -0.1, binX: 0.45, binY: 0.27, handX: 0.45, handY: 0, handZ: 0.25 };

/**
 * `narrow`: cube xy within ±8 cm of the nominal point, no yaw, fixed size, mass and
 * friction, fixed bin and gripper start (MimicGen's D0-like reset distribution).
 */
export const NARROW: PickPlaceRandomization = {
  cubeX: around(NOMINAL.cubeX, 0.08),
  cubeY: around(NOMINAL.cubeY, 0.08),
  cubeYaw: fixed(0),
  cubeEdge: fixed(0.045),
  cubeMass: fixed(0.2),
  cubeFriction: fixed(0.8),
  binX: fixed(NOMINAL.binX),
  binY: fixed(NOMINAL.binY),
  handX: fixed(NOMINAL.handX),
  handY: fixed(NOMINAL.handY),
  handZ: fixed(NOMINAL.handZ),
  handYaw: fixed(0),
  cubeHue: { min: 0, max: 1 },
};

/**
 * `wide`: cube xy within ±20 cm and yaw over the full circle, edge 3–6 cm, mass
 * 0.05–0.5 kg, friction 0.5–1.2, bin placed anywhere in a reachable strip, gripper start
 * jittered (MimicGen's D1-like distribution).
 */
export const WIDE: PickPlaceRandomization = {
  cubeX: around(NOMINAL.cubeX, 0.2),
  cubeY: around(NOMINAL.cubeY, 0.2),
  cubeYaw: { min: -Math.PI, max: Math.PI },
  cubeEdge: { min: 0.03, max: 0.06 },
  cubeMass: { min: 0.05, max: 0.5 },
  cubeFriction: { min: 0.5, max: 1.2 },
  binX: around(NOMINAL.binX, 0.12),
  binY: { min: 0.25, max: 0.33 },
  handX: around(NOMINAL.handX, 0.05),
  handY: around(NOMINAL.handY, 0.05),
  handZ: { min: 0.22, max: 0.28 },
  handYaw: { min: -0.3, max: 0.3 },
  cubeHue: { min: 0, max: 1 },
};

/**
 * `wider`: `wide`, plus a gripper start pose drawn over a large region — ±12 cm in x and y,
 * 18–32 cm high, any yaw (±90°: the parallel-jaw hand is symmetric under a half turn) — so
 * the start state varies as much as the objects do (MimicGen's D2-like distribution).
 */
export const WIDER: PickPlaceRandomization = {
  ...WIDE,
  handX: around(NOMINAL.handX, 0.12),
  handY: around(NOMINAL.handY, 0.12),
  handZ: { min: 0.18, max: 0.32 },
  handYaw: { min: -Math.PI / 2, max: Math.PI / 2 },
};

/**
 * `widest`: `wider`, plus the cube over ±25 cm (centred 5 cm further from the bin, so no cube
 * overlaps the bin's wall), edge 2.5–6.5 cm (a 6.5 cm cube leaves 7.5 mm per side in the 8 cm
 * gripper), mass 0.05–1 kg, friction 0.3–1.2, and the bin over ±18 cm in x and 25–40 cm in y.
 * The default of `gripgen curve`: with `wide`, a policy trained on 100 generated trajectories
 * already reached 83 % success (one seed, 500 held-out worlds), so the curve saturated within a
 * decade of N; here it reached 63 % at N = 100 and 96 % at N = 1000 (scratch experiments,
 * 2026-11-21), rising over two decades.
 */
export const WIDEST: PickPlaceRandomization = {
  ...WIDER,
  cubeX: around(NOMINAL.cubeX, 0.25),
  cubeY: around(NOMINAL.cubeY - 0.05, 0.25),
  cubeEdge: { min: 0.025, max: 0.065 },
  cubeMass: { min: 0.05, max: 1.0 },
  cubeFriction: { min: 0.3, max: 1.2 },
  binX: around(NOMINAL.binX, 0.18),
  binY: { min: 0.25, max: 0.4 },
};

/**
 * `graded`: worlds graded from `narrow` (t = 0) to `widest` (t = 1): a third of them narrow, a
 * third widest and a third in between (t = clamp(u, 0, 1), u uniform over [−1, 2]), MimicGen's
 * D0 to D2 as one continuum.
 */
export const GRADED: PickPlaceRandomization = { ...NARROW, grade: { to: WIDEST, t: { min: -1, max: 2 } } };

/**
 * `tight`: `widest` with cube edges up to 7 cm, so the largest cubes leave 5 mm per side in the
 * 8 cm gripper: the approach must be centred within a few millimetres and aligned in yaw within
 * about 8°, precision a policy learns only from many trajectories.
 */
export const TIGHT: PickPlaceRandomization = { ...WIDEST, cubeEdge: { min: 0.025, max: 0.07 } };

/**
 * `mixed`: each world is a `narrow` world (30 %) or a `tight` world (70 %), as a deployment
 * where most scenes are far from nominal and demanding, and some are close to nominal. The
 * default of `gripgen curve`: success there rises about linearly in log N from N = 10 to 3000
 * (bench/curves/pick-place-mixed-cpu), where on `widest` alone it rises in an S from near 0 %
 * and bends over by N = 1000.
 */
export const MIXED: PickPlaceRandomization = { ...NARROW, grade: { to: TIGHT, weight: 0.7 } };

/** Physical bounds each randomized parameter must stay within. */
export const PICK_PLACE_BOUNDS = {
  cubeX: [WORKSPACE.min[0], WORKSPACE.max[0], 'm, inside the workspace'],
  cubeY: [WORKSPACE.min[1], WORKSPACE.max[1], 'm, inside the workspace'],
  cubeYaw: [-2 * Math.PI, 2 * Math.PI, 'rad'],
  cubeEdge: [0.02, 0.07, 'm: the gripper opens to 0.08 m'],
  cubeMass: [0.01, 2, 'kg'],
  cubeFriction: [0, 2, ''],
  binX: [WORKSPACE.min[0] + G.binInnerHalfSize, WORKSPACE.max[0] - G.binInnerHalfSize, 'm, bin inside the workspace'],
  binY: [WORKSPACE.min[1] + G.binInnerHalfSize, WORKSPACE.max[1] - G.binInnerHalfSize, 'm, bin inside the workspace'],
  handX: [WORKSPACE.min[0], WORKSPACE.max[0], 'm, inside the workspace'],
  handY: [WORKSPACE.min[1], WORKSPACE.max[1], 'm, inside the workspace'],
  handZ: [0.1, WORKSPACE.max[2], 'm'],
  handYaw: [-Math.PI, Math.PI, 'rad'],
  cubeHue: [0, 1, ''],
} as const;

/** Named randomization presets. */
export const PICK_PLACE_PRESETS = { narrow: NARROW, wide: WIDE, wider: WIDER, widest: WIDEST, tight: TIGHT, graded: GRADED, mixed: MIXED } as const;

/** Pick-place's randomization: parameters, presets (`wide` when an override names none), validation and draw. */
export const PICK_PLACE_RANDOMIZATION = randomizationSpace({
  names: PICK_PLACE_PARAM_NAMES,
  bounds: PICK_PLACE_BOUNDS,
  presets: PICK_PLACE_PRESETS,
  defaultPreset: 'wide',
});

/** Column index of each parameter. */
export const P = PICK_PLACE_RANDOMIZATION.P;

/**
 * Draws world `world`'s parameters of episode `episode` into `out` at `offset`
 * (NUM_PICK_PLACE_PARAMS f32 values). Pure in (seed, episode, world).
 */
export const drawPickPlaceParams = PICK_PLACE_RANDOMIZATION.drawParams;
