/**
 * Property-based tests (fast-check) of what users pass to the Sim: `createSim`'s config, a
 * task's randomization overrides and `step`'s actions. Random valid inputs never throw; random
 * inputs with one bad field always give an error naming that field (for actions: the world).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_NAMES, ACTION_SIZE, createSim, getTask, parseSimConfig, taskIds, type Sim } from '../src/index.js';
import { PICK_PLACE_BOUNDS } from '../src/tasks/pick-place/params.js';
import { configWithOneBadField, enumField, escapeRegExp, intField, notANumber, notAString, positiveField, rangeField, setPath, thrown, tupleFields, validConfig, type Field } from './config-arbitraries.js';

/** Runs per property: enough to hit every field several times, a few seconds per file. */
const RUNS = 200;

const SIM_FIELDS: Field[] = [
  intField(['numWorlds'], 1, 1 << 20),
  { path: ['task'], valid: fc.constantFrom(...taskIds()), invalid: notAString },
  enumField(['backend'], ['auto', 'rapier', 'webgpu', 'mujoco']),
  intField(['seed'], 0, 0xffffffff),
  intField(['threads'], 0, 256),
  intField(['workgroupSize'], 1, 256),
  intField(['contactCapacity'], 1, 4096),
  intField(['movingPairPgsIterations'], 1, 64),
  intField(['worldsPerShard'], 1, 1 << 30),
  enumField(['gpuProgram'], ['task', 'scene']),
  enumField(['actionMode'], ['delta', 'absolute']),
  intField(['maxEpisodeSteps'], 1, 1_000_000),
  positiveField(['physics', 'controlHz'], 1000),
  intField(['physics', 'substeps'], 1, 64),
  intField(['physics', 'solverIterations'], 1, 64),
  intField(['physics', 'pgsIterations'], 1, 64),
  positiveField(['physics', 'contactNaturalFrequency'], 10_000),
  positiveField(['physics', 'allowedLinearError'], 0.01),
  positiveField(['physics', 'predictionDistance'], 0.05),
  positiveField(['mujoco', 'timestep'], 0.1),
  enumField(['mujoco', 'integrator'], ['implicitfast', 'discrete']),
  ...tupleFields(['mujoco', 'contactSolref'], [(p) => positiveField(p, 10), (p) => positiveField(p, 100)]),
  ...tupleFields(['mujoco', 'weldSolimp'], [(p) => rangeField(p, 0, 1), (p) => rangeField(p, 0, 1), (p) => positiveField(p), (p) => rangeField(p, 0, 1), (p) => rangeField(p, 1)]),
  enumField(['mujoco', 'cone'], ['elliptic', 'pyramidal']),
  positiveField(['mujoco', 'impratio'], 1000),
  positiveField(['mujoco', 'controlledBodyMass'], 1000),
  enumField(['mujoco', 'solver'], ['Newton', 'CG', 'PGS']),
  intField(['mujoco', 'iterations'], 1, 1000),
  intField(['mujoco', 'noslipIterations'], 0, 1000),
  intField(['mujoco', 'arenaBytes'], 16 * 1024, 64 * 1024 * 1024),
];

