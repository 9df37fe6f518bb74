import { DEFAULT_TASK_ID, formatAdapter, getTask } from '@gripgen/sim-core';
import { expertTaskIds, runExpertEpisode, type ExpertRunStats } from '../expert-run.js';
import { describeMachine, formatMachine, type MachineDescription } from './machine.js';
import { BACKENDS, parseChoice, parseIntOption, parseCommandArgs, randomizationUsage, taskUsage, UsageError } from './options.js';
import { createProgress, type Progress } from './progress.js';
import { formatKeyValue, formatNumber } from './table.js';

/** Usage of `gripgen expert`. */
export const EXPERT_USAGE = `Usage: gripgen expert [options]

Runs the task's scripted expert for one episode on every world and reports its success
rate (a world counts once it succeeds at any step) and the simulation throughput.

Options:
${taskUsage(expertTaskIds())}
  --worlds <n>            number of parallel worlds (default 1024)
${randomizationUsage('evaluation')}
  --backend <name>        auto, rapier, webgpu or mujoco (default auto: webgpu on a hardware
                          GPU adapter, else rapier; GRIPGEN_ADAPTER=swiftshader|gpu picks the
                          webgpu adapter)
  --gpu-program <name>    on backend webgpu: task (the task's own kernel, where it has one:
                          pick-place) or scene (the scene solver, every task) (default: task
                          where there is one, else scene)
  --contact-capacity <n>  contacts kept per world by the scene solver (default 64); a run that
                          drops contacts says so and names this option
  --mujoco-timestep <s>   MuJoCo's timestep on backend mujoco (default: the backend's, see
                          sim-core's MujocoSettings); the control period is split into
                          round(period / timestep) MuJoCo steps
  --expert-on <where>     auto, host or gpu: on backend webgpu with the task's own kernel, gpu
                          runs the expert in WGSL beside the physics and reads nothing back until
                          the end (pick-place); auto takes gpu where it can (default auto)
  --seed <n>              base seed, u32 (default 0)
  --threads <n>           worker threads; 0 = calling thread (default: one per core)
  --steps <n>             episode length in control steps (default: the task's, 200)
  --json                  print one JSON object on stdout instead of a table; its
                          "adapter" is the WebGPU adapter (vendor, architecture, device,
                          description, isSoftware), null on rapier
  -h, --help              show this help`;

/** `gripgen expert` output with `--json`: the run's stats plus the machine. */
export interface ExpertReport extends ExpertRunStats {
  machine: MachineDescription;
}

/** Runs `gripgen expert` with its arguments (after the subcommand). Returns the exit code. */
export async function expertCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(argv, {
    task: { type: 'string', default: DEFAULT_TASK_ID },
    worlds: { type: 'string', default: '1024' },
    randomization: { type: 'string' },
    backend: { type: 'string', default: 'auto' },
    seed: { type: 'string', default: '0' },
    threads: { type: 'string' },
    steps: { type: 'string' },
    'mujoco-timestep': { type: 'string' },
    'gpu-program': { type: 'string' },
    'expert-on': { type: 'string', default: 'auto' },
    'contact-capacity': { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${EXPERT_USAGE}\n`);
    return 0;
  }
  const task = parseChoice('task', values.task, expertTaskIds());
  const randomization = parseChoice('randomization', values.randomization ?? getTask(task).defaultPreset, Object.keys(getTask(task).presets));
  const backend = parseChoice('backend', values.backend, BACKENDS);
  const numWorlds = parseIntOption('worlds', values.worlds, 1, Number.MAX_SAFE_INTEGER);
  const seed = parseIntOption('seed', values.seed, 0, 0xffffffff);
  const threads = values.threads === undefined ? undefined : parseIntOption('threads', values.threads, 0, 256);
  const steps = values.steps === undefined ? undefined : parseIntOption('steps', values.steps, 1, Number.MAX_SAFE_INTEGER);
  const gpuProgram = values['gpu-program'] === undefined ? undefined : parseChoice('gpu-program', values['gpu-program'], ['task', 'scene'] as const);
  const contactCapacity = values['contact-capacity'] === undefined ? undefined : parseIntOption('contact-capacity', values['contact-capacity'], 1, 4096);
  const expertOn = parseChoice('expert-on', values['expert-on'], ['auto', 'host', 'gpu'] as const);
  const mujocoTimestep = values['mujoco-timestep'] === undefined ? undefined : parsePositiveNumber('mujoco-timestep', values['mujoco-timestep']);

  let progress: Progress | undefined;
  const onStep = (done: number, total: number) => {
    progress ??= createProgress({ total, label: 'expert' });
    progress.update(done);
  };
  const stats = await runExpertEpisode({
    task,
    numWorlds,
    randomization,
    backend,
    seed,
    threads,
    steps,
    ...(mujocoTimestep !== undefined && { mujoco: { timestep: mujocoTimestep } }),
    ...(gpuProgram !== undefined && { gpuProgram }),
    ...(contactCapacity !== undefined && { contactCapacity }),
    ...(expertOn !== 'auto' && { expertOnGpu: expertOn === 'gpu' }),
    onStep: values.json ? undefined : onStep,
  });
  progress?.finish();
  const report: ExpertReport = { ...stats, machine: describeMachine() };
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
  return 0;
}

/** The human-readable summary of a run. */
function formatReport(r: ExpertReport): string {
  const p = r.physics;
  return formatKeyValue([
    ['task', r.task],
    ['randomization', String(r.randomization)],
    ['backend', r.backendNote ? `${r.backend}  (${r.backendNote})` : r.backend],
    ...(r.adapter ? [['adapter', formatAdapter(r.adapter)] as [string, string]] : []),
    ['worlds', formatNumber(r.numWorlds)],
    ['threads', r.threads],
    ['seed', r.seed],
    ['steps', r.steps],
    ['expert', r.expertOn === 'gpu' ? 'gpu (WGSL beside the physics)' : 'host'],
    ['success rate', `${(r.successRate * 100).toFixed(1)} %  (${r.successes} / ${r.numWorlds}; ${r.finalSuccesses} at the last step)`],
    ['faults', r.faults],
    ...(r.contactCapacity !== null
      ? [['contact overflows', `${r.contactOverflowSteps} world-steps (capacity ${r.contactCapacity} per world${r.contactOverflowSteps > 0 ? '; raise --contact-capacity' : ''})`] as [string, string]]
      : []),
    ['wall time', `${r.wallSeconds.toFixed(2)} s  (+ ${r.setupSeconds.toFixed(2)} s setup)`],
    ['world-steps/s', formatNumber(r.worldStepsPerSecond)],
    ['sim s / wall s', formatNumber(r.simSecondsPerSecond, 1)],
    [
      'physics',
      r.mujoco
        ? `${p.controlHz} Hz x ${r.mujoco.substeps} MuJoCo steps = ${formatNumber(p.controlHz * r.mujoco.substeps, 1)} Hz (timestep ${(r.mujoco.timestep * 1000).toFixed(3)} ms, ${r.mujoco.integrator}, ${r.mujoco.solver} ${r.mujoco.iterations} iterations, ${r.mujoco.cone} cone)`
        : `${p.controlHz} Hz x ${p.substeps} substeps = ${p.controlHz * p.substeps} Hz; solver ${p.solverIterations}, pgs ${p.pgsIterations}, contact ${p.contactNaturalFrequency} Hz`,
    ],
    ['machine', formatMachine(r.machine)],
  ]);
}

/** A positive finite number option; a bad value is a usage error naming the option. */
function parsePositiveNumber(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--${name} must be a positive number, got ${JSON.stringify(text)}`);
  return value;
}
