import { checkRedisReachable } from '../queue/redis-reachable.js';
import { parseQueueUrl } from '../queue/queue-url.js';
import { enqueueSweep, openSweepQueue, type EnqueueSweepOptions } from '../queue/sweep-queue.js';
import { UsageError } from './options.js';

/** Runs `gripgen curve|coverage … --queue`: makes the data, enqueues the points, says how to start workers. */
export async function enqueueSweepCommand(queueText: string, options: EnqueueSweepOptions, json: boolean): Promise<number> {
  let url;
  try {
    url = parseQueueUrl(queueText);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  await checkRedisReachable(url);
  const queue = openSweepQueue(url);
  try {
    const plan = await enqueueSweep(queue, options);
    if (json) process.stdout.write(`${JSON.stringify({ out: plan.out, queue: queueText, sweepId: plan.sweepId, points: plan.points.length })}\n`);
    else {
      process.stdout.write(
        `${plan.out}: data ready, ${plan.points.length} train-and-evaluate runs enqueued on ${queueText} (sweep ${plan.sweepId}).\n` +
          `Start workers on any machine that sees ${plan.out} at this path:\n  gripgen worker --queue ${queueText}\n` +
          `The last one writes ${plan.out}/report.html; gripgen status --queue ${queueText} shows the runs.\n`,
      );
    }
  } finally {
    await queue.close();
  }
  return 0;
}
