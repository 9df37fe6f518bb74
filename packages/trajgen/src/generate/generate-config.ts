/**
 * Generation knobs: MimicGen's, under the same names in camelCase. Global knobs have
 * MimicGen's defaults (`mimicgen/configs/config.py`); the per-subtask knobs default to the
 * values of MimicGen's robosuite task configs (nearest-neighbour-object selection with k = 3,
 * action noise 0.05, boundary offsets of 10–20 steps, 5 interpolation steps), which is what
 * its published generation rates used. Each subtask's knobs can be overridden by name.
 */
import { shownInput, valueAt, type SubtaskSpec } from '@gripgen/sim-core';
import { z } from 'zod';

const offsetRange = z
  .tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])
  .refine(([lo, hi]) => lo <= hi, { message: 'must be [low, high] with low <= high' });

/** Knobs that MimicGen sets per subtask. */
const subtaskKnobs = {
  /** How a source demo is chosen: `random`, `nearestNeighborObject`, `nearestNeighborRobotDistance`. */
  selectionStrategy: z.enum(['random', 'nearestNeighborObject', 'nearestNeighborRobotDistance']),
  /** Nearest-neighbour strategies pick uniformly among the `nnK` closest source demos. */
  nnK: z.number().int().positive(),
  /** Std of the Gaussian noise added to each normalized action component (actions in [-1, 1]). */
  actionNoise: z.number().nonnegative(),
  /** Steps interpolating from the last target (or current) pose to the segment's first pose. */
  numInterpolationSteps: z.number().int().nonnegative(),
  /**
   * Fastest motion of the interpolation as a fraction (0–1] of the controller's per-step limits
   * (`CONTROL_LIMITS`): a bridge longer than `numInterpolationSteps` allow at that speed gets
   * the steps it needs. null: MimicGen's fixed count, with which a long bridge asks for more than
   * the controller moves in a step, the robot falls behind the plan and, e.g., opens the gripper
   * before it reaches the place. Not in MimicGen.
   */
  bridgeSpeed: z.number().positive().max(1).nullable(),
  /** Steps holding the segment's first pose after the interpolation. */
  numFixedSteps: z.number().int().nonnegative(),
  /** Add `actionNoise` during interpolation and fixed steps too. */
  applyNoiseDuringInterpolation: z.boolean(),
  /** Random extra steps added to each non-final subtask's end boundary, per attempt and source demo. */
  subtaskTermOffsetRange: offsetRange,
};

const subtaskKnobsSchema = z.object(subtaskKnobs).strict();

/** Schema of a generation config (what `gripgen generate` and `generateTrajectories` accept). */
export const generateConfigSchema = z
  .object({
    selectionStrategy: subtaskKnobs.selectionStrategy.default('nearestNeighborObject'),
    nnK: subtaskKnobs.nnK.default(3),
    actionNoise: subtaskKnobs.actionNoise.default(0.05),
    numInterpolationSteps: subtaskKnobs.numInterpolationSteps.default(5),
    bridgeSpeed: subtaskKnobs.bridgeSpeed.default(null),
    numFixedSteps: subtaskKnobs.numFixedSteps.default(0),
    applyNoiseDuringInterpolation: subtaskKnobs.applyNoiseDuringInterpolation.default(false),
    /** Unset: each subtask's `termOffsetRange` from its task, else {@link MIMICGEN_TERM_OFFSET_RANGE}. */
    subtaskTermOffsetRange: subtaskKnobs.subtaskTermOffsetRange.optional(),
    /** Per-subtask overrides of the knobs above, by subtask name. */
    subtasks: z.record(z.string(), subtaskKnobsSchema.partial()).default({}),
    /** Select a new source demo for every subtask instead of once per attempt. */
    selectSrcPerSubtask: z.boolean().default(false),
    /** Segments of later subtasks also start with the source's robot pose (the first always does). */
    transformFirstRobotPose: z.boolean().default(false),
    /** Interpolate from the previous segment's last target pose instead of the current pose. */
    interpolateFromLastTargetPose: z.boolean().default(true),
    /**
     * Express each subtask's segment relative to its anchor point on the reference object (a
     * face, by the object's size in each world; `SubtaskSpec.anchor`) instead of the object's
     * centre. Off: MimicGen's transform. On: a motion recorded with one object size carries
     * over to another (a place recorded on a 5 cm cube releases at the same height above a 3 cm
     * one). Not in MimicGen; for distributions that vary object sizes.
     */
    sizeAwareFrames: z.boolean().default(false),
    /** Keep failed attempts (written apart from the successes), at most `maxNumFailures`. */
    keepFailed: z.boolean().default(true),
    maxNumFailures: z.number().int().nonnegative().default(50),
    /** With `guarantee`, run until `numTrials` successes; otherwise run `numTrials` attempts. */
    guarantee: z.boolean().default(false),
    numTrials: z.number().int().positive().default(10),
    /** Longest attempt (control steps); longer attempts are cut and count as failed. */
    maxAttemptSteps: z.number().int().positive().default(600),
  })
  .strict();

