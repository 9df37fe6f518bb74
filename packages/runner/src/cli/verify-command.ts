import { stat } from 'node:fs/promises';
import { verifyDataset, type DatasetVerification } from '@gripgen/trajgen';
import { parseCommandLine, UsageError } from './options.js';
import { formatNumber } from './table.js';

/** Usage of `gripgen verify`. */
export const VERIFY_USAGE = `Usage: gripgen verify [--json] <dataset>

Checks a dataset completely with the dataset reader: the manifest (fields, shard paths inside
the dataset, counts, attempt ids strictly increasing, in the seed slice and below nextAttempt),
then every shard (size and sha256, every record decoded and checked against the manifest: its
attempt id, the observation and action widths, the record count) and every float value
(finite). Prints one line per problem, or a one-line summary when there is none. An incomplete
dataset (a run that was stopped or is going on) is sound if what it holds is.

Exit status: 0 the dataset is sound, 1 it is not, 2 bad command line.

Options:
  --json        print one JSON object: {dataset, ok, taskId, complete, shards, shardsOk,
                episodes, steps, problems: [{file, shard?, record?, message}]}
  -h, --help    show this help`;

/** `gripgen verify --json` output. */
export interface VerifyReport extends DatasetVerification {
  /** The dataset directory as given on the command line. */
  dataset: string;
}

/** Runs `gripgen verify`: 0 sound, 1 not sound. */
export async function verifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${VERIFY_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'give the dataset directory to verify' : `give exactly one dataset directory, got ${positionals.length}`);
  }
  const dataset = positionals[0];
  await checkIsDirectory(dataset);
  const report: VerifyReport = { dataset, ...(await verifyDataset(dataset)) };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else if (report.ok) {
    process.stdout.write(`${formatSummary(report)}\n`);
  } else {
    process.stdout.write(`${report.problems.map((problem) => problem.message).join('\n')}\n`);
  }
  return report.ok ? 0 : 1;
}

/** `out/data: sound, 7 episodes, 31 steps, 3 of 3 shards OK (pick-place, complete)`. */
function formatSummary(report: VerifyReport): string {
  const state = report.complete ? 'complete' : 'incomplete: run the same generate command to finish it';
  return (
    `${report.dataset}: sound, ${formatNumber(report.episodes)} episodes, ${formatNumber(report.steps)} steps, ` +
    `${report.shardsOk} of ${report.shards} shards OK (${report.taskId}, ${state})`
  );
}

/** A dataset argument that is missing or not a directory is a bad command line. */
export async function checkIsDirectory(path: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`${path} does not exist; give a dataset directory`);
    throw error;
  }
  if (!isDirectory) throw new UsageError(`${path} is a file; give a dataset directory (the one that holds manifest.json)`);
}
