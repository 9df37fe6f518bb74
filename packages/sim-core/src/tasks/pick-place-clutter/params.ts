import { fixed, type Randomization, type Range, type Ranges } from '../../random/randomization.js';
import { randomizationSpace, type ParamBounds } from '../../random/randomization-space.js';
import { NARROW as PICK_PLACE_NARROW, PICK_PLACE_BOUNDS, PICK_PLACE_PARAM_NAMES, WIDE as PICK_PLACE_WIDE, type PickPlaceParamName } from '../pick-place/params.js';
import { BOX_FIELDS, CYLINDER_FIELDS, DISTRACTOR_PARAM_NAMES, DISTRACTORS, type DistractorParamName, type DistractorShape } from './distractors.js';

/**
 * The per-world randomized parameters of pick-place-clutter, in column order: pick-place's own
 * (same names, order and draws: a clutter world's cube, bin and gripper are the pick-place
 * world's of the same seed, episode and world), then `distractorCount`, then each distractor
 * slot's (see `distractors.ts`).
 */
export const CLUTTER_PARAM_NAMES = [...PICK_PLACE_PARAM_NAMES, 'distractorCount', ...DISTRACTOR_PARAM_NAMES] as const;

export type ClutterParamName = (typeof CLUTTER_PARAM_NAMES)[number];

/** Number of columns of the parameter table. */
export const NUM_CLUTTER_PARAMS = CLUTTER_PARAM_NAMES.length;

/** The distribution of every pick-place-clutter parameter. */
export type ClutterRandomization = Randomization<ClutterParamName>;

/** Where distractors are drawn (m): around the cube's and the bin's regions, inside the workspace. */
export const DISTRACTOR_REGION = { x: { min: 0.2, max: 0.7 }, y: { min: -0.4, max: 0.45 } } as const;

/** Full sizes (m: box x and y, or cylinder diameter), height (m) and mass (kg) of each slot in `narrow`: fixed, different from slot to slot. */
const NARROW_OBJECTS: Record<(typeof DISTRACTORS)[number]['name'], { size: readonly number[]; height: number; mass: number }> = {
  box0: { size: [0.05, 0.05], height: 0.05, mass: 0.2 },
  cylinder0: { size: [0.05], height: 0.08, mass: 0.2 },
  box1: { size: [0.07, 0.04], height: 0.06, mass: 0.25 },
  cylinder1: { size: [0.04], height: 0.1, mass: 0.15 },
  box2: { size: [0.04, 0.06], height: 0.09, mass: 0.25 },
  cylinder2: { size: [0.065], height: 0.06, mass: 0.3 },
  box3: { size: [0.06, 0.06], height: 0.04, mass: 0.2 },
  cylinder3: { size: [0.035], height: 0.12, mass: 0.15 },
};

/** Distractor ranges of every slot, from a function of (slot name, shape, field). */
function distractorRanges(
  range: (name: (typeof DISTRACTORS)[number]['name'], shape: DistractorShape, field: string) => Range,
): Record<DistractorParamName, Range> {
  const out = {} as Record<DistractorParamName, Range>;
  for (const d of DISTRACTORS) {
    for (const f of d.shape === 'box' ? BOX_FIELDS : CYLINDER_FIELDS) out[`${d.name}${f}` as DistractorParamName] = range(d.name, d.shape, f);
  }
  return out;
}

/**
 * `narrow` (MimicGen D0-like): pick-place's `narrow` — cube xy within ±8 cm, no yaw, fixed
 * size, mass and friction, fixed bin and gripper start — with 5 distractors in play, each of
 * fixed size (3.5–7 cm across, 4–12 cm tall), mass (0.15–0.3 kg) and friction (0.8), unturned,
 * placed anywhere free in `DISTRACTOR_REGION`.
 */
