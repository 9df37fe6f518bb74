import { DEFAULT_VALID_FRACTION, exportLerobot, exportRobomimic, ExportTargetExistsError, type ExportOptions, type ExportResult } from '@gripgen/trajgen';
import { parseChoice, parseCommandLine, UsageError } from './options.js';
import { createProgress, type Progress } from './progress.js';
import { checkIsDirectory } from './verify-command.js';

/** The formats `gripgen export` writes. */
export const EXPORT_FORMATS = ['lerobot', 'robomimic'] as const;
type ExportFormat = (typeof EXPORT_FORMATS)[number];

const EXPORTERS: Record<ExportFormat, (dataset: string, options: ExportOptions) => Promise<ExportResult>> = {
  lerobot: exportLerobot,
  robomimic: exportRobomimic,
};

/** Usage of `gripgen export`. */
export const EXPORT_USAGE = `Usage: gripgen export <dataset> --format <name> --out <dir> [options]

Writes a gripgen dataset in a format the field's loaders read:
  lerobot     <dir> as a LeRobot v3.0 dataset: meta/info.json (features, fps, robot type,
              splits), meta/stats.json, meta/tasks.parquet, meta/episodes/chunk-000/file-000.parquet,
              data/chunk-000/file-000.parquet (observation.state, action, next.reward, next.done,
              timestamp, frame_index, episode_index, index, task_index); <dir> must be absent or empty
  robomimic   <dir>/demo.hdf5: data/demo_<i>/{actions, obs/<key>, next_obs/<key>, rewards, dones,
              states}, num_samples per demo, data attrs total and env_args, mask/train and
              mask/valid, and MimicGen's datagen_info, src_demo_inds, src_demo_labels
The observation vector is split into the task's entities (ee_pos, ee_quat, gripper_opening,
cube_pos, …). Episodes keep the dataset's order. A --valid-fraction share of them, evenly spread
(with 0.1: episodes 9, 19, 29, …; no randomness), is the validation split: robomimic's
mask/valid, the split column of LeRobot's episodes table. See packages/trajgen/README.md.

Exit status: 0 written, 1 error (unreadable dataset, existing output), 2 bad command line.

Options:
  --format <name>         ${EXPORT_FORMATS.join(' or ')} (required)
  --out <dir>             output directory (required; created if missing)
  --valid-fraction <f>    fraction of episodes in the validation split, in [0, 1) (default ${DEFAULT_VALID_FRACTION})
  --force                 replace an existing export in <dir>
  --json                  print one JSON object {format, path, episodes, frames, trainEpisodes,
                          validEpisodes, obsKeys} instead of a summary
  -h, --help              show this help`;

/** Runs `gripgen export`. */
export async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    format: { type: 'string' },
    out: { type: 'string' },
    'valid-fraction': { type: 'string', default: String(DEFAULT_VALID_FRACTION) },
    force: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${EXPORT_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'give the dataset directory to export' : `give exactly one dataset directory, got ${positionals.length}: ${positionals.join(' ')}`);
  }
  if (values.format === undefined) throw new UsageError(`--format is required: ${EXPORT_FORMATS.join(' or ')}`);
  const format = parseChoice('format', values.format, EXPORT_FORMATS);
  if (!values.out) throw new UsageError('--out <dir> is required');
  const validFraction = parseFraction('valid-fraction', values['valid-fraction']);
  const dataset = positionals[0];
  await checkIsDirectory(dataset);

  let progress: Progress | null = null;
  let result: ExportResult;
  try {
    result = await EXPORTERS[format](dataset, {
      out: values.out,
      overwrite: values.force,
      validFraction,
      onProgress: (written, total) => {
        if (!values.json) (progress ??= createProgress({ total, label: `export ${format}` })).update(written);
      },
    });
  } catch (error) {
    if (error instanceof ExportTargetExistsError) {
      process.stderr.write(`gripgen export: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    (progress as Progress | null)?.finish();
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ format, ...result })}\n`);
  } else {
    process.stdout.write(
      `wrote ${result.path}: ${result.episodes} episodes, ${result.frames} frames (${result.trainEpisodes} train, ${result.validEpisodes} valid); obs keys ${result.obsKeys.join(', ')}\n`,
    );
  }
  return 0;
}

/** Parses `--name value` as a number in [0, 1); throws a UsageError naming the option. */
function parseFraction(name: string, value: string): number {
  const n = /^\s*\d*\.?\d+(e-?\d+)?\s*$/i.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n < 1)) throw new UsageError(`--${name} must be a number in [0, 1), got "${value}"`);
  return n;
}
