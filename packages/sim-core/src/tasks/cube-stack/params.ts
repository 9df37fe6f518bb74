import { around, fixed, type Range, type Ranges } from '../../random/randomization.js';
import type { ParamBounds } from '../../random/randomization-space.js';
import { CUBE_STACK_GEOMETRY as G, CUBE_STACK_WORKSPACE as WORKSPACE } from './geometry.js';

/**
 * The randomized parameters of the cube-stacking tasks, named by convention: cube `L` (a
 * body named `cubeL`) has `cubeLX`, `cubeLY`, `cubeLYaw`, `cubeLEdge`, `cubeLMass`,
 * `cubeLFriction` and `cubeLHue` (its colour, 0–1); the gripper starts at `handX`, `handY`,
 * `handZ`, `handYaw`. Each task lists the names in its own column order.
 */

/** Letters of the cubes a stacking task may have (robosuite's cubeA, cubeB, cubeC). */
export type CubeLetter = 'A' | 'B' | 'C';

const CUBE_PARAM_SUFFIXES = ['X', 'Y', 'Yaw', 'Edge', 'Mass', 'Friction', 'Hue'] as const;

/** Name of one of cube `L`'s parameters. */
export type CubeParamName<L extends CubeLetter> = `cube${L}${(typeof CUBE_PARAM_SUFFIXES)[number]}`;

/** The gripper's start pose parameters. */
export const HAND_PARAM_NAMES = ['handX', 'handY', 'handZ', 'handYaw'] as const;

/** Name of one of the gripper's start pose parameters. */
export type HandParamName = (typeof HAND_PARAM_NAMES)[number];

/** Cube `letter`'s parameter names: X, Y, Yaw, Edge, Mass, Friction, Hue. */
export function cubeParamNames<L extends CubeLetter>(letter: L): CubeParamName<L>[] {
  return CUBE_PARAM_SUFFIXES.map((s) => `cube${letter}${s}` as CubeParamName<L>);
}

/** Hues of the cubes (robosuite's red A, green B, blue C); `wide` draws them within `HUE_SPREAD` above. */
export const CUBE_HUE: Readonly<Record<CubeLetter, number>> = { A: 0, B: 0.33, C: 0.62 };
/** Width of each cube's hue range in the wide presets (the three ranges stay apart). */
export const HUE_SPREAD = 0.08;

/** Distribution of one cube's parameters. */
export interface CubeRanges {
  x: Range;
  y: Range;
  yaw: Range;
  edge: Range;
  mass: Range;
  friction: Range;
  hue: Range;
}

/** Cube `letter`'s ranges under its parameter names. */
export function cubeRanges<L extends CubeLetter>(letter: L, r: CubeRanges): Ranges<CubeParamName<L>> {
  const values = [r.x, r.y, r.yaw, r.edge, r.mass, r.friction, r.hue];
  return Object.fromEntries(cubeParamNames(letter).map((n, i) => [n, values[i]])) as Ranges<CubeParamName<L>>;
}

/** Density of robosuite's cubes (kg/m³): the `narrow` masses are edge³ · density. */
export const ROBOSUITE_CUBE_DENSITY = 1000;
/** Friction of robosuite's cubes (MuJoCo's default sliding friction). */
export const ROBOSUITE_CUBE_FRICTION = 1;

/**
 * A cube of MimicGen's D0 (`narrow`): xy within ±`halfWidth` of the nominal centre, no yaw, a
 * fixed edge, robosuite's density and friction, a fixed hue.
 */
export function narrowCube<L extends CubeLetter>(letter: L, halfWidth: number, edge: number): Ranges<CubeParamName<L>> {
  const [cx, cy] = G.nominalCenter;
  return cubeRanges(letter, {
    x: around(cx, halfWidth),
    y: around(cy, halfWidth),
    yaw: fixed(0),
    edge: fixed(edge),
    mass: fixed(ROBOSUITE_CUBE_DENSITY * edge ** 3),
    friction: fixed(ROBOSUITE_CUBE_FRICTION),
    hue: fixed(CUBE_HUE[letter]),
  });
}

/**
 * A cube of MimicGen's D1 as it is (`d1`): robosuite's cube of `narrow` (fixed edge, density,
 * friction and hue), xy within ±`halfWidth` of the nominal centre, yaw over the full circle.
 */
export function d1Cube<L extends CubeLetter>(letter: L, halfWidth: number, edge: number): Ranges<CubeParamName<L>> {
  const [cx, cy] = G.nominalCenter;
  return cubeRanges(letter, {
    x: around(cx, halfWidth),
    y: around(cy, halfWidth),
    yaw: { min: -Math.PI, max: Math.PI },
    edge: fixed(edge),
    mass: fixed(ROBOSUITE_CUBE_DENSITY * edge ** 3),
    friction: fixed(ROBOSUITE_CUBE_FRICTION),
    hue: fixed(CUBE_HUE[letter]),
  });
}

