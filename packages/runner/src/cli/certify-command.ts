import { certifyDataset, openDataset, type CertificationReport } from '@gripgen/trajgen';
import { describeMachine, formatMachine, type MachineDescription } from './machine.js';
import { parseChoice, parseCommandLine, parseIntOption, UsageError } from './options.js';
import { createProgress, type Progress } from './progress.js';
import { formatKeyValue, formatNumber } from './table.js';

/** Engines a dataset can be certified on. */
const ENGINES = ['rapier', 'webgpu', 'mujoco'] as const;

/** Usage of `gripgen certify`. */
export const CERTIFY_USAGE = `Usage: gripgen certify --on <engine> <dataset>

Replays every trajectory of a dataset on another physics engine — its recorded actions, from its
world key, with the task, seed and randomization the manifest records — and reports the fraction
that still succeeds and how far the final poses moved (cube position and orientation, end
effector, before the last step; median and 95th percentile).

Options:
  --on <engine>       rapier, webgpu or mujoco (required)
  --limit <n>         replay only the first n trajectories (default: all)
  --worlds <n>        trajectories replayed at once (default 256)
  --threads <n>       Rapier worker threads (default: one per core)
  --json              print one JSON object (the report, per-trajectory results included)
  -h, --help          show this help`;

/** `gripgen certify --json` output. */
export interface CertifyReport extends CertificationReport {
  dataset: string;
  machine: MachineDescription;
}

/** Runs `gripgen certify`. */
export async function certifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    on: { type: 'string' },
    limit: { type: 'string' },
    worlds: { type: 'string', default: '256' },
    threads: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${CERTIFY_USAGE}\n`);
    return 0;
  }
  if (!values.on) throw new UsageError('--on <engine> is required (rapier, webgpu or mujoco)');
  if (positionals.length !== 1) throw new UsageError('give exactly one dataset directory');
  const backend = parseChoice('on', values.on, ENGINES);
  const dataset = await openDataset(positionals[0]);
  let progress: Progress | undefined;
  const report = await certifyDataset(dataset, {
    backend,
    worlds: parseIntOption('worlds', values.worlds, 1, 1 << 20),
    ...(values.limit !== undefined ? { limit: parseIntOption('limit', values.limit, 1, Number.MAX_SAFE_INTEGER) } : {}),
    ...(values.threads !== undefined ? { threads: parseIntOption('threads', values.threads, 0, 256) } : {}),
    onProgress: values.json
      ? undefined
      : (done, total) => {
          progress ??= createProgress({ total, label: `certify on ${backend}` });
          progress.update(done, '');
        },
  });
  progress?.finish();
  const out: CertifyReport = { ...report, dataset: positionals[0], machine: describeMachine() };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return 0;
  }
  const mm = (s: { median: number; p95: number }) => `median ${(s.median * 1e3).toFixed(2)} mm, 95th percentile ${(s.p95 * 1e3).toFixed(2)} mm`;
  const deg = (s: { median: number; p95: number }) => `median ${((s.median * 180) / Math.PI).toFixed(2)}°, 95th percentile ${((s.p95 * 180) / Math.PI).toFixed(2)}°`;
  process.stdout.write(
    `${formatKeyValue([
      ['dataset', out.dataset],
      ['generated on', out.generatedOn ?? 'not recorded'],
      ['replayed on', out.backend],
      ['still successful', `${formatNumber(out.agreed)} / ${formatNumber(out.checked)} (${(out.agreementRate * 100).toFixed(1)} %)`],
      ['cube position', mm(out.objectPositionError)],
      ['cube orientation', deg(out.objectAngleError)],
      ['end effector', mm(out.effectorPositionError)],
      ['machine', formatMachine(out.machine)],
    ])}\n`,
  );
  return 0;
}
