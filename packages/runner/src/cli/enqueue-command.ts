import type { SourceDemo } from '@gripgen/trajgen';
import { openGenerationQueue } from '../queue/generation-queue.js';
import { enqueueGeneration, type EnqueueReport } from '../queue/enqueue-generation.js';
import type { GenerationPlan } from '../queue/plan.js';
import { parseQueueUrl } from '../queue/queue-url.js';
import { checkRedisReachable } from '../queue/redis-reachable.js';
import { UsageError } from './options.js';
import { formatKeyValue, formatNumber } from './table.js';

/** What `gripgen generate --queue` was given. */
export interface EnqueueCommandOptions {
  queue: string;
  demos: readonly SourceDemo[];
  out: string;
  seed: number;
  randomization: string | null;
  backend: GenerationPlan['backend'];
  worlds: number;
  threads: number | null;
  config: Record<string, unknown>;
  unitAttempts: number;
  jobAttempts: number;
  json: boolean;
}

/** `gripgen generate --queue --json` output. */
export interface EnqueueJsonReport {
  out: string;
  queue: string;
  planId: string;
  units: number;
  unitAttempts: number;
  target: GenerationPlan['target'];
  resumed: boolean;
  retried: string[];
  sealed: boolean;
}

/** Runs `gripgen generate --queue`: plans and enqueues, prints how to start workers. */
export async function enqueueCommand(options: EnqueueCommandOptions): Promise<number> {
  let url;
  try {
    url = parseQueueUrl(options.queue);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  await checkRedisReachable(url);
  const queue = openGenerationQueue(url);
  let report: EnqueueReport;
  try {
    report = await enqueueGeneration(queue, { ...options, jobAttempts: options.jobAttempts });
  } finally {
    await queue.close();
  }
  const { plan } = report;
  const json: EnqueueJsonReport = {
    out: plan.out,
    queue: options.queue,
    planId: plan.planId,
    units: plan.units.length,
    unitAttempts: plan.unitAttempts,
    target: plan.target,
    resumed: report.resumed,
    retried: report.retried,
    sealed: report.sealed,
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify(json)}\n`);
    return 0;
  }
  const target = plan.target.guarantee ? `${formatNumber(plan.target.count)} successful trajectories` : `${formatNumber(plan.target.count)} attempts`;
  process.stdout.write(
    `${formatKeyValue([
      ['dataset', plan.out],
      ['plan', `${plan.planId}${report.resumed ? ' (there already: missing units re-enqueued)' : ''}`],
      ['target', target],
      ['units', `${formatNumber(plan.units.length)} of ${formatNumber(plan.unitAttempts)} attempts${plan.target.guarantee ? ' (more are added if the successes fall short)' : ''}`],
      ['queue', options.queue],
      ...(report.retried.length > 0 ? [['retried', report.retried.join(', ')] as [string, string]] : []),
      ...(report.sealed ? [['state', 'sealed already: nothing to do'] as [string, string]] : []),
    ])}\n` + (report.sealed ? '' : `Start workers on any machine that sees ${plan.out} at this path:\n  gripgen worker --queue ${options.queue}\nWatch: gripgen status --queue ${options.queue}\n`),
  );
  return 0;
}