/**
 * A cube of MimicGen's D1 or wider (`wide`): xy within ±`halfWidth` of the nominal centre, yaw
 * over the full circle, edge within `edge`, mass 0.05–0.5 kg, friction 0.5–1.2, hue within
 * `HUE_SPREAD` of its own.
 */
export function wideCube<L extends CubeLetter>(letter: L, halfWidth: number, edge: Range): Ranges<CubeParamName<L>> {
  const [cx, cy] = G.nominalCenter;
  return cubeRanges(letter, {
    x: around(cx, halfWidth),
    y: around(cy, halfWidth),
    yaw: { min: -Math.PI, max: Math.PI },
    edge,
    mass: { min: 0.05, max: 0.5 },
    friction: { min: 0.5, max: 1.2 },
    hue: { min: CUBE_HUE[letter], max: CUBE_HUE[letter] + HUE_SPREAD },
  });
}

/** The gripper's start in the `narrow` presets: fixed, above the nominal centre. */
export const NARROW_HAND: Ranges<HandParamName> = {
  handX: fixed(G.nominalHand[0]),
  handY: fixed(G.nominalHand[1]),
  handZ: fixed(G.nominalHand[2]),
  handYaw: fixed(0),
};

/** The gripper's start in the `wide` presets: ±5 cm, 22–28 cm high, yaw ±0.3 rad. */
export const WIDE_HAND: Ranges<HandParamName> = {
  handX: around(G.nominalHand[0], 0.05),
  handY: around(G.nominalHand[1], 0.05),
  handZ: { min: 0.22, max: 0.28 },
  handYaw: { min: -0.3, max: 0.3 },
};

/**
 * Physical bounds of cube `letter`'s parameters. A cube the gripper must grasp (`grasped`)
 * has edges up to 7 cm (the gripper opens 8 cm); one it only stacks onto, up to 10 cm.
 */
export function cubeBounds<L extends CubeLetter>(letter: L, grasped: boolean): Record<CubeParamName<L>, ParamBounds> {
  const bounds: ParamBounds[] = [
    [WORKSPACE.min[0], WORKSPACE.max[0], 'm, inside the workspace'],
    [WORKSPACE.min[1], WORKSPACE.max[1], 'm, inside the workspace'],
    [-2 * Math.PI, 2 * Math.PI, 'rad'],
    grasped ? [0.02, 0.07, 'm: the gripper opens to 0.08 m'] : [0.02, 0.1, 'm'],
    [0.01, 2, 'kg'],
    [0, 2, ''],
    [0, 1, ''],
  ];
  return Object.fromEntries(cubeParamNames(letter).map((n, i) => [n, bounds[i]])) as Record<CubeParamName<L>, ParamBounds>;
}

/** Physical bounds of the gripper's start pose. */
export const HAND_BOUNDS: Readonly<Record<HandParamName, ParamBounds>> = {
  handX: [WORKSPACE.min[0], WORKSPACE.max[0], 'm, inside the workspace'],
  handY: [WORKSPACE.min[1], WORKSPACE.max[1], 'm, inside the workspace'],
  handZ: [0.1, WORKSPACE.max[2], 'm'],
  handYaw: [-Math.PI, Math.PI, 'rad'],
};

/** Column indices of one cube's parameters in a task's parameter table. */
export interface CubeColumns {
  x: number;
  y: number;
  yaw: number;
  edge: number;
  mass: number;
  friction: number;
  hue: number;
}

/** Where cube `letter`'s parameters sit among `paramNames`; throws naming a missing one. */
export function cubeColumns(paramNames: readonly string[], letter: CubeLetter): CubeColumns {
  const [x, y, yaw, edge, mass, friction, hue] = cubeParamNames(letter).map((n) => columnOf(paramNames, n));
  return { x, y, yaw, edge, mass, friction, hue };
}

/** Column indices of the gripper's start pose. */
export interface HandColumns {
  x: number;
  y: number;
  z: number;
  yaw: number;
}

/** Where the gripper's start pose parameters sit among `paramNames`. */
export function handColumns(paramNames: readonly string[]): HandColumns {
  const [x, y, z, yaw] = HAND_PARAM_NAMES.map((n) => columnOf(paramNames, n));
  return { x, y, z, yaw };
}

function columnOf(paramNames: readonly string[], name: string): number {
  const i = paramNames.indexOf(name);
  if (i < 0) throw new Error(`the cube-stacking task has no parameter "${name}"`);
  return i;
}