export type GenerateConfigInput = z.input<typeof generateConfigSchema>;
export type GenerateConfig = z.output<typeof generateConfigSchema>;

/** The knobs of one subtask after overrides. */
export type SubtaskKnobs = z.output<typeof subtaskKnobsSchema>;

/** Validates a config; the error names the bad field, the value given and (for an unknown field) the fields allowed there. */
export function parseGenerateConfig(input: unknown): GenerateConfig {
  const parsed = generateConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const prefix = issue.path.length > 0 ? `${issue.path.join('.')}.` : '';
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => JSON.stringify(`${prefix}${k}`)).join(', ');
      // Strict objects: the config itself and each subtask's overrides.
      const allowed = Object.keys(issue.path.length === 0 ? generateConfigSchema.shape : subtaskKnobs);
      throw new Error(`generate config: unknown field ${keys}; allowed${prefix ? ` in ${prefix.slice(0, -1)}` : ''}: ${allowed.join(', ')}`);
    }
    const given = shownInput(valueAt(input ?? {}, issue.path));
    throw new Error(`generate config: invalid field "${issue.path.join('.') || '(root)'}": ${issue.message}; got ${given}`);
  }
  return parsed.data as GenerateConfig;
}


/** MimicGen's boundary offsets (steps) in its robosuite task configs, made for human demos. */
export const MIMICGEN_TERM_OFFSET_RANGE: readonly [number, number] = [10, 20];

/**
 * The knobs of a subtask: the config's, with that subtask's overrides applied. The boundary
 * offsets come from the subtask's override, else the config's, else the task's
 * `termOffsetRange`, else {@link MIMICGEN_TERM_OFFSET_RANGE}.
 */
export function subtaskKnobsOf(config: GenerateConfig, subtask: string | Pick<SubtaskSpec, 'name' | 'termOffsetRange'>): SubtaskKnobs {
  const { name, termOffsetRange } = typeof subtask === 'string' ? { name: subtask, termOffsetRange: undefined } : subtask;
  const offsets = config.subtasks[name]?.subtaskTermOffsetRange ?? config.subtaskTermOffsetRange ?? termOffsetRange ?? MIMICGEN_TERM_OFFSET_RANGE;
  return {
    selectionStrategy: config.selectionStrategy,
    nnK: config.nnK,
    actionNoise: config.actionNoise,
    numInterpolationSteps: config.numInterpolationSteps,
    bridgeSpeed: config.bridgeSpeed,
    numFixedSteps: config.numFixedSteps,
    applyNoiseDuringInterpolation: config.applyNoiseDuringInterpolation,
    ...config.subtasks[name],
    subtaskTermOffsetRange: [offsets[0], offsets[1]],
  };
}
