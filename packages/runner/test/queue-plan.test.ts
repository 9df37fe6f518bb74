/**
 * The queue's plan and URL, without Redis: units cover the attempt space contiguously, a plan
 * grows by the same units whoever grows it, and bad URLs and plans are rejected naming the
 * field, the value given and what is allowed.
 */
import { describe, expect, it } from 'vitest';
import { createGenerationPlan, extensionUnits, makeUnits, parsePlan, type PlanOptions } from '../src/queue/plan.js';
import { parseQueueUrl } from '../src/queue/queue-url.js';

const OPTIONS: PlanOptions = {
  out: '/data/ds',
  task: 'pick-place',
  source: '/data/ds/.queue/source.zip',
  sourceDemoIds: ['a', 'b'],
  seed: 3,
  randomization: null,
  backend: 'rapier',
  worlds: 4,
  threads: 1,
  config: { numTrials: 10, guarantee: true },
  unitAttempts: 4,
  jobAttempts: 3,
};

describe('queue plan', () => {
  it('units are contiguous attempt ranges; without guarantee the last is cut at numTrials', () => {
    const plan = createGenerationPlan(OPTIONS);
    expect(plan.target).toEqual({ guarantee: true, count: 10 });
    expect(plan.units.map((u) => [u.id, u.firstAttempt, u.attempts])).toEqual([
      ['u000000', 0, 4],
      ['u000001', 4, 4],
      ['u000002', 8, 4],
    ]);
    const attempts = createGenerationPlan({ ...OPTIONS, config: { numTrials: 10 } });
    expect(attempts.target).toEqual({ guarantee: false, count: 10 });
    expect(attempts.units.map((u) => [u.firstAttempt, u.attempts])).toEqual([
      [0, 4],
      [4, 4],
      [8, 2],
    ]);
    expect(makeUnits(5, 2, 3, 's').map((u) => u.id)).toEqual(['u000005', 'u000006']);
  });

  it('the plan id depends on what makes the dataset, not on how many tries a unit gets', () => {
    const a = createGenerationPlan(OPTIONS);
    expect(createGenerationPlan({ ...OPTIONS, jobAttempts: 5 }).planId).toBe(a.planId);
    expect(createGenerationPlan({ ...OPTIONS, seed: 4 }).planId).not.toBe(a.planId);
    expect(createGenerationPlan({ ...OPTIONS, unitAttempts: 5 }).planId).not.toBe(a.planId);
  });

  it('grows from the success rate seen, after the last unit, the same units for the same results', () => {
    const plan = createGenerationPlan(OPTIONS);
    // 6 of 12 succeeded, 4 missing: 4 · 12/6 · 1.2 = 9.6 attempts -> 3 units.
    const grown = extensionUnits(plan, 12, 6);
    expect(grown.map((u) => [u.id, u.firstAttempt])).toEqual([
      ['u000003', 12],
      ['u000004', 16],
      ['u000005', 20],
    ]);
    expect(extensionUnits(plan, 12, 6)).toEqual(grown);
    // Nothing succeeded: as many attempts again.
    expect(extensionUnits(plan, 12, 0)).toHaveLength(3);
  });

  it('a bad plan names each field, the value given and what is allowed', () => {
    const plan = createGenerationPlan(OPTIONS);
    expect(() => parsePlan({ ...plan, worlds: 0 }, 'plan.json')).toThrow(/plan\.json: invalid plan:\n\s+worlds: Too small: expected number to be >=1; got 0/);
    expect(() => parsePlan({ ...plan, backend: 'cuda' }, 'plan.json')).toThrow(/backend: Invalid option: expected one of "auto"\|"rapier"\|"webgpu"\|"mujoco"; got "cuda"/);
    expect(() => parsePlan({ ...plan, extra: 1 }, 'plan.json')).toThrow(/unknown key "extra"; allowed: version, planId/);
    expect(() => parsePlan({ ...plan, units: [{ ...plan.units[0], attempts: 0 }] }, 'plan.json')).toThrow(/units\.0\.attempts: Too small: expected number to be >=1; got 0/);
  });
});

describe('--queue URL', () => {
  it('parses redis://[user:password@]host[:port][/db]', () => {
    expect(parseQueueUrl('redis://10.0.0.5:6380/2')).toEqual({ url: 'redis://10.0.0.5:6380/2', host: '10.0.0.5', port: 6380, db: 2 });
    expect(parseQueueUrl('redis://queue')).toMatchObject({ host: 'queue', port: 6379, db: 0 });
    expect(parseQueueUrl('redis://me:p%40ss@h:7/1')).toMatchObject({ username: 'me', password: 'p@ss' });
  });

  it('names the bad part, the value given and what is allowed', () => {
    expect(() => parseQueueUrl('http://h:1/0')).toThrow('scheme must be redis (rediss:// and unix sockets are not supported), got "http"');
    expect(() => parseQueueUrl('redis://h:99999/0')).toThrow('port must be an integer in [1, 65535], got "99999"');
    expect(() => parseQueueUrl('redis://h:1/16')).toThrow('db must be an integer in [0, 15] (the Redis databases), got "16"');
    expect(() => parseQueueUrl('redis://:1/0')).toThrow('host must name a host');
    expect(() => parseQueueUrl('localhost:6379')).toThrow('--queue must be a URL redis://host:port/db, got "localhost:6379"');
  });
});
