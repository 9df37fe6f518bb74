/**
 * `gripgen curve` for every registered task: the evaluation distribution defaults to the task's
 * own evaluation preset, source demos come from the task's expert in its demo preset, names are
 * checked with the valid ones listed, and a `stack` curve runs end to end at a tiny scale.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTask, taskIds } from '@gripgen/sim-core';
import { openDataset, readSourceDemos } from '@gripgen/trajgen';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepConfigFromArgs } from '../src/cli/sweep-command.js';
import { runSweep } from '../src/sweep/run-sweep.js';
import { parseSweepConfig } from '../src/sweep/sweep-config.js';
import { checkSweepTask, SweepTaskError } from '../src/sweep/sweep-task.js';
import { gripgenProcess, type CliRun } from './cli-process.js';

/** Runs the gripgen CLI in a child process. */
const gripgen = (...args: string[]) => gripgenProcess(args, { timeoutMs: 120_000 });

/** Rejects with the message of what `run` throws (sync or async). */
async function messageOf(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('sweep config for every task (gripgen curve / coverage command line)', () => {
  for (const id of taskIds()) {
    it(`${id}: evaluates on the task's evaluation preset by default, demos in its demo preset`, async () => {
      const task = getTask(id);
      const curve = await sweepConfigFromArgs('curve', ['--task', id, '--out', 'unused']);
      expect(curve.task).toBe(id);
      expect(curve.evalRandomization).toBe(task.defaultPreset);
      expect(curve.series).toEqual([{ name: task.defaultPreset, trainRandomization: task.defaultPreset }]);
      expect(curve.sourceDemos.randomization).toBe(task.demoPreset);
      const coverage = await sweepConfigFromArgs('coverage', ['--task', id, '--out', 'unused', '--quick']);
      expect(coverage.evalRandomization).toBe(task.defaultPreset);
      expect(coverage.series.map((s) => s.trainRandomization)).toEqual([task.demoPreset, task.defaultPreset]);
    });
  }

  it('the built-in tasks evaluate on wide by default; mixed is a named pick-place option', async () => {
    for (const id of ['pick-place', 'pick-place-clutter', 'stack', 'stack-three']) {
      expect((await sweepConfigFromArgs('curve', ['--task', id])).evalRandomization).toBe('wide');
    }
    expect((await sweepConfigFromArgs('curve', [])).evalRandomization).toBe('wide');
    const mixed = await sweepConfigFromArgs('curve', ['--task', 'pick-place', '--randomization', 'mixed']);
    expect(mixed.evalRandomization).toBe('mixed');
    expect(mixed.series).toEqual([{ name: 'mixed', trainRandomization: 'mixed' }]);
  });

  it('takes the task and presets from --config when no option names them; options override it', async () => {
    const config = JSON.stringify({ task: 'stack', evalRandomization: 'narrow', sourceDemos: { count: 3 } });
    const fromFile = await sweepConfigFromArgs('curve', ['--config', config]);
    expect(fromFile).toMatchObject({ task: 'stack', evalRandomization: 'narrow', sourceDemos: { count: 3, randomization: 'narrow' } });
    const overridden = await sweepConfigFromArgs('curve', ['--config', config, '--task', 'stack-three', '--randomization', 'wide']);
    expect(overridden).toMatchObject({ task: 'stack-three', evalRandomization: 'wide', series: [{ name: 'wide', trainRandomization: 'wide' }] });
  });

  it('--history sets the policy observation history over the config one; default 1; out of range refused naming it', async () => {
    expect((await sweepConfigFromArgs('curve', ['--quick'])).policy.history).toBe(1);
    expect((await sweepConfigFromArgs('coverage', ['--quick', '--history', '2'])).policy.history).toBe(2);
    const config = JSON.stringify({ policy: { history: 3, hidden: [32] } });
    expect((await sweepConfigFromArgs('curve', ['--config', config])).policy).toMatchObject({ history: 3, hidden: [32] });
    expect((await sweepConfigFromArgs('curve', ['--config', config, '--history', '2'])).policy).toMatchObject({ history: 2, hidden: [32] });
    await expect(sweepConfigFromArgs('curve', ['--history', '17'])).rejects.toThrow(/--history must be an integer in \[1, 16\], got "17"/);
    await expect(sweepConfigFromArgs('curve', ['--config', JSON.stringify({ policy: { history: 0 } })])).rejects.toThrow(/policy\.history/);
  });

  it('refuses an unknown task or preset, listing the valid names', async () => {
    const tasks = taskIds().join(', ');
    expect(await messageOf(() => sweepConfigFromArgs('curve', ['--task', 'stacks']))).toBe(`--task must be one of ${tasks}; got "stacks"`);
    expect(await messageOf(() => sweepConfigFromArgs('curve', ['--config', '{"task":"stacks"}']))).toBe(
      `--config: task: unknown task "stacks"; registered tasks: ${tasks}`,
    );
    expect(await messageOf(() => sweepConfigFromArgs('curve', ['--task', 'stack', '--randomization', 'mixed']))).toBe(
      '--randomization: task stack has no preset "mixed"; its presets: narrow, d1, wide',
    );
    expect(await messageOf(() => sweepConfigFromArgs('coverage', ['--task', 'stack', '--train', 'narrow,tight']))).toMatch(/^--train: task stack has no preset "tight"; its presets: narrow, d1, wide$/);
    expect(await messageOf(() => sweepConfigFromArgs('curve', ['--task', 'stack', '--config', '{"sourceDemos":{"randomization":"mixd"}}']))).toBe(
      'sourceDemos.randomization: task stack has no preset "mixd"; its presets: narrow, d1, wide',
    );
  });

  it('checkSweepTask names every bad field; runSweep refuses before writing anything', async () => {
    const config = parseSweepConfig({
      task: 'stack',
      counts: [2],
      series: [{ name: 'a', trainRandomization: 'wide' }, { name: 'b', trainRandomization: 'graded' }],
      evalRandomization: 'mixed',
    });
    expect(() => checkSweepTask(config)).toThrow(SweepTaskError);
    expect(await messageOf(() => checkSweepTask(config))).toBe(
      'evalRandomization: task stack has no preset "mixed"; its presets: narrow, d1, wide; ' +
        'series[1].trainRandomization: task stack has no preset "graded"; its presets: narrow, d1, wide',
    );
    expect(checkSweepTask({ ...config, evalRandomization: 'wide', series: [config.series[0]] }).id).toBe('stack');
    expect(await messageOf(() => checkSweepTask({ ...config, task: 'nope' }))).toBe(`task: unknown task "nope"; registered tasks: ${taskIds().join(', ')}`);

    const out = await mkdtemp(join(tmpdir(), 'gripgen-sweep-task-'));
    try {
      await expect(runSweep({ out, config, title: 'refused' })).rejects.toThrow(SweepTaskError);
      expect(await readdir(out)).toEqual([]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

/** The smallest stack curve that still fits three forms: 2 N × 2 seeds, 8 worlds of 40 steps, 40 training steps. */
const TINY_STACK = [
  '--task', 'stack',
  '--counts', '2,4',
  '--seeds', '2',
  '--eval-worlds', '8',
  '--threads', '1',
  '--config',
  JSON.stringify({
    sourceDemos: { count: 2 },
    generation: { worlds: 8 },
    training: { minSteps: 40, maxSteps: 40 },
    evalSteps: 40,
    policy: { hidden: [8] },
    trainWorkers: 1,
  }),
];

describe('gripgen curve --task stack (tiny, rapier)', () => {
  let out: string;
  let run: CliRun;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'gripgen-curve-stack-'));
    run = await gripgen('curve', '--out', out, '--json', ...TINY_STACK);
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it("records stack demos with stack's expert, generates stack trajectories, evaluates on stack's wide worlds", async () => {
    expect(run.status, run.stderr).toBe(0);
    const stack = getTask('stack');
    const report = JSON.parse(await readFile(join(out, 'curve.json'), 'utf8'));
    expect(report.config).toMatchObject({ task: 'stack', evalRandomization: stack.defaultPreset, sourceDemos: { randomization: stack.demoPreset, count: 2 } });
    expect(report.title).toBe('stack: success vs. trajectories (wide worlds)');

    // Source demos: stack's expert in stack's demo preset.
    const demoDirs = await readdir(join(out, 'source-demos'));
    expect(demoDirs).toEqual(['stack-narrow-seed0-n2']);
    const demos = await readSourceDemos(join(out, 'source-demos', demoDirs[0]));
    expect(demos.map((d) => [d.task, d.randomization, d.recordedBy])).toEqual([
      ['stack', 'narrow', 'scripted-expert'],
      ['stack', 'narrow', 'scripted-expert'],
    ]);
    expect(Object.keys(demos[0].objectPoses).sort()).toEqual(['cubeA', 'cubeB']);

    // Generated trajectories: stack's observations, in its wide worlds.
    const [datasetDir] = await readdir(join(out, 'datasets'));
    expect(datasetDir).toMatch(/^wide-[0-9a-f]+-4$/);
    const dataset = await openDataset(join(out, 'datasets', datasetDir));
    expect(dataset.manifest.taskId).toBe('stack');
    expect(dataset.manifest.obsNames).toEqual([...stack.obsNames]);

    // Evaluation: stack's sub-signals, on its evaluation preset.
    const [series] = report.series;
    expect(series.name).toBe(stack.defaultPreset);
    expect(series.points.map((p: { n: number; seed: number }) => `${p.n}/${p.seed}`)).toEqual(['2/0', '2/1', '4/0', '4/1']);
    const record = JSON.parse(await readFile(join(out, 'runs', 'wide', 'n4-seed1.json'), 'utf8'));
    expect(Object.keys(record.evaluation.signalRates).sort()).toEqual([...stack.signalNames].sort());
    expect(record.evaluation.trials).toBe(8);

    // The statistics of the new schema: two seeds give a range, not a 95 % interval.
    expect(series.slope.kind).toBe('seed-range');
    expect(series.forms.fits.map((f: { form: string }) => f.form)).toContain('log-linear');
    expect(series).not.toHaveProperty('slopeInterval');
  });
});
