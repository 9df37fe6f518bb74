/**
 * Configuration of a scaling sweep (`gripgen curve`, `gripgen coverage`): which N, how many
 * training seeds, how the data is made, how the policy is trained and evaluated. Validated with
 * zod; an error names the bad field.
 */
import { z } from 'zod';
import { DEFAULT_TASK_ID, zodIssueLines } from '@gripgen/sim-core';
import { CHUNK_EXECUTIONS } from '../evaluate/chunk-executor.js';
import { MAX_HISTORY } from '../policy/mlp.js';
import { LR_SCHEDULES } from '../policy/lr-schedule.js';

const positiveInt = z.number().int().positive();
const seedInt = z.number().int().min(0).max(0xffffffff);

/** One series of a sweep: the randomization its training trajectories are generated with. */
const seriesSchema = z
  .object({
    /** Name shown in charts and used as the cache folder. */
    name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only'),
    /** Randomization of the generated training worlds. */
    trainRandomization: z.string(),
  })
  .strict();

/** zod schema of {@link SweepConfig}. */
export const sweepConfigSchema = z
  .object({
    task: z.string().default(DEFAULT_TASK_ID),
    /**
     * Training-set sizes: each a prefix of the next (nested subsets of one dataset). With
     * `diversity`, exactly one: the N every policy of the coverage law trains on.
     */
    counts: z.array(positiveInt).min(1),
    /**
     * Coverage law (`gripgen coverage --diversity`): numbers of distinct scenes D, increasing,
     * each at most `counts[0]`. For each D the N training trajectories are generated in D
     * randomized worlds only (the worlds of the first D trajectories of the ordinary dataset,
     * reused), and success is fitted against D. Absent: success against N.
     */
    diversity: z.array(positiveInt).min(1).optional(),
    /** Training seeds per N: 0 … seeds − 1. */
    seeds: positiveInt.default(3),
    /** Series (one curve each); `gripgen curve` has one, `gripgen coverage` two. */
    series: z.array(seriesSchema).min(1),
    /** Held-out evaluation worlds per (N, seed) — the same worlds for every policy. */
    evalWorlds: positiveInt.default(1000),
    /** Seed of the evaluation worlds; must differ from `generation.seed` and `sourceDemos.seed`. */
    evalSeed: seedInt.default(1_000_003),
    /** Randomization of the evaluation worlds. */
    evalRandomization: z.string().default('wide'),
    /** Evaluation episode length in control steps. */
    evalSteps: positiveInt.default(200),
    sourceDemos: z
      .object({ count: positiveInt.default(10), randomization: z.string().default('narrow'), seed: seedInt.default(0) })
      .strict()
      .prefault({}),
    generation: z
      .object({
        seed: seedInt.default(1),
        /** Attempts in flight. */
        worlds: positiveInt.default(512),
        /** MimicGen knobs (see trajgen's generate config). */
        config: z.record(z.string(), z.unknown()).default({}),
      })
      .strict()
      .prefault({}),
    policy: z
      .object({
        hidden: z.array(positiveInt).default([128, 128]),
        /**
         * Observation history: the policy reads the current observation and its `history − 1`
         * latest changes (1: the current observation only; see policy/observation-history.ts).
         */
        history: positiveInt.max(MAX_HISTORY).default(1),
        /** Actions predicted per observation. */
        chunk: positiveInt.default(4),
        execution: z.enum(CHUNK_EXECUTIONS as [string, ...string[]]).default('ensemble'),
      })
      .strict()
      .prefault({}),
    training: z
      .object({
        batchSize: positiveInt.default(256),
        lr: z.number().positive().default(1e-3),
        weightDecay: z.number().min(0).default(0),
        /** Learning-rate schedule: cosine decay to 0 over the run, or constant. */
        lrSchedule: z.enum(LR_SCHEDULES).default('cosine'),
        /** Optimizer steps = clamp(epochs × samples / batchSize, minSteps, maxSteps). */
        epochs: z.number().positive().default(20),
        minSteps: positiveInt.default(3000),
        maxSteps: positiveInt.default(20000),
      })
      .strict()
      .prefault({}),
    /**
     * Trainer: `cpu` (plain TS in `trainWorkers` worker threads), `webgpu` (WGSL kernels), or
     * `auto`: webgpu on a hardware GPU adapter, cpu otherwise (on SwiftShader the WGSL trainer
     * measured 0.52–0.58× the TS one; bench/README.md, `npm run bench:train`).
     */
    trainer: z.enum(['auto', 'cpu', 'webgpu']).default('auto'),
    /** Worker threads for cpu training (default: one per core, at most the jobs to run). */
    trainWorkers: positiveInt.optional(),
    /** Backend of generation and evaluation. */
    backend: z.enum(['auto', 'rapier', 'webgpu', 'mujoco']).default('rapier'),
    /** Rapier worker threads (default: one per core). */
    threads: z.number().int().min(0).optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const sorted = [...config.counts].sort((a, b) => a - b);
    if (new Set(sorted).size !== sorted.length || sorted.some((n, i) => n !== config.counts[i])) {
      ctx.addIssue({ code: 'custom', path: ['counts'], message: 'must be strictly increasing' });
    }
    for (const [field, seed] of [['generation', config.generation.seed], ['sourceDemos', config.sourceDemos.seed]] as const) {
      if (seed === config.evalSeed) {
        ctx.addIssue({ code: 'custom', path: ['evalSeed'], message: `must differ from ${field}.seed (${seed}): evaluation worlds are held out` });
      }
    }
    if (config.diversity) {
      if (config.counts.length !== 1) {
        ctx.addIssue({ code: 'custom', path: ['counts'], message: `with diversity, must hold exactly one N (the trajectories every policy trains on), got ${config.counts.length}` });
      }
      const d = config.diversity;
      if (d.some((x, i) => i > 0 && x <= d[i - 1])) ctx.addIssue({ code: 'custom', path: ['diversity'], message: 'must be strictly increasing' });
      const tooMany = d.filter((x) => x > config.counts[0]);
      if (tooMany.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['diversity'],
          message: `every D must be at most N = ${config.counts[0]} (N trajectories cannot come from more than N scenes); got ${tooMany.join(', ')}`,
        });
      }
    }
    const names = config.series.map((s) => s.name);
    if (new Set(names).size !== names.length) ctx.addIssue({ code: 'custom', path: ['series'], message: 'names must be unique' });
    if (config.training.minSteps > config.training.maxSteps) {
      ctx.addIssue({ code: 'custom', path: ['training', 'minSteps'], message: 'must not exceed training.maxSteps' });
    }
  });

