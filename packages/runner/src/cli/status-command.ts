import { openGenerationQueue } from '../queue/generation-queue.js';
import { gatherQueueStatus, type QueueStatus } from '../queue/queue-status.js';
import { parseQueueUrl } from '../queue/queue-url.js';
import { openSweepQueue } from '../queue/sweep-queue.js';
import { checkRedisReachable } from '../queue/redis-reachable.js';
import { parseCommandArgs, UsageError } from './options.js';
import { formatNumber, formatTable } from './table.js';

/** Usage of `gripgen status`. */
export const STATUS_USAGE = `Usage: gripgen status --queue redis://host:port/db [--json]

Shows every queued generation run: units done / running / waiting / failed (with each failed
unit's error), the workers connected now, and trajectories per hour overall and per worker;
and every queued sweep (gripgen curve|coverage --queue): its points done / running / failed.

Options:
  --queue <url>   the Redis of the queue (required)
  --json          print one JSON object
  -h, --help      show this help`;

/** Runs `gripgen status`. */
export async function statusCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(argv, { queue: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } });
  if (values.help) {
    process.stdout.write(`${STATUS_USAGE}\n`);
    return 0;
  }
  if (!values.queue) throw new UsageError('--queue redis://host:port/db is required');
  let url;
  try {
    url = parseQueueUrl(values.queue);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  await checkRedisReachable(url);
  const queue = openGenerationQueue(url);
  const sweepQueue = openSweepQueue(url);
  let status: QueueStatus;
  try {
    status = await gatherQueueStatus(queue, sweepQueue);
  } finally {
    await Promise.all([queue.close(), sweepQueue.close()]);
  }
  process.stdout.write(values.json ? `${JSON.stringify(status)}\n` : formatStatus(status));
  return 0;
}

function formatStatus(status: QueueStatus): string {
  const lines = [`workers alive: ${status.workers.length}${status.workers.length > 0 ? ` (${status.workers.join(', ')})` : ''}`];
  if (status.runs.length === 0 && status.sweeps.length === 0) lines.push('no queued runs');
  for (const run of status.runs) {
    const u = run.units;
    lines.push('', `${run.out} (plan ${run.planId})${run.sealed ? ': sealed' : ''}`);
    lines.push(`  units: ${u.done} done, ${u.running} running, ${u.waiting} waiting, ${u.failed} failed`);
    lines.push(`  trajectories: ${formatNumber(run.trajectories)} generated, ${formatNumber(Math.round(run.trajectoriesPerHour))} / hour overall`);
    for (const r of run.running) lines.push(`  running ${r.unitId}${r.worker ? ` on ${r.worker}` : ''}${r.attempts !== null ? `: ${r.attempts}/${r.total} attempts, ${r.successes} successes` : ''}`);
    for (const f of run.failed) lines.push(`  failed ${f.unitId} after ${f.tries} tries: ${f.error}`);
    if (run.perWorker.length > 0) {
      lines.push(
        formatTable(
          run.perWorker.map((w) => [w.worker, String(w.units), formatNumber(w.trajectories), formatNumber(Math.round(w.trajectoriesPerHour))]),
          { header: ['worker', 'units', 'trajectories', 'trajectories / hour'] },
        )
          .split('\n')
          .map((line) => `  ${line}`)
          .join('\n'),
      );
    }
  }
  for (const sweep of status.sweeps) {
    const p = sweep.points;
    lines.push('', `${sweep.out} (sweep ${sweep.sweepId})${sweep.reported ? ': report written' : ''}`);
    lines.push(`  points: ${p.done} done, ${p.running} running, ${p.waiting} waiting, ${p.failed} failed`);
    for (const f of sweep.failed) lines.push(`  failed ${f.point} after ${f.tries} tries: ${f.error}`);
  }
  return `${lines.join('\n')}\n`;
}
