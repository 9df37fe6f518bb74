import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePolicy } from '../src/policy/policy-file.js';
import { gripgenProcess, type CliRun } from './cli-process.js';

/** Runs the gripgen CLI in a child process. */
const gripgen = (...args: string[]) => gripgenProcess(args, { timeoutMs: 280_000 });

/** A sweep small enough for CI: 3 counts × 2 seeds, 24 evaluation worlds of 60 steps, 120 training steps. */
const TINY = [
  '--counts', '4,8,16',
  '--seeds', '2',
  '--eval-worlds', '24',
  '--threads', '1',
  '--config', JSON.stringify({ training: { minSteps: 120, maxSteps: 120 }, generation: { worlds: 32 }, evalSteps: 60, policy: { hidden: [16, 16] }, trainWorkers: 2 }),
];

describe('gripgen curve', () => {
  let out: string;
  let first: CliRun;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'gripgen-curve-'));
    first = await gripgen('curve', '--out', out, '--json', ...TINY);
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('runs demos → generation → training → evaluation → fit and writes every artifact', async () => {
    expect(first.status, first.stderr).toBe(0);
    const printed = JSON.parse(first.stdout);
    const report = JSON.parse(await readFile(join(out, 'curve.json'), 'utf8'));
    expect(printed.files.html).toBe(join(out, 'report.html'));
    expect(report.series).toHaveLength(1);
    const [series] = report.series;
    expect(series.name).toBe('wide'); // the task's evaluation preset (the default)
    expect(series.points.map((p: { n: number; seed: number }) => `${p.n}/${p.seed}`)).toEqual(['4/0', '4/1', '8/0', '8/1', '16/0', '16/1']);
    for (const p of series.points) {
      expect(p.trials).toBe(24);
      expect(p.successRate).toBeCloseTo(p.successes / 24, 12);
      expect(p.wilson.lo).toBeLessThanOrEqual(p.successRate);
      expect(p.wilson.hi).toBeGreaterThanOrEqual(p.successRate);
    }
    expect(series.fit).toMatchObject({ a: expect.any(Number), b: expect.any(Number), n: 6 });
    expect(report.config.trainerUsed.kind).toBe('cpu');
    expect(report.config.evalSeed).not.toBe(report.config.generation.seed);
    expect(report.machine.cores).toBeGreaterThan(0);

    const svg = await readFile(join(out, 'curve.svg'), 'utf8');
    expect(svg.match(/class="point"/g)).toHaveLength(6);
    expect(svg.match(/class="mean"/g)).toHaveLength(3);
    const png = await readFile(join(out, 'curve.png'));
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const csv = (await readFile(join(out, 'curve.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(1 + 6);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=["']https?:/);

    // Every point keeps its policy file, loadable by the viewer and the runner; the default
    // randomization is the task's evaluation preset, wide.
    const runs = await readdir(join(out, 'runs', 'wide'));
    expect(runs.filter((f) => f.endsWith('.policy.json'))).toHaveLength(6);
    const policy = decodePolicy(await readFile(join(out, 'runs', 'wide', 'n16-seed1.policy.json'), 'utf8'));
    expect(policy.spec.hidden).toEqual([16, 16]);
    expect(policy.spec.chunk).toBe(4);
    // The generated gripper commands are ±1, so execution snaps the gripper to those levels.
    expect(policy.binaryActions).toEqual([{ index: 6, low: -1, high: 1 }]);
  });

  it('resumes: a re-run reuses every cached point; a missing or corrupt one is recomputed alone, identically', async () => {
    expect(first.status, first.stderr).toBe(0);
    const again = await gripgen('curve', '--out', out, '--json', ...TINY);
    expect(again.status, again.stderr).toBe(0);
    const before = JSON.parse(first.stdout).series[0].points;
    const after = JSON.parse(again.stdout).series[0].points;
    expect(after).toEqual(before);
    expect(JSON.parse(again.stdout).config.trainerUsed).toBeNull();

    // An interrupted sweep: drop one cached point and corrupt another; only those two are redone.
    await rm(join(out, 'runs', 'wide', 'n8-seed0.json'));
    await writeFile(join(out, 'runs', 'wide', 'n16-seed0.json'), '{"key": "trunc');
    const resumed = await gripgen('curve', '--out', out, ...TINY);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr.match(/\(cached\)/g)).toHaveLength(4);
    expect(resumed.stdout).toContain('report.html');
    const redone = JSON.parse(await readFile(join(out, 'curve.json'), 'utf8')).series[0].points;
    // Training and evaluation are deterministic: recomputed points equal the originals.
    expect(redone.map((p: { successes: number }) => p.successes)).toEqual(before.map((p: { successes: number }) => p.successes));
  });

  it('names the bad option', async () => {
    const r = await gripgen('curve', '--out', out, '--counts', '100,10');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/counts: must be strictly increasing/);
    const bad = await gripgen('curve', '--out', out, '--config', '{"policy":{"execution":"sideways"}}');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/policy\.execution/);
  });
});
