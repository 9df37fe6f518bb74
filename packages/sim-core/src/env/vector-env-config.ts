import { z } from 'zod';
import { formatZodError } from '../config/errors.js';
import { simConfigSchema, type SimConfigInput } from '../config/sim-config.js';

/**
 * Schema of `createVectorEnv` options: every `createSim` option (`numWorlds` is the number of
 * sub-environments) plus `autoresetMode`. Unknown keys are rejected, naming the allowed ones.
 */
export const vectorEnvConfigSchema = simConfigSchema.extend({
  /**
   * Gymnasium's autoreset mode. Only `next-step` (Gymnasium's `AutoresetMode.NEXT_STEP`, its
   * default): the step after an episode ends resets that world, ignoring its action.
   */
  autoresetMode: z.enum(['next-step']).default('next-step'),
});

/** Options accepted by `createVectorEnv`. */
export type VectorEnvConfigInput = SimConfigInput & { autoresetMode?: 'next-step' };

/** Validates `createVectorEnv` options; throws an error naming each bad field, its value and what is allowed. */
export function parseVectorEnvConfig(input: unknown): { sim: SimConfigInput; autoresetMode: 'next-step' } {
  const parsed = vectorEnvConfigSchema.safeParse(input);
  if (!parsed.success) throw new Error(formatZodError(parsed.error, { schema: vectorEnvConfigSchema, input }));
  const { autoresetMode, ...sim } = input as VectorEnvConfigInput;
  return { sim, autoresetMode: parsed.data.autoresetMode };
}
