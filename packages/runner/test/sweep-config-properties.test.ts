/**
 * Property-based tests (fast-check) of the sweep config (`gripgen curve` / `coverage`,
 * `parseSweepConfig`): random valid configs never throw; a config with one bad field — out of
 * range, wrong type, or breaking a rule between fields — always gives an error naming the field
 * and the value given; an unknown key is named with the keys allowed there.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK_EXECUTIONS } from '../src/evaluate/chunk-executor.js';
import { LR_SCHEDULES } from '../src/policy/lr-schedule.js';
import { parseSweepConfig } from '../src/sweep/sweep-config.js';
import {
  configWithOneBadField,
  enumField,
  escapeRegExp,
  intField,
  notANumber,
  notAString,
  positiveField,
  rangeField,
  setPath,
  thrown,
  validConfig,
  type Field,
} from '../../sim-core/test/config-arbitraries.js';

/** Runs per property: every field several times, about a second. */
const RUNS = 300;

const SEED_MAX = 0xffffffff;
const seriesName = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);

/** Training-set sizes: positive integers, strictly increasing. */
function countsField(path: string[]): Field {
  const count = fc.integer({ min: 1, max: 1_000_000 });
  return {
    path,
    valid: fc.uniqueArray(count, { minLength: 1, maxLength: 6 }).map((counts) => counts.sort((a, b) => a - b)),
    invalid: fc.oneof(
      fc.constant([]),
      fc.uniqueArray(count, { minLength: 2, maxLength: 6 }).map((counts) => counts.sort((a, b) => b - a)),
      fc.tuple(count).map(([n]) => [n, n]),
      fc.tuple(fc.integer({ min: -1000, max: 0 })).map(([n]) => [n]),
      fc.tuple(fc.double({ min: 1, max: 1000, noNaN: true }).filter((v) => !Number.isInteger(v))).map(([n]) => [n]),
      notANumber.filter((v) => !Array.isArray(v)),
    ),
  };
}

/** The series: at least one, names of letters, digits, _ and -, unique. */
function seriesField(path: string[]): Field {
  const one = fc.record({ name: seriesName, trainRandomization: fc.string() });
  return {
    path,
    valid: fc.uniqueArray(one, { minLength: 1, maxLength: 3, selector: (s) => s.name }),
    invalid: fc.oneof(
      fc.constant([]),
      one.map((s) => [s, { ...s }]),
      fc.tuple(one, fc.string().filter((name) => !/^[A-Za-z0-9_-]+$/.test(name))).map(([s, name]) => [{ ...s, name }]),
      fc.tuple(one, notAString).map(([s, trainRandomization]) => [{ ...s, trainRandomization }]),
      notANumber.filter((v) => !Array.isArray(v)),
    ),
  };
}

/** Hidden layer widths: positive integers. */
function hiddenField(path: string[]): Field {
  return {
    path,
    valid: fc.array(fc.integer({ min: 1, max: 4096 }), { maxLength: 4 }),
    invalid: fc.oneof(fc.tuple(fc.integer({ min: -100, max: 0 })).map(([n]) => [n]), fc.constant([1.5]), notANumber.filter((v) => !Array.isArray(v))),
  };
}

const SWEEP_FIELDS: Field[] = [
  { path: ['task'], valid: fc.string(), invalid: notAString },
  countsField(['counts']),
  intField(['seeds'], 1),
  seriesField(['series']),
  intField(['evalWorlds'], 1),
  intField(['evalSeed'], 0, SEED_MAX),
  { path: ['evalRandomization'], valid: fc.string(), invalid: notAString },
  intField(['evalSteps'], 1),
  intField(['sourceDemos', 'count'], 1),
  { path: ['sourceDemos', 'randomization'], valid: fc.string(), invalid: notAString },
  intField(['sourceDemos', 'seed'], 0, SEED_MAX),
  intField(['generation', 'seed'], 0, SEED_MAX),
  intField(['generation', 'worlds'], 1),
  { path: ['generation', 'config'], valid: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }), invalid: fc.oneof(fc.double(), fc.string(), fc.constant(null), fc.array(fc.integer())) },
  hiddenField(['policy', 'hidden']),
  intField(['policy', 'chunk'], 1),
  enumField(['policy', 'execution'], CHUNK_EXECUTIONS),
  intField(['training', 'batchSize'], 1),
  positiveField(['training', 'lr']),
  rangeField(['training', 'weightDecay'], 0),
  enumField(['training', 'lrSchedule'], LR_SCHEDULES),
  positiveField(['training', 'epochs']),
  intField(['training', 'minSteps'], 1),
  intField(['training', 'maxSteps'], 1),
  enumField(['trainer'], ['auto', 'cpu', 'webgpu']),
  intField(['trainWorkers'], 1),
  enumField(['backend'], ['auto', 'rapier', 'webgpu', 'mujoco']),
  intField(['threads'], 0),
];

