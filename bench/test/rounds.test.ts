import { describe, expect, it } from 'vitest';
import { roundPolicy } from '../src/rounds/options.js';
import { median, repeatRounds, stepRounds, summarizeRates } from '../src/rounds/repeat.js';

describe('benchmark rounds', () => {
  it('takes the median and the min–max spread of the rates', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(summarizeRates([900, 700, 800, 1000])).toEqual({ median: 850, min: 700, max: 1000 });
    expect(summarizeRates([])).toEqual({ median: NaN, min: NaN, max: NaN });
  });

  it('steps on a fake clock until the rounds have measured the minimum seconds, then stops', async () => {
    let now = 0;
    let calls = 0;
    // Each step takes 400 ms of the fake clock: a round of ≥ 1 s is 3 steps (1.2 s).
    const step = async () => {
      now += 400;
      calls++;
    };
    const r = await stepRounds(step, 10, { minSeconds: 3, minRounds: 3 }, { clock: () => now });
    expect(r.rounds.map((x) => [x.steps, x.seconds, x.work])).toEqual([
      [3, 1.2, 30],
      [3, 1.2, 30],
      [3, 1.2, 30],
    ]);
    expect(calls).toBe(9);
    expect(r.seconds).toBeCloseTo(3.6);
    expect(r.median).toBeCloseTo(25);
    expect(r.min).toBeCloseTo(25);
    expect(r.max).toBeCloseTo(25);
    // A minimum of 20 steps: 7 per round, though 3 would make the seconds.
    const long = await stepRounds(step, 1, { minSeconds: 3, minRounds: 3 }, { minSteps: 20, clock: () => now });
    expect(long.rounds.map((x) => x.steps)).toEqual([7, 7, 7]);
  });

  it('runs more rounds than the minimum while the seconds are short, and fewer cases once they are done', async () => {
    // Case a's rounds take 0.5 s, b's 2 s: with ≥ 3 s and ≥ 2 rounds, a needs 6 rounds, b 2.
    const seconds: Record<string, number[]> = { a: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], b: [2, 2, 2] };
    const work: Record<string, number[]> = { a: [10, 20, 30, 40, 50, 60, 70], b: [2, 8, 4] };
    const order: string[] = [];
    const rows = await repeatRounds(
      ['a', 'b'],
      async (c, round) => {
        order.push(`${c}${round}`);
        return { seconds: seconds[c]![round]!, work: work[c]![round]! };
      },
      { minSeconds: 3, minRounds: 2 },
    );
    expect(order).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'a3', 'a4', 'a5']);
    const [a, b] = rows;
    expect(a!.rounds.map((r) => r.rate)).toEqual([20, 40, 60, 80, 100, 120]);
    expect(a!.seconds).toBe(3);
    expect([a!.median, a!.min, a!.max]).toEqual([70, 20, 120]);
    expect(b!.rounds.map((r) => r.rate)).toEqual([1, 4]);
    expect([b!.median, b!.min, b!.max]).toEqual([2.5, 1, 4]);
  });

  it('ends a case whose round throws and keeps its earlier rounds', async () => {
    const [row] = await repeatRounds(
      ['x'],
      async (_, round) => {
        if (round === 1) throw new Error('device lost');
        return { seconds: 1, work: 5 };
      },
      { minSeconds: 3, minRounds: 3 },
    );
    expect(row!.error).toBe('device lost');
    expect(row!.rounds.length).toBe(1);
    expect(row!.median).toBe(5);
  });

  it('reads the policy from the options and refuses bad values', () => {
    const defaults = { minSeconds: 3, minRounds: 3 };
    expect(roundPolicy(undefined, undefined, defaults)).toEqual(defaults);
    expect(roundPolicy('0.5', '5', defaults)).toEqual({ minSeconds: 0.5, minRounds: 5 });
    expect(() => roundPolicy('0', undefined, defaults)).toThrow(/--min-seconds must be/);
    expect(() => roundPolicy(undefined, '1.5', defaults, ['--seconds', '--rounds'])).toThrow(/--rounds must be a whole number/);
  });
});
