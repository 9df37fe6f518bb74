import { z } from 'zod';
import { formatZodError } from '../config/errors.js';
import { drawRandomization, type Grade, type Randomization, type Range, type Ranges } from './randomization.js';

/** Physical bounds of one parameter: [min, max, unit or reason shown in errors]. */
export type ParamBounds = readonly [number, number, string];

/** What a task declares about its randomized parameters. */
export interface RandomizationSpaceSpec<Name extends string, Preset extends string> {
  /** Parameter names in column order (append only: the position is the PRNG parameter id). */
  names: readonly Name[];
  /** Bounds every range of every parameter must stay within. */
  bounds: Readonly<Record<Name, ParamBounds>>;
  /** Named presets. */
  presets: Readonly<Record<Preset, Randomization<Name>>>;
  /** The preset an override object starts from when it names none. */
  defaultPreset: NoInfer<Preset>;
}

/** A task's randomization: its parameters, presets, validation and the per-world draw. */
export interface RandomizationSpace<Name extends string = string, Preset extends string = string> {
  paramNames: readonly Name[];
  /** Column index of each parameter. */
  P: Readonly<Record<Name, number>>;
  presets: Readonly<Record<Preset, Randomization<Name>>>;
  defaultPreset: Preset;
  /**
   * Resolves and validates a user randomization: a preset name, or an object naming a preset
   * (default `defaultPreset`) and overriding any parameter with a number or `{ min, max }` (in a
   * graded preset, at every grade), optionally with an explicit `grade`. Throws one line per bad
   * field, naming it, its value's problem and what is allowed.
   */
  resolveRandomization(input: unknown): Randomization<Name>;
  /** Draws world `world`'s parameters of episode `episode` into `out` at `offset`. */
  drawParams(randomization: Randomization<Name>, seed: number, episode: number, world: number, out: Float32Array, offset: number): void;
}

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const gradeEnd = finite.refine((v) => Math.abs(v) <= 100, 'must lie in [-100, 100]');

/** A value as an error message shows it (JSON, but NaN and ±Infinity as themselves). */
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

function rangeSchema([lo, hi, unit]: ParamBounds) {
  const inBounds = (v: number) => v >= lo && v <= hi;
  const msg = `must lie in [${lo.toFixed(3)}, ${hi.toFixed(3)}]${unit ? ` (${unit})` : ''}`;
  const range = z
    .object({ min: finite.refine(inBounds, msg), max: finite.refine(inBounds, msg) }, { error: 'must be a number or { min, max }' })
    .strict()
    .refine((r) => r.min <= r.max, { message: 'min must not exceed max', path: ['min'] });
  return z.union([finite.refine(inBounds, msg).transform((v): Range => ({ min: v, max: v })), range], {
    error: (issue) => `got ${shown(issue.input)}; must be a number or { min, max }, each ${msg}`,
  });
}

/** Builds a task's randomization space from its parameter names, bounds and presets. */
export function randomizationSpace<Name extends string, Preset extends string>(
  spec: RandomizationSpaceSpec<Name, Preset>,
): RandomizationSpace<Name, Preset> {
  const { names, bounds, presets, defaultPreset } = spec;
  for (const [preset, r] of Object.entries(presets) as [string, Randomization<Name>][]) {
    for (const n of names) if (!r[n]) throw new Error(`preset "${preset}" has no range for parameter "${n}"`);
  }
  const presetNames = Object.keys(presets) as [Preset, ...Preset[]];
  const presetName = z.enum(presetNames, { error: (issue) => `unknown preset ${JSON.stringify(issue.input)}; presets: ${presetNames.join(', ')}` });
  const overrides = Object.fromEntries(names.map((n) => [n, rangeSchema(bounds[n]).optional()]));
  // An explicit grade: the ranges at t = 1 (every parameter) and how t is drawn: `weight` (the
  // probability of t = 1, else 0) or `t` (the range t is drawn from before clamping to [0, 1]).
  const grade = z
    .object({
      to: z.object(Object.fromEntries(names.map((n) => [n, rangeSchema(bounds[n])]))).strict(),
      weight: z.number().min(0, 'must lie in [0, 1]').max(1, 'must lie in [0, 1]').optional(),
      t: z
        .object({ min: gradeEnd, max: gradeEnd })
        .strict()
        .refine((r) => r.min <= r.max, { message: 'min must not exceed max', path: ['min'] })
        .optional(),
    })
    .strict()
    .refine((g) => (g.weight === undefined) !== (g.t === undefined), { message: 'give exactly one of weight and t' });
  const allowedKeys = ['preset', ...names, 'grade'];
  const overridesSchema = z
    .object({ preset: presetName.default(defaultPreset), ...overrides, grade: grade.optional() })
    .strict();

  const resolve = (input: z.output<typeof overridesSchema>): Randomization<Name> => {
    const { preset, grade: explicitGrade, ...given } = input as { preset: Preset; grade?: Grade<Name> } & Record<string, Range | undefined>;
    const base = presets[preset];
    const out: Randomization<Name> = { ...base };
    // An override replaces the parameter's distribution in every world, whatever its grade (in
    // the preset's grade; an explicit grade is taken as given).
    const to = base.grade && !explicitGrade ? { ...base.grade.to } : undefined;
    for (const [k, v] of Object.entries(given)) {
      if (!v) continue;
      (out as Ranges<Name>)[k as Name] = v;
      if (to) to[k as Name] = v;
    }
    if (explicitGrade) out.grade = explicitGrade;
    else if (base.grade && to) out.grade = { ...base.grade, to };
    return out;
  };

  return {
    paramNames: names,
    P: Object.fromEntries(names.map((n, i) => [n, i])) as Record<Name, number>,
    presets,
    defaultPreset,
    resolveRandomization(input: unknown) {
      // A preset name, or an object of overrides; each checked on its own so an error names the field.
      if (typeof input === 'string') {
        const parsed = presetName.safeParse(input);
        if (!parsed.success) throw new Error(formatZodError(parsed.error, { prefix: 'randomization' }));
        return { ...presets[parsed.data] };
      }
      if (input === null || typeof input !== 'object' || Array.isArray(input)) {
        throw new Error(`Invalid gripgen config:\n  randomization: must be a preset name (${presetNames.join(', ')}) or an object of overrides; got ${JSON.stringify(input)}`);
      }
      const unknown = Object.keys(input).filter((k) => !allowedKeys.includes(k));
      if (unknown.length > 0) {
        throw new Error(`Invalid gripgen config:\n  randomization: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; allowed: ${allowedKeys.join(', ')}`);
      }
      const parsed = overridesSchema.safeParse(input);
      if (!parsed.success) throw new Error(formatZodError(parsed.error, { prefix: 'randomization' }));
      return resolve(parsed.data);
    },
    drawParams: (randomization, seed, episode, world, out, offset) => drawRandomization(names, randomization, seed, episode, world, out, offset),
  };
}
