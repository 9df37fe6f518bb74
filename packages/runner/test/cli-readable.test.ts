import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { GenerationProgress } from '@gripgen/trajgen';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generationEta } from '../src/cli/generation-eta.js';
import { createProgress } from '../src/cli/progress.js';
import { shellCommand } from '../src/cli/stop-request.js';
import { gripgenChild, gripgenProcess, repoRoot } from './cli-process.js';

/** Issue 18, item 6: a CLI a person can read. */
describe('gripgen CLI, read by a person', () => {
  it('--version and -V print the package version', async () => {
    const { version } = JSON.parse(await readFile(join(repoRoot, 'packages/runner/package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = await gripgenProcess([flag]);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toBe(`gripgen ${version}\n`);
    }
  }, 60_000);

  it('an unknown option lists the command\'s options', async () => {
    const run = await gripgenProcess(['expert', '--wrolds', '4']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown option --wrolds; the options are .*--task, --worlds, --randomization, --backend/);
  }, 60_000);

  it('keeps the GPU drivers\' messages and the SwiftShader notice out of normal output, shows them with --verbose', async () => {
    // An unset XDG_RUNTIME_DIR is what makes libwayland print its line (as on a server or in CI).
    const env = { XDG_RUNTIME_DIR: '' };
    const args = ['expert', '--backend', 'webgpu', '--worlds', '2', '--steps', '3'];
    const [quiet, verbose] = [await gripgenProcess(args, { env }), await gripgenProcess(['--verbose', ...args], { env })];
    expect(quiet.status, quiet.stderr).toBe(0);
    expect(quiet.stdout).toMatch(/^adapter\s+\S/m); // the report still names the adapter
    expect(quiet.stderr).not.toMatch(/XDG_RUNTIME_DIR|Warning:|SwiftShader/);
    expect(verbose.status, verbose.stderr).toBe(0);
    expect(verbose.stderr).toMatch(/XDG_RUNTIME_DIR is invalid or not set/);
    // --backend auto looks for a hardware adapter first (none here: rapier), without Dawn's noise either.
    const auto = await gripgenProcess(['expert', '--worlds', '2', '--steps', '3'], { env });
    expect(auto.status, auto.stderr).toBe(0);
    expect(auto.stderr).not.toMatch(/XDG_RUNTIME_DIR|Warning:|SwiftShader/);
  }, 200_000);

  it('Ctrl-C stops a curve sweep and prints the command that resumes it', async () => {
    const out = await mkdtemp(join(tmpdir(), 'gripgen-curve-int-'));
    try {
      const args = ['curve', '--out', out, '--counts', '4,8', '--seeds', '1', '--eval-worlds', '8', '--threads', '1', '--config', '{"evalSteps": 20}'];
      const run = gripgenChild(args);
      await vi.waitFor(() => expect(run.stderr()).toMatch(/source demos|generate|sweep/), { timeout: 150_000, interval: 200 });
      run.child.kill('SIGINT');
      const ended = await run.ended;
      expect(ended.status).toBe(130);
      expect(ended.stderr).toContain(`gripgen curve: stopped (SIGINT); what is finished is kept — resume with: ${shellCommand(['gripgen', ...args])}\n`);
      expect(await readdir(out)).not.toContain('curve.json');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 200_000);
});

describe('progress off a terminal', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints a line 2 s after the start and every 15 s without one, besides each 10 %', () => {
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (b: Buffer) => lines.push(...b.toString().split('\n').filter(Boolean)));
    const progress = createProgress({ total: 100, label: 'job', stream: stream as unknown as NodeJS.WriteStream });
    for (const [t, done] of [[1000, 0], [2100, 0], [10_000, 0], [17_200, 0], [18_000, 10], [19_000, 11]] as const) {
      now = t;
      progress.update(done, undefined, done === 0 ? 40 : undefined);
    }
    stream.end();
    expect(lines).toEqual([
      'job 0% 0/100 (2.1 s, eta 40.0 s)',
      'job 0% 0/100 (17.2 s, eta 40.0 s)',
      'job 10% 10/100 (18.0 s, eta 162.0 s)',
    ]);
  });
});

describe('generation ETA', () => {
  const report = (p: Partial<GenerationProgress>): GenerationProgress => ({
    attempts: 0, successes: 0, kept: 0, target: 200, guarantee: true, wallSeconds: 0,
    faults: 0, tooLong: 0, objectBelowTable: 0, objectOutsideWorkspace: 0, steps: 0, active: 1024, ...p,
  });

  it('before any attempt ends: the rest of the first round (the longest demo), at the step rate after the first step', () => {
    const eta = generationEta(1024, 70);
    expect(eta(report({ steps: 1, wallSeconds: 5 }))).toBeUndefined(); // start-up in the first step
    // 10 steps in 2 s after the first: 0.2 s a step; 200 successes fit in the first round of 1024 worlds.
    expect(eta(report({ steps: 11, wallSeconds: 7 }))).toBeCloseTo((70 - 11) * 0.2, 9);
    // Past the guessed length with nothing finished: at least 10 % more steps than made so far.
    expect(eta(report({ steps: 101, wallSeconds: 25 }))).toBeCloseTo((1.1 * 101 - 101) * 0.2, 9);
  });

  it('more attempts than worlds: the rounds needed at the observed attempt length and success rate', () => {
    const eta = generationEta(100, 70);
    eta(report({ steps: 1, wallSeconds: 1 }));
    // 200 attempts in 101 steps of 100 worlds: 50.5 steps an attempt; half succeed: 300 more successes need 600 attempts.
    const p = report({ steps: 101, wallSeconds: 11, attempts: 200, successes: 100, kept: 100, target: 400, active: 100 });
    const attemptSteps = (101 * 100) / 200;
    expect(eta(p)).toBeCloseTo((attemptSteps * (200 + 600)) / 100 * 0.1 - 101 * 0.1, 9);
    expect(eta({ ...p, kept: 400 })).toBe(0);
  });

  it('a report from a new run (its steps start again) measures the step rate afresh', () => {
    const eta = generationEta(1024, 70);
    eta(report({ steps: 1, wallSeconds: 1 }));
    eta(report({ steps: 50, wallSeconds: 50 }));
    expect(eta(report({ steps: 1, wallSeconds: 3 }))).toBeUndefined();
    expect(eta(report({ steps: 11, wallSeconds: 5 }))).toBeCloseTo((70 - 11) * 0.2, 9);
  });
});
