/**
 * The BullMQ queue of generation units: one job per work unit, id `<plan id>-<unit id>` (adding
 * a unit twice is a no-op), retried with exponential backoff up to the plan's `jobAttempts`,
 * then left failed with its error. Finished jobs are kept, so `gripgen status` can report them
 * and a re-enqueued unit stays deduplicated.
 */
import { Queue } from 'bullmq';
import { formatZodError } from '@gripgen/sim-core';
import { z } from 'zod';
import type { GenerationPlan, WorkUnit } from './plan.js';
import { connectionOptions, type QueueUrl } from './queue-url.js';

/** Name of the BullMQ queue of generation units. */
export const GENERATION_QUEUE = 'gripgen-generate';

/** First retry delay of a failed unit (ms); doubled on every further try. */
export const RETRY_DELAY_MS = 1000;

const jobDataSchema = z.strictObject({
  out: z.string().min(1),
  planId: z.string().min(1),
  unit: z.strictObject({
    id: z.string(),
    index: z.number().int().min(0),
    firstAttempt: z.number().int().min(0),
    attempts: z.number().int().min(1),
    source: z.string().min(1),
  }),
});

/** The data of a unit's job. */
export type UnitJobData = z.infer<typeof jobDataSchema>;

/** Validates a job's data; throws naming the bad field, its value and what is allowed. */
export function parseUnitJobData(data: unknown): UnitJobData {
  const parsed = jobDataSchema.safeParse(data);
  if (!parsed.success) throw new Error(`job data: ${formatZodError(parsed.error, { schema: jobDataSchema, input: data })}`);
  return parsed.data;
}

/** What a finished unit job returns (its BullMQ return value). */
export interface UnitJobResult {
  out: string;
  planId: string;
  unitId: string;
  /** The worker that ran this job (`host:pid`). */
  worker: string;
  /** True when this job generated and committed the unit; false when it was committed (or the dataset sealed) already. */
  generated: boolean;
  attempts: number;
  successes: number;
  /** Seconds this job spent generating (0 when it did not). */
  wallSeconds: number;
  /** What the run looked like after this unit: merged by this job, sealed, still waiting for units, extended, or merged by another process. */
  after: 'merged' | 'sealed' | 'pending' | 'extended' | 'busy';
}

/**
 * Opens the generation queue at `url` (close it when done). Connection errors go to `onError`
 * (default: ignored; the connection retries by itself) instead of being printed by BullMQ.
 */
export function openGenerationQueue(url: QueueUrl, onError: (error: Error) => void = () => {}): Queue {
  const queue = new Queue(GENERATION_QUEUE, { connection: connectionOptions(url) });
  queue.on('error', onError);
  return queue;
}

/** The job id of a unit of a plan. */
export const unitJobId = (planId: string, unit: WorkUnit) => `${planId}-${unit.id}`;

/** Adds one job per unit (units already in the queue, in any state, are left as they are). */
export async function enqueueUnits(queue: Queue, plan: GenerationPlan, units: readonly WorkUnit[]): Promise<void> {
  await queue.addBulk(
    units.map((unit) => ({
      name: 'unit',
      data: { out: plan.out, planId: plan.planId, unit } satisfies UnitJobData,
      opts: {
        jobId: unitJobId(plan.planId, unit),
        attempts: plan.jobAttempts,
        backoff: { type: 'exponential', delay: RETRY_DELAY_MS },
        removeOnComplete: false,
        removeOnFail: false,
      },
    })),
  );
}
