import { certifyCommand, CERTIFY_USAGE } from './certify-command.js';
import { demosCommand, DEMOS_USAGE } from './demos-command.js';
import { expertCommand, EXPERT_USAGE } from './expert-command.js';
import { evalCommand, EVAL_USAGE } from './eval-command.js';
import { exportCommand, EXPORT_USAGE } from './export-command.js';
import { generateCommand, GENERATE_USAGE } from './generate-command.js';
import { mergeCommand, MERGE_USAGE } from './merge-command.js';
import { renderCommand, RENDER_USAGE } from './render-command.js';
import { statusCommand, STATUS_USAGE } from './status-command.js';
import { workerCommand, WORKER_USAGE } from './worker-command.js';
import { quietDriverNoise } from './driver-noise.js';
import { UsageError } from './options.js';
import { watchStopRequests } from './stop-request.js';
import { packageVersion } from './version.js';
import { coverageCommand, COVERAGE_USAGE, curveCommand, CURVE_USAGE } from './sweep-command.js';
import { tasksCommand, TASKS_USAGE } from './tasks-command.js';
import { verifyCommand, VERIFY_USAGE } from './verify-command.js';

/** A `gripgen` subcommand: takes its arguments, returns the exit code. */
type Command = (argv: string[]) => Promise<number>;

/** Commands that, run again with the same arguments, resume where they stopped: a stop prints that command line. */
const RESUMABLE = new Set(['generate', 'curve', 'coverage']);

const COMMANDS: Readonly<Record<string, { summary: string; run: Command; usage: string }>> = {
  tasks: { summary: 'list the tasks: presets, subtasks, expert, backends', run: tasksCommand, usage: TASKS_USAGE },
  expert: { summary: 'run the scripted expert for one episode; report success rate and throughput', run: expertCommand, usage: EXPERT_USAGE },
  demos: { summary: 'record source demos with the scripted expert', run: demosCommand, usage: DEMOS_USAGE },
  generate: { summary: 'generate a dataset of new trajectories from source demos (MimicGen-style)', run: generateCommand, usage: GENERATE_USAGE },
  worker: { summary: 'take generation units from a Redis queue (gripgen generate --queue) and commit them', run: workerCommand, usage: WORKER_USAGE },
  status: { summary: 'queued generation: units done / running / failed, workers alive, trajectories per hour', run: statusCommand, usage: STATUS_USAGE },
  merge: { summary: 'seal a queued generation run\'s committed units into its dataset', run: mergeCommand, usage: MERGE_USAGE },
  certify: { summary: 'replay a dataset on another physics engine; report how much still succeeds', run: certifyCommand, usage: CERTIFY_USAGE },
  verify: { summary: 'check a dataset completely (manifest, checksums, records, finite values); exit 1 if damaged', run: verifyCommand, usage: VERIFY_USAGE },
  export: { summary: 'write a dataset as LeRobot v3.0 or robomimic HDF5 for the field\'s loaders', run: exportCommand, usage: EXPORT_USAGE },
  eval: { summary: 'evaluate a policy (.json policy file or .onnx model) on held-out worlds: success with a Wilson 95 % interval', run: evalCommand, usage: EVAL_USAGE },
  render: { summary: 'draw worlds driven by the expert or a policy in a grid, headless, into a video (.mp4, .webm, .gif)', run: renderCommand, usage: RENDER_USAGE },
  curve: { summary: 'policy success versus number of trajectories: generate, train, evaluate, fit, report', run: curveCommand, usage: CURVE_USAGE },
  coverage: {
    summary: 'coverage versus volume: train on narrow and on wide data, evaluate both on wide; --diversity: success against distinct scenes at a fixed N',
    run: coverageCommand,
    usage: COVERAGE_USAGE,
  },
};

/** Usage of `gripgen`. */
export const USAGE = `Usage: gripgen [--verbose] <command> [options]
       gripgen --version

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run 'gripgen <command> --help' for a command's options.
--verbose (anywhere on the line) also shows the GPU drivers' own messages, hidden otherwise.`;

/**
 * Runs the `gripgen` command line (arguments after the program name) and returns the exit
 * code: 0 success, 1 runtime error (message only, no stack), 2 bad command line.
 */
export async function runCli(args: string[]): Promise<number> {
  const argv = args.filter((a) => a !== '--verbose');
  if (argv.length === args.length) quietDriverNoise();
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    process.stdout.write(`gripgen ${packageVersion()}\n`);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' && rest[0] !== undefined ? COMMANDS[rest[0]] : undefined;
    (name === undefined ? process.stderr : process.stdout).write(`${topic?.usage ?? USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`gripgen: unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')} (see gripgen --help)\n`);
    return 2;
  }
  const unwatch = watchStopRequests(name, RESUMABLE.has(name) ? argv : undefined);
  try {
    return await command.run(rest);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof UsageError) {
      process.stderr.write(`gripgen ${name}: ${message} (see gripgen ${name} --help)\n`);
      return 2;
    }
    process.stderr.write(`gripgen ${name}: ${message}\n`);
    return 1;
  } finally {
    unwatch();
  }
}
