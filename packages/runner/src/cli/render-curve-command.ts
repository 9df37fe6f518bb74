import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getTask, taskIds } from '@gripgen/sim-core';
import { makeDirectory, writeFileAtomic } from '@gripgen/trajgen';
import { writeCurveArtifacts } from '../curve/curve-artifacts.js';
import { CURVE_SCHEMA_VERSION, type CurveReport } from '../curve/curve-types.js';
import { variableSymbol } from '../curve/curve-variable.js';
import { CURVE_ROLLOUTS_DIR, CURVE_ROLLOUTS_FILE, planCurveRollouts } from '../render/curve-rollouts.js';
import { checkFfmpeg } from '../render/ffmpeg-video.js';
import { renderRolloutVideos } from '../render/rollout-videos.js';
import { UsageError } from './options.js';
import { createProgress, type Progress } from './progress.js';

/** Control steps of a curve's rollout videos by default (5 s). */
export const CURVE_ROLLOUT_STEPS = 100;
/** Frame size of a curve's rollout videos by default. */
export const CURVE_ROLLOUT_SIZE = '480x360';

/**
 * `gripgen render --curve <dir>`: one .mp4 per series and N of the finished curve in `dir` into
 * `<dir>/rollouts`, listed in `<dir>/rollouts.json`; then rewrites the curve's artifacts so that
 * report.html shows them. Returns the exit code.
 */
export async function renderCurveCommand(dir: string, options: { worlds: number; steps: number; size: [number, number] }): Promise<number> {
  const file = join(dir, 'curve.json');
  let report: CurveReport;
  try {
    report = JSON.parse(await readFile(file, 'utf8')) as CurveReport;
  } catch (error) {
    throw new UsageError(`--curve: cannot read ${file} (a finished gripgen curve or coverage folder has one): ${(error as Error).message}`);
  }
  if (report.schemaVersion !== CURVE_SCHEMA_VERSION) {
    throw new UsageError(`--curve: ${file} has schemaVersion ${JSON.stringify(report.schemaVersion)}, this gripgen writes ${CURVE_SCHEMA_VERSION}: bring it up to date with gripgen curve --reanalyze --out ${dir}, then render`);
  }
  const { rollouts, missing } = await planCurveRollouts(dir, report, { worlds: options.worlds, steps: options.steps, extension: '.mp4' });
  if (rollouts.length === 0) throw new Error(`--curve ${dir}: no policy file under runs/ for any point (${missing.join(', ') || 'the curve has no points'})`);
  const { task, preset } = rollouts[0];
  if (!taskIds().includes(task)) throw new Error(`${file}: config.task "${task}" is not a task here; tasks: ${taskIds().join(', ')}`);
  const presets = Object.keys(getTask(task).presets);
  if (!presets.includes(preset)) throw new Error(`${file}: config.evalRandomization "${preset}" is not a preset of ${task}; presets: ${presets.join(', ')}`);
  if (missing.length > 0) process.stderr.write(`render: no policy file for ${missing.join(', ')}: not drawn\n`);

  const ffmpeg = await checkFfmpeg();
  await makeDirectory(join(dir, CURVE_ROLLOUTS_DIR), 'create the rollouts directory');
  const [width, height] = options.size;
  process.stderr.write(`render: ${rollouts.length} rollouts (${options.worlds} worlds of ${task}, ${preset}, ${options.steps} steps at ${width}x${height}); building the viewer and starting headless Chrome…\n`);
  process.stderr.write(`render: encoding with ${ffmpeg}\n`);
  let progress: Progress | undefined;
  try {
    await renderRolloutVideos(
      rollouts.map((r) => ({ out: join(dir, r.video), task: r.task, preset: r.preset, seed: r.worldSeed, worlds: r.worlds, steps: r.steps, width, height, policyPath: join(dir, r.policy) })),
      {
        onStart: () => (progress ??= createProgress({ total: rollouts.length * options.steps, label: 'render' })),
        onFrame: (step, _job, index) => progress!.update(index * options.steps + step),
      },
    );
  } finally {
    progress?.finish();
  }
  await writeFileAtomic(join(dir, CURVE_ROLLOUTS_FILE), `${JSON.stringify({ rollouts }, null, 2)}\n`);
  const files = await writeCurveArtifacts(dir, report);
  const symbol = variableSymbol(report.variable);
  for (const r of rollouts) process.stdout.write(`wrote ${join(dir, r.video)} (${r.series}, ${symbol} = ${r.n}, policy seed ${r.seed})\n`);
  process.stdout.write(`report: ${files.html}\n`);
  return 0;
}
