/**
 * Short rollout videos for a finished curve (`gripgen render --curve <dir>`): for every series and
 * N, the policy trained at the lowest seed (`runs/<series>/n<N>-seed<s>.policy.json`, `d<D>-…` in
 * a coverage law) drawn on the curve's evaluation preset. The list goes to `rollouts.json`, which
 * the report (report.html) embeds whenever it is written.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CurveReport } from '../curve/curve-types.js';

/** The list of a curve's rollout videos, in the curve's folder. */
export const CURVE_ROLLOUTS_FILE = 'rollouts.json';
/** The folder of the videos, in the curve's folder. */
export const CURVE_ROLLOUTS_DIR = 'rollouts';

/** One rollout video of a curve; paths relative to the curve's folder. */
export interface CurveRollout {
  series: string;
  /** The point's N (D in a coverage law). */
  n: number;
  /** The training seed of the policy drawn. */
  seed: number;
  policy: string;
  video: string;
  task: string;
  preset: string;
  /** Seed of the worlds drawn: the curve's evaluation seed (held-out worlds). */
  worldSeed: number;
  worlds: number;
  steps: number;
}

/** What {@link planCurveRollouts} draws each rollout with. */
export interface CurveRolloutOptions {
  worlds: number;
  steps: number;
  /** Video extension, e.g. `.mp4`. */
  extension: string;
}

/**
 * The rollouts of `report` (the curve in `dir`): one per series and N whose policy file exists,
 * the lowest seed's. `missing` lists the (series, N) without any policy file (e.g. a queued
 * sweep's points trained on another machine).
 */
export async function planCurveRollouts(dir: string, report: CurveReport, options: CurveRolloutOptions): Promise<{ rollouts: CurveRollout[]; missing: string[] }> {
  const config = (report.config ?? {}) as { task?: unknown; evalRandomization?: unknown; evalSeed?: unknown };
  if (typeof config.task !== 'string' || typeof config.evalRandomization !== 'string') {
    throw new Error(`${join(dir, 'curve.json')}: config.task and config.evalRandomization name the task and preset to draw; got ${JSON.stringify(config.task)} and ${JSON.stringify(config.evalRandomization)}`);
  }
  const prefix = report.variable?.kind === 'scenes' ? 'd' : 'n';
  const rollouts: CurveRollout[] = [];
  const missing: string[] = [];
  for (const series of report.series) {
    const xs = [...new Set(series.points.map((p) => p.n))].sort((a, b) => a - b);
    for (const n of xs) {
      const seeds = [...new Set(series.points.filter((p) => p.n === n).map((p) => p.seed))].sort((a, b) => a - b);
      let found: number | undefined;
      for (const seed of seeds) {
        if (await exists(join(dir, 'runs', series.name, `${prefix}${n}-seed${seed}.policy.json`))) {
          found = seed;
          break;
        }
      }
      if (found === undefined) {
        missing.push(`${series.name} ${prefix.toUpperCase()} = ${n}`);
        continue;
      }
      rollouts.push({
        series: series.name,
        n,
        seed: found,
        policy: join('runs', series.name, `${prefix}${n}-seed${found}.policy.json`),
        video: join(CURVE_ROLLOUTS_DIR, `${safeName(series.name)}-${prefix}${n}-seed${found}${options.extension}`),
        task: config.task,
        preset: config.evalRandomization,
        worldSeed: typeof config.evalSeed === 'number' ? config.evalSeed : 0,
        worlds: options.worlds,
        steps: options.steps,
      });
    }
  }
  return { rollouts, missing };
}

/** The rollouts listed in `dir`'s {@link CURVE_ROLLOUTS_FILE}; none when it is absent. */
export async function readCurveRollouts(dir: string): Promise<CurveRollout[]> {
  let text: string;
  try {
    text = await readFile(join(dir, CURVE_ROLLOUTS_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const parsed = JSON.parse(text) as { rollouts?: unknown };
  if (!Array.isArray(parsed.rollouts)) throw new Error(`${join(dir, CURVE_ROLLOUTS_FILE)}: "rollouts" must be a list; got ${JSON.stringify(parsed.rollouts)}`);
  return parsed.rollouts as CurveRollout[];
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}
