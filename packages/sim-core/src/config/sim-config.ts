import { z } from 'zod';
import { DEFAULT_PHYSICS } from '../backends/rapier/physics-settings.js';
import { copyMujocoSettings, DEFAULT_MUJOCO } from '../backends/mujoco/mujoco-settings.js';
import { formatZodError } from './errors.js';
import { DEFAULT_TASK_ID } from '../tasks/registry.js';

const int = (min: number, max: number) => z.number().int('must be an integer').min(min).max(max);
/** MuJoCo `solref`: [time constant (s), damping ratio]. */
const solref = z.tuple([z.number().positive().max(10), z.number().positive().max(100)]);
/** MuJoCo `solimp`: [dmin, dmax, width (m), midpoint, power]. */
const solimp = z.tuple([z.number().min(0).max(1), z.number().min(0).max(1), z.number().positive(), z.number().min(0).max(1), z.number().min(1)]);

/** Schema of `createSim` options. Unknown keys are rejected, so a typo names itself. */
export const simConfigSchema = z
  .object({
    /** Registered task id. */
    task: z.string().default(DEFAULT_TASK_ID),
    /** Number of parallel worlds. */
    numWorlds: int(1, 1 << 20),
    /**
     * `rapier` (CPU), `webgpu` (WGSL), `mujoco` (MuJoCo's WebAssembly build, the referee) or
     * `auto` (webgpu on a hardware GPU adapter, else rapier).
     */
    backend: z.enum(['auto', 'rapier', 'webgpu', 'mujoco']).default('auto'),
    /** Base seed (u32) of every random draw. */
    seed: int(0, 0xffffffff).default(0),
    /** Randomization preset name or overrides; validated by the task. */
    randomization: z.unknown().default('wide'),
    /** Worker threads of the rapier and mujoco backends; 0 steps in the calling thread. Default: number of cores. */
    threads: int(0, 256).optional(),
    /**
     * Worlds per workgroup of the webgpu backend's kernels (one invocation per world), 1–256;
     * default 64. A tuning knob for benchmarks; the rapier backend ignores it.
     */
    workgroupSize: int(1, 256).optional(),
    /**
     * Contacts per world the webgpu backend's scene solver keeps, 1–4096; default 64. Contacts
     * beyond it are dropped and the world-step is flagged in `StepResult.overflow`.
     */
    contactCapacity: int(1, 4096).optional(),
    /**
     * Sweeps over the constraint rows per solve that the webgpu backend's scene solver gives a
     * physics step in which a free body touches another free body or a link (a stack, a held
     * object), 1–64; default 4 (`CONTACT_MODEL.movingPairPgsIterations`, which says what fewer
     * cost in physics). Fewer are faster (the solve is most of a step's work) and stack and hold
     * worse. The other backends and pick-place's own kernel ignore it.
     */
    movingPairPgsIterations: int(1, 64).optional(),
    /**
     * Worlds per buffer shard of the webgpu backend's scene solver, 1 or more. By default a batch
     * is split only where a per-world buffer would exceed what one binding or one buffer may hold
     * (`maxStorageBufferBindingSize`, `maxBufferSize`), into shards of a multiple of 256 worlds,
     * each dispatched on its own; results do not depend on the split. Set it to cap buffer sizes.
     */
    worldsPerShard: int(1, 1 << 30).optional(),
    /**
     * Which GPU program steps the worlds on the webgpu backend when the task has its own
     * (`task.gpu`, pick-place): `task`, its hand-written kernel (the default; evaluation stays on
     * the GPU, as `gpuAccess` needs), or `scene`, the scene solver that runs every task. Tasks
     * without their own program always run on the scene solver.
     */
    gpuProgram: z.enum(['task', 'scene']).optional(),
    /**
     * WebGPU features the webgpu backend asks for where the adapter has them, e.g.
     * `timestamp-query` for a benchmark that times kernels (`sim.gpuAccess().device.features`
     * lists those granted); default none. The other backends ignore it.
     */
    gpuFeatures: z.array(z.string()).optional(),
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
        predictionDistance: z.number().positive().max(0.05).default(DEFAULT_PHYSICS.predictionDistance),
      })
      .strict()
      .default(DEFAULT_PHYSICS),
    /**
     * Settings of the mujoco backend (see `MujocoSettings`; the other backends ignore them).
     * Its control rate is `physics.controlHz`; `timestep` sets the MuJoCo steps per control step.
     */
    mujoco: z
      .object({
        timestep: z.number().positive().max(0.1).default(DEFAULT_MUJOCO.timestep),
        integrator: z.enum(['implicitfast', 'discrete']).default(DEFAULT_MUJOCO.integrator),
        contactSolref: solref.default(() => copyMujocoSettings(DEFAULT_MUJOCO).contactSolref),
        contactSolimp: solimp.default(() => copyMujocoSettings(DEFAULT_MUJOCO).contactSolimp),
        weldSolref: solref.default(() => copyMujocoSettings(DEFAULT_MUJOCO).weldSolref),
        weldSolimp: solimp.default(() => copyMujocoSettings(DEFAULT_MUJOCO).weldSolimp),
        cone: z.enum(['elliptic', 'pyramidal']).default(DEFAULT_MUJOCO.cone),
        impratio: z.number().positive().max(1000).default(DEFAULT_MUJOCO.impratio),
        controlledBodyMass: z.number().positive().max(1000).default(DEFAULT_MUJOCO.controlledBodyMass),
        solver: z.enum(['Newton', 'CG', 'PGS']).default(DEFAULT_MUJOCO.solver),
        iterations: int(1, 1000).default(DEFAULT_MUJOCO.iterations),
        noslipIterations: int(0, 1000).default(DEFAULT_MUJOCO.noslipIterations),
        arenaBytes: int(16 * 1024, 64 * 1024 * 1024).default(DEFAULT_MUJOCO.arenaBytes),
      })
      .strict()
      .default(() => copyMujocoSettings(DEFAULT_MUJOCO)),
  })
  .strict();

/** Options accepted by `createSim`. */
export type SimConfigInput = z.input<typeof simConfigSchema>;
/** Options after validation and defaults. */
export type SimConfig = z.output<typeof simConfigSchema>;

/** Validates `createSim` options; throws an error naming each bad field. */
export function parseSimConfig(input: unknown): SimConfig {
  const parsed = simConfigSchema.safeParse(input);
  if (!parsed.success) throw new Error(formatZodError(parsed.error, { schema: simConfigSchema, input }));
  return parsed.data;
}