/** The rules between fields, on the config as parsed (defaults filled in): held-out evaluation seed, minSteps <= maxSteps. */
function keepsCrossFieldRules(config: Record<string, unknown>): boolean {
  const get = (path: string[], fallback: number) => (path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], config) as number | undefined) ?? fallback;
  const evalSeed = get(['evalSeed'], 1_000_003);
  return (
    evalSeed !== get(['generation', 'seed'], 1) &&
    evalSeed !== get(['sourceDemos', 'seed'], 0) &&
    get(['training', 'minSteps'], 3000) <= get(['training', 'maxSteps'], 20000)
  );
}

const REQUIRED = ['counts', 'series'];
const validSweep = validConfig(SWEEP_FIELDS, REQUIRED).filter(keepsCrossFieldRules);

/** The message names `path` (or a field inside it) as one of its problems, with the value given. */
function expectNamed(message: string, path: string): void {
  expect(message).toMatch(new RegExp(`(^invalid sweep config: |; )${escapeRegExp(path)}(\\.[\\w]+)*: [^;]+; got `));
}

describe('sweep config (parseSweepConfig)', () => {
  it('accepts every valid config', () => {
    fc.assert(
      fc.property(validSweep, (config) => {
        expect(parseSweepConfig(config).counts).toEqual(config.counts);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses a config with one bad field, naming the field and the value given', () => {
    fc.assert(
      fc.property(configWithOneBadField(SWEEP_FIELDS, REQUIRED).filter(({ config }) => keepsCrossFieldRules(config)), ({ config, path }) => {
        expectNamed(thrown(() => parseSweepConfig(config)).message, path);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses a config that breaks a rule between fields, naming the field', () => {
    const broken = fc.oneof(
      // The evaluation worlds must be held out from generation and source demos.
      fc.tuple(validSweep, fc.constantFrom(['generation', 'seed'], ['sourceDemos', 'seed']), fc.integer({ min: 0, max: SEED_MAX })).map(([config, other, seed]) => {
        setPath(config, other, seed);
        setPath(config, ['evalSeed'], seed);
        return { config, path: 'evalSeed' };
      }),
      fc.tuple(validSweep, fc.integer({ min: 2, max: 100_000 })).chain(([config, minSteps]) =>
        fc.integer({ min: 1, max: minSteps - 1 }).map((maxSteps) => {
          setPath(config, ['training', 'minSteps'], minSteps);
          setPath(config, ['training', 'maxSteps'], maxSteps);
          return { config, path: 'training.minSteps' };
        }),
      ),
    );
    fc.assert(
      fc.property(broken, ({ config, path }) => {
        expectNamed(thrown(() => parseSweepConfig(config)).message, path);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses an unknown key, at the top or in a section, naming it and the keys allowed there', () => {
    const known = new Set([...SWEEP_FIELDS.flatMap((field) => field.path), 'sourceDemos', 'generation', 'policy', 'training']);
    const key = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !known.has(k) && k !== '__proto__');
    fc.assert(
      fc.property(validSweep, fc.constantFrom([], ['training'], ['policy'], ['generation'], ['sourceDemos']), key, fc.jsonValue(), (config, where, extra, value) => {
        setPath(config, [...where, extra], value);
        const message = thrown(() => parseSweepConfig(config)).message;
        expect(message).toContain(`${where.length > 0 ? where.join('.') : '(config)'}: unknown key ${JSON.stringify(extra)}; allowed: `);
      }),
      { numRuns: RUNS },
    );
  });
});