/** Input of {@link parseSweepConfig} (defaults filled in). */
export type SweepConfigInput = z.input<typeof sweepConfigSchema>;
/** A validated sweep configuration. */
export type SweepConfig = z.output<typeof sweepConfigSchema>;

/** Validates a sweep configuration; throws an error naming each bad field and the value given (an unknown key: the keys allowed there). */
export function parseSweepConfig(input: unknown): SweepConfig {
  const result = sweepConfigSchema.safeParse(input);
  if (result.success) return result.data;
  throw new Error(`invalid sweep config: ${zodIssueLines(result.error, { schema: sweepConfigSchema, input }).join('; ')}`);
}

/** Optimizer steps for a training set of `samples` (observation, action) pairs. */
export function trainingSteps(config: SweepConfig, samples: number): number {
  const { epochs, batchSize, minSteps, maxSteps } = config.training;
  return Math.min(maxSteps, Math.max(minSteps, Math.round((epochs * samples) / batchSize)));
}

/**
 * Presets of `gripgen curve`. `quick` fits a 2-core CPU machine in minutes (counts 10, 100, 1000;
 * one seed; a small net); `full` is the default protocol (three seeds, 10 … 10,000).
 */
export const CURVE_PRESETS = {
  quick: {
    counts: [10, 100, 1000],
    seeds: 1,
    evalWorlds: 500,
    policy: { hidden: [64, 64] },
    training: { epochs: 20, minSteps: 2000, maxSteps: 6000 },
  },
  full: {
    counts: [10, 30, 100, 300, 1000, 3000, 10000],
    seeds: 3,
    evalWorlds: 1000,
  },
} as const satisfies Record<string, Partial<SweepConfigInput>>;

/**
 * Presets of `gripgen coverage` (narrow- vs wide-trained policies at equal N, both evaluated on
 * wide worlds): the curve presets' nets and training at fewer counts, since every N is trained
 * once per training randomization.
 */
export const COVERAGE_PRESETS = {
  quick: { ...CURVE_PRESETS.quick, counts: [100, 1000] },
  full: { ...CURVE_PRESETS.full, counts: [100, 300, 1000, 3000] },
} as const satisfies Record<CurvePreset, Partial<SweepConfigInput>>;

/**
 * Presets of `gripgen coverage --diversity` (the coverage law: success against the number of
 * distinct scenes D at a fixed N): the curve presets' nets and training, one N. `quick`: N = 100,
 * D = 1, 4, 16, 64, one seed; `full`: N = 1000, D = 1, 4, 16, 64, 256, three seeds.
 */
export const DIVERSITY_PRESETS = {
  quick: { ...CURVE_PRESETS.quick, counts: [100], diversity: [1, 4, 16, 64] },
  full: { ...CURVE_PRESETS.full, counts: [1000], diversity: [1, 4, 16, 64, 256] },
} as const satisfies Record<CurvePreset, Partial<SweepConfigInput>>;

/** Names of the curve presets. */
export type CurvePreset = keyof typeof CURVE_PRESETS;
