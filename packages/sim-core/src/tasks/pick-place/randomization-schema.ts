import { z } from 'zod';
import { PICK_PLACE_GEOMETRY as G, WORKSPACE } from './geometry.js';
import { PICK_PLACE_PARAM_NAMES, PICK_PLACE_PRESETS, type Grade, type PickPlaceParamName, type PickPlaceRandomization, type Range } from './params.js';

/** Physical bounds each randomized parameter must stay within. */
const BOUNDS: Record<(typeof PICK_PLACE_PARAM_NAMES)[number], [number, number, string]> = {
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
};

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

function rangeSchema(name: (typeof PICK_PLACE_PARAM_NAMES)[number]) {
  const [lo, hi, unit] = BOUNDS[name];
  const inBounds = (v: number) => v >= lo && v <= hi;
  const msg = `must lie in [${lo.toFixed(3)}, ${hi.toFixed(3)}]${unit ? ` (${unit})` : ''}`;
  const range = z
    .object({ min: finite.refine(inBounds, msg), max: finite.refine(inBounds, msg) }, { error: 'must be a number or { min, max }' })
    .strict()
    .refine((r) => r.min <= r.max, { message: 'min must not exceed max', path: ['min'] });
  return z.union([finite.refine(inBounds, msg).transform((v): Range => ({ min: v, max: v })), range], {
    error: `must be a number or { min, max }; each ${msg}`,
  });
}

const overridesShape = Object.fromEntries(PICK_PLACE_PARAM_NAMES.map((n) => [n, rangeSchema(n).optional()]));

/** The preset names, from {@link PICK_PLACE_PRESETS}. */
const presetName = z.enum(Object.keys(PICK_PLACE_PRESETS) as [keyof typeof PICK_PLACE_PRESETS, ...(keyof typeof PICK_PLACE_PRESETS)[]]);

const gradeEnd = finite.refine((v) => Math.abs(v) <= 100, 'must lie in [-100, 100]');

/**
 * An explicit grade: the ranges at t = 1 (every parameter) and how t is drawn: `weight` (the
 * probability of t = 1, else 0) or `t` (the range t is drawn from before clamping to [0, 1]).
 */
const gradeSchema = z
  .object({
    to: z.object(Object.fromEntries(PICK_PLACE_PARAM_NAMES.map((n) => [n, rangeSchema(n)]))).strict(),
    weight: z.number().min(0, 'must lie in [0, 1]').max(1, 'must lie in [0, 1]').optional(),
    t: z
      .object({ min: gradeEnd, max: gradeEnd })
      .strict()
      .refine((r) => r.min <= r.max, { message: 'min must not exceed max', path: ['min'] })
      .optional(),
  })
  .strict()
  .refine((g) => (g.weight === undefined) !== (g.t === undefined), { message: 'give exactly one of weight and t' });

/**
 * A pick-place randomization: a preset name, or an object naming a preset (default
 * `wide`) and overriding any parameter with a fixed number or a `{ min, max }` range
 * (in a graded preset, at every grade), and optionally giving an explicit `grade`.
 */
export const pickPlaceRandomizationSchema = z.union([
  presetName,
  z
    .object({ preset: presetName.default('wide'), ...overridesShape, grade: gradeSchema.optional() })
    .strict(),
]);

/** Turns a validated randomization input into the full per-parameter table. */
export function resolvePickPlaceRandomization(input: z.output<typeof pickPlaceRandomizationSchema>): PickPlaceRandomization {
  if (typeof input === 'string') return { ...PICK_PLACE_PRESETS[input] };
  const { preset, grade, ...overrides } = input;
  const base = PICK_PLACE_PRESETS[preset];
  const out: PickPlaceRandomization = { ...base };
  // An override replaces the parameter's distribution in every world, whatever its grade (in the
  // preset's grade; an explicit grade is taken as given).
  const to = base.grade && !grade ? { ...base.grade.to } : undefined;
  for (const [k, v] of Object.entries(overrides)) {
    if (!v) continue;
    out[k as PickPlaceParamName] = v as Range;
    if (to) to[k as PickPlaceParamName] = v as Range;
  }
  if (grade) out.grade = grade as Grade;
  else if (base.grade && to) out.grade = { ...base.grade, to };
  return out;
}
