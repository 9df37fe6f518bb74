/**
 * Property-based tests (fast-check) of the generation config (`parseGenerateConfig`): random
 * valid configs never throw; a config with one bad field always gives an error naming the field
 * and the value given; an unknown field is named with the fields allowed there.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGenerateConfig } from '../src/index.js';
import {
  boolField,
  configWithOneBadField,
  enumField,
  escapeRegExp,
  intField,
  notANumber,
  rangeField,
  setPath,
  thrown,
  validConfig,
  type Field,
} from '../../sim-core/test/config-arbitraries.js';

/** Runs per property: every field several times, well under a second. */
const RUNS = 300;

/** `[low, high]` integers >= 0 with low <= high; refuses low > high, negative or fractional entries, other lengths and types. */
function offsetRangeField(path: string[]): Field {
  const count = fc.integer({ min: 0, max: 1000 });
  return {
    path,
    valid: fc.tuple(count, count).map(([a, b]) => [Math.min(a, b), Math.max(a, b)]),
    invalid: fc.oneof(
      fc.tuple(count, count).filter(([a, b]) => a !== b).map(([a, b]) => [Math.max(a, b), Math.min(a, b)]),
      fc.tuple(fc.integer({ min: -1000, max: -1 }), count),
      fc.tuple(count, fc.double({ min: 0, max: 1000, noNaN: true }).filter((v) => !Number.isInteger(v))),
      fc.array(count, { maxLength: 1 }),
      fc.array(count, { minLength: 3, maxLength: 4 }),
      notANumber.filter((v) => !Array.isArray(v)),
    ),
  };
}

/** The knobs MimicGen sets per subtask, at `prefix` (the top level or `subtasks.<name>`). */
function subtaskKnobFields(prefix: string[]): Field[] {
  return [
    enumField([...prefix, 'selectionStrategy'], ['random', 'nearestNeighborObject', 'nearestNeighborRobotDistance']),
    intField([...prefix, 'nnK'], 1),
    rangeField([...prefix, 'actionNoise'], 0),
    intField([...prefix, 'numInterpolationSteps'], 0),
    intField([...prefix, 'numFixedSteps'], 0),
    boolField([...prefix, 'applyNoiseDuringInterpolation']),
    offsetRangeField([...prefix, 'subtaskTermOffsetRange']),
    {
      path: [...prefix, 'bridgeSpeed'],
      valid: fc.oneof(fc.constant(null), fc.double({ min: 0, minExcluded: true, max: 1, noNaN: true })),
      invalid: fc.oneof(fc.double({ max: 0, noNaN: true }), fc.double({ min: 1, minExcluded: true, noNaN: true }), fc.constantFrom(Number.NaN, Infinity), fc.string(), fc.boolean()),
    },
  ];
}

const GENERATE_FIELDS: Field[] = [
  ...subtaskKnobFields([]),
  ...subtaskKnobFields(['subtasks', 'grasp']),
  ...subtaskKnobFields(['subtasks', 'place']),
  boolField(['selectSrcPerSubtask']),
  boolField(['transformFirstRobotPose']),
  boolField(['interpolateFromLastTargetPose']),
  boolField(['sizeAwareFrames']),
  boolField(['keepFailed']),
  intField(['maxNumFailures'], 0),
  boolField(['guarantee']),
  intField(['numTrials'], 1),
  intField(['maxAttemptSteps'], 1),
];

describe('generation config (parseGenerateConfig)', () => {
  it('accepts every valid config and keeps what it was given', () => {
    fc.assert(
      fc.property(validConfig(GENERATE_FIELDS, []), (config) => {
        const parsed = parseGenerateConfig(config);
        for (const [key, value] of Object.entries(config)) if (key !== 'subtasks') expect(parsed[key as keyof typeof parsed]).toEqual(value);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses a config with one bad field, naming the field and the value given', () => {
    fc.assert(
      fc.property(configWithOneBadField(GENERATE_FIELDS, []), ({ config, path }) => {
        const error = thrown(() => parseGenerateConfig(config));
        expect(error.message).toMatch(new RegExp(`^generate config: invalid field "${escapeRegExp(path)}(\\.\\d+)?": .+; got .+$`, 's'));
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses an unknown field, at the top or in a subtask, naming it and the fields allowed there', () => {
    const known = new Set(GENERATE_FIELDS.flatMap((field) => field.path));
    const key = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !known.has(k) && k !== 'subtasks' && k !== '__proto__');
    fc.assert(
      fc.property(validConfig(GENERATE_FIELDS, []), fc.constantFrom([], ['subtasks', 'grasp']), key, fc.jsonValue(), (config, where, extra, value) => {
        setPath(config, [...where, extra], value);
        const error = thrown(() => parseGenerateConfig(config));
        const place = where.length > 0 ? ` in ${where.join('.')}` : '';
        expect(error.message).toContain(`generate config: unknown field ${JSON.stringify([...where, extra].join('.'))}; allowed${place}: selectionStrategy, nnK, `);
      }),
      { numRuns: RUNS },
    );
  });
});
