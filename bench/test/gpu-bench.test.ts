import { describe, expect, it } from 'vitest';
import { budgetSkip, estimateSeconds } from '../src/gpu-bench/budget.js';
import { parseGpuBenchArgs, parseWorlds } from '../src/gpu-bench/options.js';
import { measured, refusalLines, tableRow, TABLE_HEADER, unmeasured } from '../src/gpu-bench/report.js';
import { toRounds } from '../src/rounds/repeat.js';

const time = { wallSeconds: 10, hostCpuSeconds: 2.5, hostShare: 0.25 };

describe('bench:gpu', () => {
  it('estimates a row from the same measurement at the last size: the fixed part, then the rest scaled by the worlds', () => {
    const done = [
      { kind: 'step', worlds: 1024, seconds: 5 },
      { kind: 'generation', worlds: 1024, seconds: 12 },
      { kind: 'step', worlds: 8192, seconds: 4 },
    ];
    expect(estimateSeconds(done, 'step', 65536, 3)).toBe(3 + 1 * 8);
    expect(estimateSeconds(done, 'generation', 4096, 3)).toBe(3 + 9 * 4);
    expect(estimateSeconds(done, 'curve', 1024, 0)).toBe(0);
    // A row shorter than the fixed part: it all counts as fixed.
    expect(estimateSeconds([{ kind: 'kernel', worlds: 16, seconds: 2 }], 'kernel', 1024, 3)).toBe(2);
  });

  it('starts a row only while its estimate fits the budget, and names the numbers when it does not', () => {
    expect(budgetSkip(100, 40, 240)).toBeNull();
    expect(budgetSkip(200, 40, 240)).toBeNull();
    expect(budgetSkip(201, 40, 240)).toBe('skipped: budget (201 s spent + 40 s estimated > 240 s)');
    // With no estimate, a row starts while time is left, and not after.
    expect(budgetSkip(239, 0, 240)).toBeNull();
    expect(budgetSkip(240, 0, 240)).toMatch(/^skipped: budget/);
  });

  it('reads the world counts and the defaults of a full and a quick run', () => {
    expect(parseWorlds('256, 1024')).toEqual([256, 1024]);
    expect(() => parseWorlds('256,x')).toThrow('--worlds must be whole numbers ≥ 1, comma-separated, got "256,x"');
    expect(() => parseWorlds('0')).toThrow('--worlds');
    expect(parseGpuBenchArgs([])).toMatchObject({ quick: false, worlds: [1024, 8192, 65536, 262144], budgetSeconds: 240, policy: { minSeconds: 3, minRounds: 3 } });
    expect(parseGpuBenchArgs(['--quick'])).toMatchObject({ quick: true, worlds: [256, 1024], budgetSeconds: 240, policy: { minSeconds: 1 } });
    expect(parseGpuBenchArgs(['--quick', '--worlds', '64', '--budget-seconds', '30', '--min-rounds', '2'])).toMatchObject({ worlds: [64], budgetSeconds: 30, policy: { minSeconds: 1, minRounds: 2 } });
    expect(() => parseGpuBenchArgs(['--budget-seconds', '0'])).toThrow('--budget-seconds must be a number of seconds > 0, got 0');
  });

  it('gives a rate row the median of its rounds (per hour for generation) and the curve its wall seconds', () => {
    const rounds = toRounds([
      { seconds: 1, work: 100 },
      { seconds: 1, work: 300 },
      { seconds: 2, work: 400 },
    ]);
    const step = measured(1024, 'step', rounds, time);
    expect(step).toMatchObject({ status: 'measured', figure: 200, note: null });
    expect(tableRow(step)).toEqual([1024, 'step', '200', '100–300', 3, '10.0', '25 %', '']);
    expect(measured(1024, 'generation', rounds, time).figure).toBe(200 * 3600);
    expect(tableRow(measured(1024, 'generation', rounds, time))[3]).toBe('360,000–1,080,000');
    const curve = measured(1024, 'curve', null, time, { counts: [32, 64] });
    expect(curve).toMatchObject({ figure: 10, rounds: null, detail: { counts: [32, 64] } });
    expect(tableRow(curve)).toEqual([1024, 'curve', '10.0 s', '', '', '10.0', '25 %', '']);
    expect(tableRow(step)).toHaveLength(TABLE_HEADER.length);
  });

  it('prints a refusal once per size below the table, and the skip or n/a in the row', () => {
    const message = 'numWorlds 262144 needs a 256 MiB "cache" buffer …';
    const rows = [unmeasured(262144, 'kernel', 'refused', message), unmeasured(262144, 'step', 'refused', message), unmeasured(1024, 'curve', 'skipped', 'skipped: budget (…)')];
    expect(refusalLines(rows)).toEqual([`refused at 262144 worlds: ${message}`]);
    expect(tableRow(rows[0]!)).toEqual([262144, 'kernel', '-', '', '', '', '', 'refused: GpuBufferLimitError (message below the table)']);
    expect(tableRow(rows[2]!).at(-1)).toBe('skipped: budget (…)');
    expect(JSON.parse(JSON.stringify(rows[0]))).toEqual({ worlds: 262144, measurement: 'kernel', status: 'refused', figure: null, rounds: null, time: null, note: message });
  });
});
