/**
 * The plan of a queued generation run: fixed work units over the attempt space of one dataset.
 *
 * Unit k covers attempts [k·U, (k+1)·U) of the run's seed (U = `unitAttempts`); an attempt's
 * world and generation draws depend only on (seed, attempt), so a unit generates the same
 * trajectories on any worker, any number of times. The dataset is then the successes of the
 * attempts in order — the first `count` of them with `--count` — exactly what `gripgen
 * generate` without a queue keeps. With `--count` the number of attempts needed is not known in
 * advance: the plan starts with `count` attempts and, when every unit is committed and the
 * successes fall short, grows by units k+1, k+2, … sized from the success rate seen; the units
 * already planned never change.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { formatZodError } from '@gripgen/sim-core';
import { hashJson, parseGenerateConfig, writeFileAtomic, type JsonValue } from '@gripgen/trajgen';
import { z } from 'zod';

/** Version of `plan.json`. */
export const PLAN_VERSION = 1;

/** The directory of a queued run's bookkeeping inside the dataset directory (readers ignore it). */
export const queueDir = (out: string) => join(resolve(out), '.queue');
/** The plan file of a queued run. */
export const planFile = (out: string) => join(queueDir(out), 'plan.json');
/** The source demos every unit reads (a zip written by `gripgen generate --queue`). */
export const sourceSnapshot = (out: string) => join(queueDir(out), 'source.zip');
/** Where committed units live, one directory per unit id. */
export const unitsDir = (out: string) => join(queueDir(out), 'units');

/** Backends a plan may name. */
export const PLAN_BACKENDS = ['auto', 'rapier', 'webgpu', 'mujoco'] as const;

const workUnitSchema = z.strictObject({
  id: z.string().regex(/^u\d{6,}$/, { error: 'must be u followed by at least 6 digits' }),
  index: z.number().int().min(0),
  firstAttempt: z.number().int().min(0),
  attempts: z.number().int().min(1),
  source: z.string().min(1),
});

/** One unit of work: a contiguous range of attempts, generated from `source`. */
export type WorkUnit = z.infer<typeof workUnitSchema>;

const planSchema = z.strictObject({
  version: z.literal(PLAN_VERSION),
  planId: z.string().min(1),
  out: z.string().min(1),
  task: z.string().min(1),
  sourceDemoIds: z.array(z.union([z.string(), z.number()])).min(1),
  seed: z.number().int().min(0).max(0xffffffff),
  randomization: z.unknown(),
  backend: z.enum(PLAN_BACKENDS),
  worlds: z.number().int().min(1),
  threads: z.number().int().min(0).nullable(),
  config: z.record(z.string(), z.unknown()),
  target: z.strictObject({ guarantee: z.boolean(), count: z.number().int().min(1) }),
  unitAttempts: z.number().int().min(1),
  jobAttempts: z.number().int().min(1).max(100),
  units: z.array(workUnitSchema).min(1),
});

/** A queued generation run (`<out>/.queue/plan.json`). */
export type GenerationPlan = z.infer<typeof planSchema>;

/** What makes a plan: everything but its id, its target (derived from the config) and its units. */
export interface PlanOptions {
  out: string;
  task: string;
  source: string;
  sourceDemoIds: ReadonlyArray<string | number>;
  seed: number;
  /** Randomization preset or object; null for the task's evaluation preset. */
  randomization: unknown;
  backend: GenerationPlan['backend'];
  worlds: number;
  threads: number | null;
  /** MimicGen knobs as `gripgen generate --config` takes them (numTrials/guarantee included). */
  config: Record<string, unknown>;
  /** Attempts per unit. */
  unitAttempts: number;
  /** Tries per unit before it is reported failed (BullMQ `attempts`). */
  jobAttempts: number;
}

/** The id of unit `index` (`u000000`, `u000001`, …; sorts in unit order). */
export const unitId = (index: number) => `u${String(index).padStart(6, '0')}`;

/** `count` units of `unitAttempts` attempts from unit `firstIndex` on, the last one cut at `endAttempt` if given. */
export function makeUnits(firstIndex: number, count: number, unitAttempts: number, source: string, endAttempt = Infinity): WorkUnit[] {
  const units: WorkUnit[] = [];
  for (let index = firstIndex; index < firstIndex + count; index++) {
    const firstAttempt = index * unitAttempts;
    const attempts = Math.min(unitAttempts, endAttempt - firstAttempt);
    if (attempts <= 0) break;
    units.push({ id: unitId(index), index, firstAttempt, attempts, source });
  }
  return units;
}

/**
 * Plans a queued run: the target (numTrials successes with `guarantee`, else numTrials attempts)
 * and the first units (enough attempts for the target if every attempt succeeded).
 */
export function createGenerationPlan(options: PlanOptions): GenerationPlan {
  const parsed = parseGenerateConfig(options.config);
  const target = { guarantee: parsed.guarantee, count: parsed.numTrials };
  const out = resolve(options.out);
  const identity = {
    out,
    task: options.task,
    sourceDemoIds: [...options.sourceDemoIds],
    seed: options.seed,
    randomization: (options.randomization ?? null) as JsonValue,
    backend: options.backend,
    worlds: options.worlds,
    threads: options.threads,
    config: options.config as JsonValue,
    unitAttempts: options.unitAttempts,
  };
  const planId = hashJson(identity as JsonValue).slice('sha256:'.length, 'sha256:'.length + 16);
  const unitCount = Math.ceil(target.count / options.unitAttempts);
  const units = makeUnits(0, unitCount, options.unitAttempts, resolve(options.source), target.guarantee ? Infinity : target.count);
  return parsePlan({ version: PLAN_VERSION, planId, ...identity, randomization: options.randomization ?? null, target, jobAttempts: options.jobAttempts, units }, 'plan');
}

/** Validates a plan (e.g. read from disk); throws an Error naming each bad field, its value and what is allowed. */
export function parsePlan(value: unknown, where: string): GenerationPlan {
  const parsed = planSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${where}: ${formatZodError(parsed.error, { schema: planSchema, input: value }).replace(/^Invalid gripgen config:\n/, 'invalid plan:\n')}`);
  return parsed.data;
}

/** Reads `<out>/.queue/plan.json`; a missing file says that `out` holds no queued run. */
export async function readPlan(out: string): Promise<GenerationPlan> {
  const file = planFile(out);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${resolve(out)} holds no queued generation (no ${file}); start one with gripgen generate --queue`);
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON: ${(error as Error).message}`);
  }
  return parsePlan(json, file);
}

/** Writes the plan atomically (the same plan gives the same bytes). */
export async function writePlan(plan: GenerationPlan): Promise<void> {
  await mkdir(unitsDir(plan.out), { recursive: true });
  await writeFileAtomic(planFile(plan.out), `${JSON.stringify(plan, null, 2)}\n`);
}

/**
 * The units to add when every unit is committed and `successes` of `attempts` fall short of the
 * target: enough for the missing successes at the rate seen plus a fifth (at least one unit, at
 * most as many attempts again as so far when nothing succeeded). A function of the committed
 * results only, so two workers that extend at once add the same units.
 */
export function extensionUnits(plan: GenerationPlan, attempts: number, successes: number): WorkUnit[] {
  const missing = plan.target.count - successes;
  const last = plan.units[plan.units.length - 1];
  const needed = successes > 0 ? Math.ceil(((missing * attempts) / successes) * 1.2) : attempts;
  const count = Math.max(1, Math.ceil(needed / plan.unitAttempts));
  return makeUnits(last.index + 1, count, plan.unitAttempts, last.source);
}