export const NARROW: ClutterRandomization = {
  ...(PICK_PLACE_NARROW as Ranges<PickPlaceParamName>),
  distractorCount: fixed(5),
  ...distractorRanges((name, _shape, field) => {
    const o = NARROW_OBJECTS[name];
    switch (field) {
      case 'X': return DISTRACTOR_REGION.x;
      case 'Y': return DISTRACTOR_REGION.y;
      case 'Yaw': return fixed(0);
      case 'SizeX': case 'Diameter': return fixed(o.size[0]);
      case 'SizeY': return fixed(o.size[1]);
      case 'Height': return fixed(o.height);
      case 'Mass': return fixed(o.mass);
      case 'Friction': return fixed(0.8);
      default: return { min: 0, max: 1 }; // Hue
    }
  }),
};

/**
 * `wide` (MimicGen D1-like): pick-place's `wide` — cube xy within ±20 cm, any yaw, edge 3–6 cm,
 * mass 0.05–0.5 kg, friction 0.5–1.2, bin moved, gripper start jittered — with 3–8
 * distractors in play (equally likely), boxes 3–8 cm × 3–8 cm × 3–12 cm high at any yaw and
 * cylinders 3–8 cm across and 4–12 cm high, mass 0.05–0.5 kg, friction 0.5–1.2, placed anywhere
 * free in `DISTRACTOR_REGION`.
 */
export const WIDE: ClutterRandomization = {
  ...(PICK_PLACE_WIDE as Ranges<PickPlaceParamName>),
  distractorCount: { min: 3, max: 9 },
  ...distractorRanges((_name, shape, field) => {
    switch (field) {
      case 'X': return DISTRACTOR_REGION.x;
      case 'Y': return DISTRACTOR_REGION.y;
      case 'Yaw': return { min: -Math.PI, max: Math.PI };
      case 'SizeX': case 'SizeY': case 'Diameter': return { min: 0.03, max: 0.08 };
      case 'Height': return shape === 'box' ? { min: 0.03, max: 0.12 } : { min: 0.04, max: 0.12 };
      case 'Mass': return { min: 0.05, max: 0.5 };
      case 'Friction': return { min: 0.5, max: 1.2 };
      default: return { min: 0, max: 1 }; // Hue
    }
  }),
};

const FIELD_BOUNDS: Record<string, ParamBounds> = {
  X: [0.05, 0.75, 'm, on the table inside the workspace'],
  Y: [-0.5, 0.6, 'm, inside the workspace'],
  Yaw: [-2 * Math.PI, 2 * Math.PI, 'rad'],
  SizeX: [0.02, 0.1, 'm'],
  SizeY: [0.02, 0.1, 'm'],
  Diameter: [0.02, 0.1, 'm'],
  Height: [0.02, 0.14, 'm: below the fingertips of the hand at its start'],
  Mass: [0.01, 2, 'kg'],
  Friction: [0, 2, ''],
  Hue: [0, 1, ''],
};

/** Physical bounds each randomized parameter must stay within. */
const BOUNDS = {
  ...PICK_PLACE_BOUNDS,
  distractorCount: [0, 9, 'distractors in play: the value rounded down, at most 8'],
  ...Object.fromEntries(
    DISTRACTORS.flatMap((d) => (d.shape === 'box' ? BOX_FIELDS : CYLINDER_FIELDS).map((f) => [`${d.name}${f}`, FIELD_BOUNDS[f]])),
  ),
} as unknown as Record<ClutterParamName, ParamBounds>;

/** Named randomization presets. */
export const CLUTTER_PRESETS = { narrow: NARROW, wide: WIDE } as const;

/**
 * Pick-place-clutter's randomization space: parameters, presets (`wide` when an override names
 * none), validation and the plain per-column draw (`randomization.ts` adds the placement).
 */
export const CLUTTER_SPACE = randomizationSpace({
  names: CLUTTER_PARAM_NAMES,
  bounds: BOUNDS,
  presets: CLUTTER_PRESETS,
  defaultPreset: 'wide',
});

/** Column index of each parameter. */
export const P = CLUTTER_SPACE.P;
