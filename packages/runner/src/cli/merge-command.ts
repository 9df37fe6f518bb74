import { mergeUnits } from '../queue/merge-units.js';
import { parseCommandLine, UsageError } from './options.js';

/** Usage of `gripgen merge`. */
export const MERGE_USAGE = `Usage: gripgen merge <out> [--json]

Seals the dataset of a 'gripgen generate --queue' run from its committed units (workers do it
themselves after the last unit; run this after a merge was interrupted, or to check). Exit 0
when <out> is sealed (now or before), 1 when units are missing (named) or failed.

Options:
  --json        print one JSON object
  -h, --help    show this help`;

/** Runs `gripgen merge`. */
export async function mergeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } });
  if (values.help) {
    process.stdout.write(`${MERGE_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`give one dataset directory, got ${positionals.length}`);
  const result = await mergeUnits(positionals[0]);
  if (values.json) process.stdout.write(`${JSON.stringify(result.status === 'merged' ? { status: 'merged', units: result.units, counts: result.manifest.counts } : result)}\n`);
  else if (result.status === 'merged') process.stdout.write(`${positionals[0]}: sealed ${result.manifest.counts.episodes} trajectories from ${result.units} units\n`);
  else if (result.status === 'sealed') process.stdout.write(`${positionals[0]}: sealed already\n`);
  else if (result.status === 'busy') process.stderr.write(`gripgen merge: ${result.message}\n`);
  else {
    const s = result.state;
    const why =
      s.kind === 'pending'
        ? `${s.committed} of ${s.total} units committed; waiting for ${s.waitingFor.slice(0, 10).join(', ')}${s.waitingFor.length > 10 ? ', …' : ''} (see gripgen status)`
        : `${s.successes} successes in ${s.attempts} attempts, short of the target: a worker adds units ${s.units[0].id}… when it settles the run`;
    process.stderr.write(`gripgen merge: ${positionals[0]} is not complete: ${why}\n`);
  }
  return result.status === 'merged' || result.status === 'sealed' ? 0 : 1;
}
