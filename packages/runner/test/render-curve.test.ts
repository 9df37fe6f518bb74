/**
 * Rollouts of a curve (`gripgen render --curve`), without Chrome: which policy each (series, N)
 * draws (the lowest seed with a policy file; points without one are reported missing), the
 * report's video section, and writeCurveArtifacts keeping the videos listed in rollouts.json.
 * The frames themselves come from the same renderRolloutVideos that render-cli.test.ts checks.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeCurveSeries, curvePoint } from '../src/curve/analysis.js';
import { writeCurveArtifacts } from '../src/curve/curve-artifacts.js';
import type { CurveReport } from '../src/curve/curve-types.js';
import { renderReportHtml } from '../src/curve/report-html.js';
import { CURVE_ROLLOUTS_FILE, planCurveRollouts, readCurveRollouts } from '../src/render/curve-rollouts.js';
import { gripgenProcess } from './cli-process.js';

function curveReport(): CurveReport {
  const points = [
    [10, 0, 120], [10, 1, 131], [100, 0, 305], [100, 1, 290], [1000, 1, 470],
  ].map(([n, seed, successes]) => curvePoint({ n, seed, successes, trials: 500, trainSeconds: 1, evalSeconds: 2, finalLoss: 0.1 }));
  return {
    schemaVersion: 2,
    variable: { kind: 'trajectories' },
    title: 'pick-place: success vs. trajectories (wide worlds)',
    createdAt: '2026-12-07T00:00:00.000Z',
    config: { task: 'pick-place', evalRandomization: 'wide', evalSeed: 1_000_003 },
    series: [analyzeCurveSeries({ name: 'wide', points })],
    timings: { total: 1 },
    adapter: null,
    machine: { cores: 2 } as CurveReport['machine'],
  } as CurveReport;
}

describe('rollouts of a curve', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gripgen-render-curve-'));
    await mkdir(join(dir, 'runs', 'wide'), { recursive: true });
    // N = 10: seeds 0 and 1 (0 drawn); N = 100: only seed 1's policy kept; N = 1000: none.
    for (const name of ['n10-seed0', 'n10-seed1', 'n100-seed1']) await writeFile(join(dir, 'runs', 'wide', `${name}.policy.json`), '{}');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('draws the lowest seed with a policy file for each N, on the evaluation preset and seed', async () => {
    const { rollouts, missing } = await planCurveRollouts(dir, curveReport(), { worlds: 4, steps: 100, extension: '.mp4' });
    expect(rollouts.map((r) => [r.series, r.n, r.seed, r.policy, r.video])).toEqual([
      ['wide', 10, 0, join('runs', 'wide', 'n10-seed0.policy.json'), join('rollouts', 'wide-n10-seed0.mp4')],
      ['wide', 100, 1, join('runs', 'wide', 'n100-seed1.policy.json'), join('rollouts', 'wide-n100-seed1.mp4')],
    ]);
    expect(rollouts.every((r) => r.task === 'pick-place' && r.preset === 'wide' && r.worldSeed === 1_000_003 && r.worlds === 4 && r.steps === 100)).toBe(true);
    expect(missing).toEqual(['wide N = 1000']);
    await expect(planCurveRollouts(dir, { ...curveReport(), config: {} }, { worlds: 4, steps: 100, extension: '.mp4' })).rejects.toThrow(/config\.task and config\.evalRandomization/);
  });

  it('embeds the videos in report.html, also when the artifacts are written again', async () => {
    const report = curveReport();
    expect(renderReportHtml(report)).not.toContain('<video');
    expect(await readCurveRollouts(dir)).toEqual([]);
    const { rollouts } = await planCurveRollouts(dir, report, { worlds: 4, steps: 100, extension: '.mp4' });
    await writeFile(join(dir, CURVE_ROLLOUTS_FILE), JSON.stringify({ rollouts }));
    const files = await writeCurveArtifacts(dir, report);
    const html = await readFile(files.html, 'utf8');
    expect(html).toContain('<h2>Rollouts</h2>');
    expect(html).toContain(`<video src="${join('rollouts', 'wide-n10-seed0.mp4')}" controls loop muted autoplay playsinline></video>`);
    expect(html).toContain('wide · N = 100 · seed 1');
    expect(html.match(/<video /g)).toHaveLength(2);
  });

  it('answers a bad --curve command line with what is wrong', async () => {
    const mixed = await gripgenProcess(['render', '--curve', dir, '--policy', 'p.json']);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toContain('it takes only --worlds, --steps and --size; got --policy');
    const none = await gripgenProcess(['render', '--curve', join(dir, 'nothing')]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain(`cannot read ${join(dir, 'nothing', 'curve.json')}`);
  });
});
