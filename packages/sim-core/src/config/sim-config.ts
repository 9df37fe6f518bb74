import { z } from 'zod';
import { DEFAULT_PHYSICS } from '../backends/rapier/physics-settings.js';
import { formatZodError } from './errors.js';

const int = (min: number, max: number) => z.number().int('must be an integer').min(min).max(max);

/** Schema of `createSim` options. Unknown keys are rejected, so a typo names itself. */
export const simConfigSchema = z
  .object({
    /** Registered task id. */
    task: z.string().default('pick-place'),
    /** Number of parallel worlds. */
    numWorlds: int(1, 1 << 20),
    /** `rapier` (CPU), `webgpu` (WGSL) or `auto`. */
    backend: z.enum(['auto', 'rapier', 'webgpu']).default('auto'),
    /** Base seed (u32) of every random draw. */
    seed: int(0, 0xffffffff).default(0),
    /** Randomization preset name or overrides; validated by the task. */
    randomization: z.unknown().default('wide'),
    /** Worker threads of the Rapier backend; 0 steps in the calling thread. Default: number of cores. */
    threads: int(0, 256).optional(),
    /**
     * Worlds per workgroup of the webgpu backend's kernels (one invocation per world), 1–256;
     * default 64. A tuning knob for benchmarks; the rapier backend ignores it.
     */
    workgroupSize: int(1, 256).optional(),
    /** How actions are read: `delta` (default) or `absolute` target poses. */
    actionMode: z.enum(['delta', 'absolute']).default('delta'),
    /** Steps after which an episode is truncated. */
    maxEpisodeSteps: int(1, 1_000_000).default(200),
    /** Physics settings (defaults hold a pinch grasp; change with care). */
    physics: z
      .object({
        controlHz: z.number().positive().max(1000).default(DEFAULT_PHYSICS.controlHz),
        substeps: int(1, 64).default(DEFAULT_PHYSICS.substeps),
        solverIterations: int(1, 64).default(DEFAULT_PHYSICS.solverIterations),
        pgsIterations: int(1, 64).default(DEFAULT_PHYSICS.pgsIterations),
        contactNaturalFrequency: z.number().positive().max(10_000).default(DEFAULT_PHYSICS.contactNaturalFrequency),
        allowedLinearError: z.number().positive().max(0.01).default(DEFAULT_PHYSICS.allowedLinearError),
      })
      .strict()
      .default(DEFAULT_PHYSICS),
  })
  .strict();

/** Options accepted by `createSim`. */
export type SimConfigInput = z.input<typeof simConfigSchema>;
/** Options after validation and defaults. */
export type SimConfig = z.output<typeof simConfigSchema>;

/** Validates `createSim` options; throws an error naming each bad field. */
export function parseSimConfig(input: unknown): SimConfig {
  const parsed = simConfigSchema.safeParse(input);
  if (!parsed.success) throw new Error(formatZodError(parsed.error));
  return parsed.data;
}