describe('createSim config (parseSimConfig)', () => {
  it('accepts every valid config', () => {
    fc.assert(
      fc.property(validConfig(SIM_FIELDS, ['numWorlds']), (config) => {
        const parsed = parseSimConfig(config);
        expect(parsed.numWorlds).toBe(config.numWorlds);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses a config with one bad field, naming the field', () => {
    fc.assert(
      fc.property(configWithOneBadField(SIM_FIELDS, ['numWorlds']), ({ config, path }) => {
        const error = thrown(() => parseSimConfig(config));
        // The field, what is wrong, and the value given.
        expect(error.message).toMatch(new RegExp(`^  ${escapeRegExp(path)}: .+; got .+$`, 'm'));
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses an unknown key (at the top or in physics / mujoco), naming it and the keys allowed there', () => {
    const known = ['task', 'numWorlds', 'backend', 'seed', 'randomization', 'threads', 'workgroupSize', 'contactCapacity', 'movingPairPgsIterations', 'worldsPerShard', 'gpuProgram', 'gpuFeatures', 'actionMode', 'maxEpisodeSteps', 'physics', 'mujoco'];
    const key = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !known.includes(k) && !SIM_FIELDS.some((f) => f.path.includes(k)) && k !== '__proto__');
    fc.assert(
      fc.property(validConfig(SIM_FIELDS, ['numWorlds']), fc.constantFrom('', 'physics', 'mujoco'), key, fc.jsonValue(), (generated, where, extra, value) => {
        // A copy: fast-check reuses generated values while shrinking.
        const config = structuredClone(generated);
        setPath(config, where ? [where, extra] : [extra], value);
        const error = thrown(() => parseSimConfig(config));
        expect(error.message).toContain(`  ${where || '(config)'}: unknown key ${JSON.stringify(extra)}; allowed: `);
        if (!where) expect(error.message).toContain(`allowed: ${known.join(', ')}`);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('randomization overrides (pick-place)', () => {
  const task = getTask('pick-place');
  const names = Object.keys(PICK_PLACE_BOUNDS) as Array<keyof typeof PICK_PLACE_BOUNDS>;
  const inBounds = (name: keyof typeof PICK_PLACE_BOUNDS) => fc.double({ min: PICK_PLACE_BOUNDS[name][0], max: PICK_PLACE_BOUNDS[name][1], noNaN: true });
  /** A number or a `{ min, max }` range within the parameter's bounds. */
  const validOverride = (name: keyof typeof PICK_PLACE_BOUNDS) =>
    fc.oneof(inBounds(name), fc.tuple(inBounds(name), inBounds(name)).map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) })));
  const validOverrides = fc.record(
    { preset: fc.constantFrom(...Object.keys(task.presets)), ...Object.fromEntries(names.map((name) => [name, validOverride(name)])) },
    { requiredKeys: [] },
  );
  /** A value the parameter must refuse: beyond its bounds, NaN, a range with min > max, another type. */
  const invalidOverride = (name: keyof typeof PICK_PLACE_BOUNDS) => {
    const [lo, hi] = PICK_PLACE_BOUNDS[name];
    const outside = fc.oneof(fc.double({ max: lo, noNaN: true }).filter((v) => v < lo), fc.double({ min: hi, minExcluded: true, noNaN: true }), fc.constant(Number.NaN));
    return fc.oneof(
      outside,
      fc.tuple(outside, inBounds(name)).map(([bad, good]) => ({ min: bad, max: good })),
      fc.tuple(inBounds(name), inBounds(name)).filter(([a, b]) => a !== b).map(([a, b]) => ({ min: Math.max(a, b), max: Math.min(a, b) })),
      notANumber,
    );
  };

  it('accepts every override within the bounds, and draws finite parameters from it', () => {
    const params = new Float32Array(task.paramNames.length);
    fc.assert(
      fc.property(validOverrides, fc.integer({ min: 0, max: 0xffffffff }), (overrides, seed) => {
        const randomization = task.resolveRandomization(overrides);
        task.drawParams(randomization, seed, 0, 0, params, 0);
        expect(params.every(Number.isFinite)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses an override with one bad parameter, naming it', () => {
    const oneBad = fc
      .tuple(validOverrides, fc.constantFrom(...names))
      .chain(([overrides, name]) => invalidOverride(name).map((bad) => ({ overrides: { ...overrides, [name]: bad }, name })));
    fc.assert(
      fc.property(oneBad, ({ overrides, name }) => {
        const error = thrown(() => task.resolveRandomization(overrides));
        expect(error.message).toContain(`randomization.${name}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses an unknown preset or key, naming it and what is allowed', () => {
    const presets = Object.keys(task.presets);
    fc.assert(
      fc.property(fc.string().filter((s) => !presets.includes(s)), (preset) => {
        expect(thrown(() => task.resolveRandomization(preset)).message).toContain(`unknown preset ${JSON.stringify(preset)}; presets: ${presets.join(', ')}`);
        expect(thrown(() => task.resolveRandomization({ preset })).message).toContain('randomization.preset');
      }),
      { numRuns: RUNS },
    );
  });
});

describe('step actions', () => {
  const NUM_WORLDS = 3;
  const LENGTH = NUM_WORLDS * ACTION_SIZE;
  let sim: Sim;
  /** The Sim's step counters (a live view). */
  let stepCount: Uint32Array;
  beforeAll(async () => {
    sim = await createSim({ task: 'pick-place', backend: 'rapier', threads: 0, numWorlds: NUM_WORLDS, seed: 0 });
    stepCount = (await sim.reset()).stepCount;
  });
  afterAll(() => sim.dispose());

  /** Any finite floats, as a Float32Array or a number[]: clipped to the control limits, never refused. */
  const finiteActions = fc
    .array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: LENGTH, maxLength: LENGTH })
    .chain((values) => fc.constantFrom<ArrayLike<number>>(Float32Array.from(values), values));

  it('steps with any finite actions', async () => {
    await fc.assert(
      fc.asyncProperty(finiteActions, async (actions) => {
        const r = await sim.step(actions);
        expect(r.obs.every(Number.isFinite)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses actions of another length, saying the length expected, and steps nothing', async () => {
    const wrongLength = fc.integer({ min: 0, max: 4 * LENGTH }).filter((n) => n !== LENGTH);
    await fc.assert(
      fc.asyncProperty(wrongLength, async (length) => {
        const before = Array.from(stepCount);
        await expect(sim.step(new Float32Array(length))).rejects.toThrow(`step: actions has length ${length}, expected numWorlds · ${ACTION_SIZE} = ${LENGTH}`);
        expect(Array.from(stepCount)).toEqual(before);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses an action with a non-finite or non-number entry, naming the world and the entry, and steps nothing', async () => {
    const bad = fc.oneof(fc.constantFrom(Number.NaN, Infinity, -Infinity), fc.constantFrom(undefined, null, '0.1', true, [0.1], {}));
    await fc.assert(
      fc.asyncProperty(finiteActions, fc.integer({ min: 0, max: LENGTH - 1 }), bad, async (actions, index, value) => {
        const given = Array.from(actions) as unknown[];
        given[index] = value;
        const before = Array.from(stepCount);
        const world = Math.floor(index / ACTION_SIZE);
        const entry = ACTION_NAMES[index % ACTION_SIZE];
        await expect(sim.step(given as number[])).rejects.toThrow(new RegExp(`^step: action of world ${world} has a (non-finite )?${entry} .*; nothing was stepped$`));
        expect(Array.from(stepCount)).toEqual(before);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses actions that are not an array, saying what is expected', async () => {
    const notArray = fc.oneof(fc.constantFrom(undefined, null, {}), fc.double(), fc.string(), fc.boolean());
    await fc.assert(
      fc.asyncProperty(notArray, async (actions) => {
        await expect(sim.step(actions as never)).rejects.toThrow(`step: actions must be an array (Float32Array or number[]) of numWorlds · ${ACTION_SIZE} = ${LENGTH} numbers`);
      }),
      { numRuns: 30 },
    );
  });
});
