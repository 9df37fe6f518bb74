import { openGenerationQueue } from '../queue/generation-queue.js';
import { startGenerationWorker } from '../queue/generation-worker.js';
import { parseQueueUrl } from '../queue/queue-url.js';
import { startSweepWorker } from '../queue/sweep-queue.js';
import { parseCommandArgs, parseIntOption, UsageError } from './options.js';
import { gracefulStop } from './stop-request.js';

/** Usage of `gripgen worker`. */
export const WORKER_USAGE = `Usage: gripgen worker --queue redis://host:port/db [options]

Takes work units of 'gripgen generate --queue' runs from the queue, one at a time, until
stopped: generates each unit's attempts into <out>/.queue/units/<unit> and commits it (once,
whoever finishes first), and seals the dataset when its units are complete. Also takes the
train-and-evaluate runs of 'gripgen curve|coverage --queue' sweeps, one at a time, and writes a
sweep's report when its last run is in. Run any number, on
any machines that see the datasets' directories at the same paths. Progress goes to stderr.
SIGINT/SIGTERM: finish the running unit, then stop (a second signal stops at once; the unit is
then redone by another worker after --lock-duration).

Options:
  --queue <url>             the Redis of the queue (required)
  --name <name>             name shown by gripgen status (default host:pid)
  --lock-duration <ms>      a unit whose worker stops renewing its lock (killed, machine lost)
                            is handed to another worker after about this long (default 30000)
  --stalled-interval <ms>   how often this worker looks for such units (default 30000)
  -h, --help                show this help`;

/** Runs `gripgen worker`. */
export async function workerCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(argv, {
    queue: { type: 'string' },
    name: { type: 'string' },
    'lock-duration': { type: 'string', default: '30000' },
    'stalled-interval': { type: 'string', default: '30000' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${WORKER_USAGE}\n`);
    return 0;
  }
  if (!values.queue) throw new UsageError('--queue redis://host:port/db is required');
  let url;
  try {
    url = parseQueueUrl(values.queue);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const lockDuration = parseIntOption('lock-duration', values['lock-duration'], 1000, 3_600_000);
  const stalledInterval = parseIntOption('stalled-interval', values['stalled-interval'], 500, 3_600_000);
  const signal = gracefulStop();
  const producer = openGenerationQueue(url);
  const log = (line: string) => process.stderr.write(`gripgen worker: ${line}\n`);
  const worker = startGenerationWorker({ queue: url, producer, lockDuration, stalledInterval, log, ...(values.name !== undefined ? { name: values.name } : {}) });
  const sweeps = startSweepWorker({ queue: url, name: worker.opts.name!, lockDuration, stalledInterval, log });
  log(`waiting for units on ${values.queue} as ${worker.opts.name}`);
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  log('stopping: finishing the running unit');
  await Promise.all([worker.close(), sweeps.close()]);
  await producer.close();
  return 0;
}
