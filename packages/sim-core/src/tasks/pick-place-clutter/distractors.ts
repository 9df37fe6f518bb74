/**
 * The distractor objects of pick-place-clutter: a fixed set of slots (every world has the same
 * bodies), boxes and upright cylinders in turn, their parameter columns, and where a slot
 * that is not in play is parked.
 */

/** Most distractors a world can have in play. */
export const MAX_DISTRACTORS = 8;

/** A distractor's shape: a box (any yaw) or an upright cylinder. */
export type DistractorShape = 'box' | 'cylinder';

/** The slots, in scene order: box0, cylinder0, box1, cylinder1, …, so any first k of them mix both shapes. */
export const DISTRACTORS = [
  { name: 'box0', shape: 'box' },
  { name: 'cylinder0', shape: 'cylinder' },
  { name: 'box1', shape: 'box' },
  { name: 'cylinder1', shape: 'cylinder' },
  { name: 'box2', shape: 'box' },
  { name: 'cylinder2', shape: 'cylinder' },
  { name: 'box3', shape: 'box' },
  { name: 'cylinder3', shape: 'cylinder' },
] as const satisfies readonly { name: string; shape: DistractorShape }[];

/** One slot of `DISTRACTORS`. */
export type Distractor = (typeof DISTRACTORS)[number];
export type BoxName = Extract<Distractor, { shape: 'box' }>['name'];
export type CylinderName = Extract<Distractor, { shape: 'cylinder' }>['name'];

/**
 * Parameters of a box distractor `o`, after its name: position `oX`, `oY` (m), yaw `oYaw`
 * (rad), full sizes `oSizeX`, `oSizeY`, `oHeight` (m), `oMass` (kg), `oFriction`, colour `oHue`.
 */
export const BOX_FIELDS = ['X', 'Y', 'Yaw', 'SizeX', 'SizeY', 'Height', 'Mass', 'Friction', 'Hue'] as const;
/**
 * Parameters of a cylinder distractor `o` (upright; it has no yaw): `oX`, `oY` (m), `oDiameter`,
 * `oHeight` (m), `oMass` (kg), `oFriction`, `oHue`.
 */
export const CYLINDER_FIELDS = ['X', 'Y', 'Diameter', 'Height', 'Mass', 'Friction', 'Hue'] as const;

export type BoxParamName = `${BoxName}${(typeof BOX_FIELDS)[number]}`;
export type CylinderParamName = `${CylinderName}${(typeof CYLINDER_FIELDS)[number]}`;
/** Every distractor parameter name. */
export type DistractorParamName = BoxParamName | CylinderParamName;

/** The parameter names of every slot, slot by slot. */
export const DISTRACTOR_PARAM_NAMES: readonly DistractorParamName[] = DISTRACTORS.flatMap((d) =>
  (d.shape === 'box' ? BOX_FIELDS : CYLINDER_FIELDS).map((f) => `${d.name}${f}` as DistractorParamName),
);

/**
 * Where slot `slot`'s distractor rests when it is not in play: on the table at x = −0.45 m,
 * 16 cm apart along y — behind the robot's reach (the controller keeps the TCP at x ≥ 0.05 m)
 * and apart from each other (the largest footprint is 11.4 cm across).
 */
export function parkingSpot(slot: number): readonly [number, number] {
  return [-0.45, -0.56 + 0.16 * slot];
}

/**
 * Number of distractors in play in a world: the `distractorCount` parameter rounded down, at
 * most `MAX_DISTRACTORS`; slots 0 … count − 1 are in play, the others parked.
 */
export function distractorsInPlay(distractorCount: number): number {
  return Math.max(0, Math.min(MAX_DISTRACTORS, Math.floor(distractorCount)));
}
