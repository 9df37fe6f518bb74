/**
 * The coverage law (`gripgen coverage --diversity`): success against the number of distinct
 * scenes D at a fixed N. The command line checks its arguments naming the option and what is
 * allowed; a tiny sweep on rapier trains on datasets whose worlds are exactly D distinct
 * randomization draws, nested across D, and fits the competing forms against D.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTask } from '@gripgen/sim-core';
import { openDataset } from '@gripgen/trajgen';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { coverageCommand, sweepConfigFromArgs } from '../src/cli/sweep-command.js';
import { checkCurveReport } from '../src/curve/curve-schema.js';
import type { CurveReport } from '../src/curve/curve-types.js';
import { parseSweepConfig } from '../src/sweep/sweep-config.js';

/** The message of what `run` throws (sync or async). */
async function messageOf(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('gripgen coverage --diversity: the command line', () => {
  it('defaults: quick N = 100, D = 1, 4, 16, 64; full N = 1000, D up to 256; one series on the evaluation preset', async () => {
    const quick = await sweepConfigFromArgs('coverage', ['--diversity', '1,4,16,64', '--quick']);
    expect(quick).toMatchObject({ counts: [100], diversity: [1, 4, 16, 64], seeds: 1, evalRandomization: 'wide', series: [{ name: 'wide', trainRandomization: 'wide' }] });
    const full = await sweepConfigFromArgs('coverage', ['--diversity', '1,4,16,64,256', '--task', 'stack']);
    expect(full).toMatchObject({ task: 'stack', counts: [1000], diversity: [1, 4, 16, 64, 256], seeds: 3 });
    const withN = await sweepConfigFromArgs('coverage', ['--diversity', '1,8', '--n', '300', '--train', 'narrow,wide']);
    expect(withN).toMatchObject({ counts: [300], diversity: [1, 8], series: [{ name: 'narrow' }, { name: 'wide' }] });
    // Without --diversity, coverage is still narrow vs wide at several N.
    expect((await sweepConfigFromArgs('coverage', ['--quick'])).diversity).toBeUndefined();
  });

  it('refuses bad arguments, naming the option and what is allowed', async () => {
    const coverage = (...args: string[]) => messageOf(() => sweepConfigFromArgs('coverage', args));
    expect(await coverage('--diversity', '1,x,16')).toBe('--diversity must be a comma-separated list of scene counts, integers >= 1 (e.g. 1,4,16,64); got "x" in "1,x,16"');
    expect(await coverage('--diversity', '0,4')).toBe('--diversity must be a comma-separated list of scene counts, integers >= 1 (e.g. 1,4,16,64); got "0" in "0,4"');
    expect(await coverage('--diversity', '4,1')).toBe('--diversity must be strictly increasing; got 4,1');
    expect(await coverage('--diversity', '1,64,256', '--n', '100')).toBe('--diversity: every D must be at most the 100 trajectories each policy trains on (--n); got 256');
    expect(await coverage('--diversity', '1,4', '--n', '0')).toBe('--n must be an integer in [1, 16777216], got "0"');
    expect(await coverage('--diversity', '1,4', '--counts', '10,100')).toBe('--counts: with --diversity every policy trains on one N; give it with --n');
    expect(await coverage('--n', '100')).toBe('--n goes with --diversity (the N of the coverage law); without it, give training-set sizes with --counts');
    expect(await coverage('--diversity', '1,4', '--train', 'narrow,tight', '--task', 'stack')).toBe('--train: task stack has no preset "tight"; its presets: narrow, d1, wide');
    expect(await messageOf(() => sweepConfigFromArgs('curve', ['--diversity', '1,4']))).toBe(
      '--diversity is an option of gripgen coverage (the coverage law); gripgen curve varies N with --counts',
    );
    // The same rules hold for a config file, naming the field.
    expect(await coverage('--config', '{"diversity":[1,4],"counts":[10,100]}')).toMatch(/counts: with diversity, must hold exactly one N \(the trajectories every policy trains on\), got 2/);
    expect(await coverage('--config', '{"diversity":[1,200],"counts":[100]}')).toMatch(/diversity: every D must be at most N = 100 \(N trajectories cannot come from more than N scenes\); got 200/);
    expect(await coverage('--config', '{"diversity":[4,4],"counts":[100]}')).toMatch(/diversity: must be strictly increasing/);
    expect(() => parseSweepConfig({ counts: [8], series: [{ name: 'w', trainRandomization: 'wide' }], diversity: [0] })).toThrow(/diversity\.0/);
  });
});

describe('gripgen coverage --diversity 1,2,4 --n 4: a tiny coverage law on rapier', () => {
  let out: string;
  let report: CurveReport;
  let stdout = '';
  let stderr = '';
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'gripgen-coverage-law-'));
    // The command itself, in this process, its output captured.
    const write = (sink: 'out' | 'err') => (chunk: string | Uint8Array) => {
      const text = typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
      if (sink === 'out') stdout += text;
      else stderr += text;
      return true;
    };
    const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation(write('out'));
    const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation(write('err'));
    try {
      const status = await coverageCommand([
        '--out', out,
        '--diversity', '1,2,4',
        '--n', '4',
        '--seeds', '1',
        '--eval-worlds', '8',
        '--threads', '0',
        '--backend', 'rapier',
        '--config',
        JSON.stringify({
          sourceDemos: { count: 2 },
          generation: { worlds: 8 },
          training: { minSteps: 30, maxSteps: 30 },
          evalSteps: 40,
          policy: { hidden: [8] },
          trainer: 'cpu',
          trainWorkers: 1,
        }),
      ]);
      expect(status).toBe(0);
    } finally {
      outSpy.mockRestore();
      errSpy.mockRestore();
    }
    report = JSON.parse(await readFile(join(out, 'curve.json'), 'utf8'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('trains each D on N = 4 trajectories whose worlds are exactly D distinct randomization draws, nested across D', async () => {
    const task = getTask('pick-place');
    const randomization = task.resolveRandomization('wide');
    const params = new Float32Array(task.paramNames.length);
    const data = (report.config as { data: Record<string, { dataset: string; scenes: number[] }> }).data;
    let previous: number[] = [];
    for (const d of [1, 2, 4]) {
      const entry = data[`wide D=${d}`];
      expect(entry.scenes).toHaveLength(d);
      expect(entry.scenes.slice(0, previous.length)).toEqual(previous);
      previous = entry.scenes;
      const dataset = await openDataset(entry.dataset);
      expect(dataset.count).toBe(4);
      const episodes = await dataset.take(4);
      const draws = new Set(
        episodes.map((e) => {
          expect(entry.scenes).toContain(e.world.episode);
          task.drawParams(randomization, e.world.seed, e.world.episode, e.world.worldId, params, 0);
          return Array.from(params).join(',');
        }),
      );
      expect(draws.size, `D = ${d}`).toBe(d);
    }
  });

  it('reports success against D with the competing forms, in the documented schema', async () => {
    expect(report.title).toBe('pick-place: success vs. distinct scenes D, N = 4 (wide worlds)');
    expect(report.variable).toEqual({ kind: 'scenes', trajectories: 4 });
    expect(stderr).toMatch(/\[3\/3\] wide D=4 seed 0: success/);
    expect(stdout).toMatch(/series\s+D\s+seeds/);
    expect(stdout).toContain('N = 4 per policy; D distinct scenes');
    const [series] = report.series;
    expect(series.name).toBe('wide');
    expect(series.points.map((p) => [p.n, p.seed, p.trials])).toEqual([[1, 0, 8], [2, 0, 8], [4, 0, 8]]);
    expect(series.forms!.fits.map((f) => f.form)).toEqual(['log-linear', 'power-law', 'logistic']);
    expect(series.forms!.fits[0].formula).toBe('s = a + b·log10 D');
    expect(series.slope).toMatchObject({ kind: 'none' }); // one seed: no interval
    expect(() => checkCurveReport(report)).not.toThrow();
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Coverage law: every policy is trained on N = 4 generated trajectories');
    expect(await readFile(join(out, 'curve.svg'), 'utf8')).toContain('distinct scenes D (log scale; N = 4 trajectories each)');
  });
});
