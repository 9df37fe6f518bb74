import { generateDataset, GenerationInterruptedError, readSourceDemos, type GenerationStats } from '@gripgen/trajgen';
import { stat } from 'node:fs/promises';
import { getTask } from '@gripgen/sim-core';
import { gracefulStop, resumeHint, stopExitCode } from './stop-request.js';
import { describeMachine, formatMachine, type MachineDescription } from './machine.js';
import { BACKENDS, parseChoice, parseIntOption, readJsonOption, UsageError, parseCommandArgs } from './options.js';
import { generationEta } from './generation-eta.js';
import { createProgress, type Progress } from './progress.js';
import { enqueueCommand } from './enqueue-command.js';
import { formatKeyValue, formatNumber } from './table.js';

/** Usage of `gripgen generate`. */
export const GENERATE_USAGE = `Usage: gripgen generate --source <dir|zip> --out <dir> [options]

Generates new trajectories from source demos the MimicGen way: segments each demo into
object-centric subtasks, and for each attempt selects a source segment, moves it with its
object (T_obj_now · T_obj_src^-1), interpolates to it and executes it, --worlds attempts at
a time. Successes go to <out> (msgpack shards + manifest.json), kept failures to <out>/failed.
Re-running the same command after an interruption continues the dataset.

Options:
  --source <dir|zip>      source demos: a directory of demo_*.json (from 'gripgen demos')
                          or a zip of them (the viewer's teleop export) (required)
  --out <dir>             dataset directory (required)
  --count <n>             successful trajectories to produce: sets numTrials = n and
                          guarantee = true (default: the config's numTrials / guarantee)
  --worlds <n>            attempts in flight (default 1024)
  --backend <name>        auto, rapier, webgpu or mujoco (default auto)
  --randomization <name>  randomization preset of the new worlds (default: the task's
                          evaluation preset, wide for the built-in tasks)
  --seed <n>              seed of the new worlds and of generation's draws (default 1)
  --shard <i/n>           generate slice i of n of the seed space (default 0/1)
  --config <json|file>    MimicGen knobs as JSON or a JSON file, camelCase: selectionStrategy,
                          nnK, selectSrcPerSubtask, transformFirstRobotPose,
                          interpolateFromLastTargetPose, numInterpolationSteps, numFixedSteps,
                          actionNoise, applyNoiseDuringInterpolation, subtaskTermOffsetRange,
                          keepFailed, maxNumFailures, guarantee, numTrials, maxAttemptSteps,
                          bridgeSpeed, sizeAwareFrames (not in MimicGen),
                          subtasks: {<name>: {...per-subtask knobs}}
  --certify <backend>     replay every kept trajectory on rapier, webgpu or mujoco; report agreement
  --keep <which>          all or certified (only those that also succeed there) (default all)
  --threads <n>           Rapier worker threads (default: one per core)
  --gpu-program <name>    on backend webgpu: task (the task's own kernel, where it has one) or
                          scene (the scene solver) (default: task where there is one)
  --contact-capacity <n>  contacts kept per world by the scene solver (default 64)
  --follower <where>      auto, host or gpu: where the waypoint follower runs; gpu runs it and
                          the recording as WGSL beside the physics, the host planning only at
                          subtask boundaries (webgpu backend, the task's own kernel); auto takes
                          gpu where it can (default auto)
  --gpu-chunk-steps <n>   with the gpu follower: control steps between two visits of the host
                          (default 16; the trajectories do not depend on it)
  --json                  print one JSON object (the stats) instead of a table
  -h, --help              show this help

Distributed (BullMQ on Redis; see gripgen worker, gripgen status, gripgen merge):
  --queue <url>           redis://host:port/db: instead of generating, write a plan of work
                          units into <out>/.queue and enqueue one job per unit; workers on any
                          machine that sees <out> at the same path generate them, and the last
                          one seals <out>: the dataset this command writes without --queue
  --unit-attempts <n>     attempts per work unit (default 4 × --worlds)
  --job-attempts <n>      tries of a failing unit before it is reported failed (default 3)`;

/** `gripgen generate --json` output. */
export interface GenerateReport extends GenerationStats {
  out: string;
  machine: MachineDescription;
}

/** Runs `gripgen generate`. */
export async function generateCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(argv, {
    source: { type: 'string' },
    out: { type: 'string' },
    count: { type: 'string' },
    worlds: { type: 'string', default: '1024' },
    backend: { type: 'string', default: 'auto' },
    randomization: { type: 'string' },
    seed: { type: 'string', default: '1' },
    shard: { type: 'string', default: '0/1' },
    config: { type: 'string' },
    certify: { type: 'string' },
    keep: { type: 'string', default: 'all' },
    threads: { type: 'string' },
    'gpu-program': { type: 'string' },
    follower: { type: 'string', default: 'auto' },
    'gpu-chunk-steps': { type: 'string' },
    'contact-capacity': { type: 'string' },
    queue: { type: 'string' },
    'unit-attempts': { type: 'string' },
    'job-attempts': { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${GENERATE_USAGE}\n`);
    return 0;
  }
  if (!values.source) throw new UsageError('--source <dir|zip> is required');
  if (!values.out) throw new UsageError('--out <dir> is required');
  const backend = parseChoice('backend', values.backend, BACKENDS);
  const worlds = parseIntOption('worlds', values.worlds, 1, 1 << 20);
  const seed = parseIntOption('seed', values.seed, 0, 0xffffffff);
  const shardMatch = /^(\d+)\/(\d+)$/.exec(values.shard);
  if (!shardMatch || Number(shardMatch[1]) >= Number(shardMatch[2])) throw new UsageError(`--shard must be i/n with 0 <= i < n, got "${values.shard}"`);
  const shard = { index: Number(shardMatch[1]), count: Number(shardMatch[2]) };
  const certify = values.certify === undefined ? null : parseChoice('certify', values.certify, ['rapier', 'webgpu', 'mujoco'] as const);
  const keep = parseChoice('keep', values.keep, ['all', 'certified'] as const);
  const threads = values.threads === undefined ? undefined : parseIntOption('threads', values.threads, 0, 256);
  const sim = {
    gpuProgram: values['gpu-program'] === undefined ? undefined : parseChoice('gpu-program', values['gpu-program'], ['task', 'scene'] as const),
    contactCapacity: values['contact-capacity'] === undefined ? undefined : parseIntOption('contact-capacity', values['contact-capacity'], 1, 4096),
  };
  const follower = parseChoice('follower', values.follower, ['auto', 'host', 'gpu'] as const);
  const gpuChunkSteps = values['gpu-chunk-steps'] === undefined ? undefined : parseIntOption('gpu-chunk-steps', values['gpu-chunk-steps'], 1, 1024);
  let config: Record<string, unknown> = {};
  if (values.config !== undefined) config = await readJsonOption('config', values.config);
  if (values.count !== undefined) config = { ...config, numTrials: parseIntOption('count', values.count, 1, Number.MAX_SAFE_INTEGER), guarantee: true };

  const demos = await readSourceDemos(values.source);
  // Checked before anything is written: the preset among the source demos' task's, --out a directory.
  const task = getTask(demos[0].task);
  const randomization = values.randomization === undefined ? undefined : parseChoice('randomization', values.randomization, Object.keys(task.presets));
  if (await stat(values.out).then((s) => !s.isDirectory(), () => false)) throw new UsageError(`--out ${values.out} is a file; give a directory (new, empty, or a dataset to resume)`);
  if (values.queue !== undefined) {
    if (certify !== null || keep !== 'all') throw new UsageError('--certify and --keep are not available with --queue yet; certify the merged dataset with gripgen certify');
    if (sim.gpuProgram !== undefined || sim.contactCapacity !== undefined) throw new UsageError('--gpu-program and --contact-capacity are not available with --queue yet');
    if (shard.count !== 1) throw new UsageError('--shard is not used with --queue: the queue splits the work into units itself');
    if (follower !== 'auto' || gpuChunkSteps !== undefined) throw new UsageError('--follower and --gpu-chunk-steps are not available with --queue: its workers take the gpu follower where they can, as auto does');
    const unitAttempts = parseIntOption('unit-attempts', values['unit-attempts'] ?? String(4 * worlds), 1, 1 << 30);
    const jobAttempts = parseIntOption('job-attempts', values['job-attempts'], 1, 100);
    return enqueueCommand({ queue: values.queue, demos, out: values.out, seed, randomization: randomization ?? null, backend, worlds, threads: threads ?? null, config, unitAttempts, jobAttempts, json: values.json });
  }
  let progress: Progress | undefined;
  const eta = generationEta(worlds, Math.max(...demos.map((d) => d.length)));
  const signal = gracefulStop();
  const run = generateDataset({
    demos,
    out: values.out,
    config,
    worlds,
    backend,
    randomization,
    seed,
    shard,
    threads,
    sim,
    follower,
    ...(gpuChunkSteps !== undefined && { gpuChunkSteps }),
    certify,
    keep,
    onProgress: values.json
      ? undefined
      : (p) => {
          progress ??= createProgress({ total: p.target, label: p.guarantee ? 'generate (successes)' : 'generate (attempts)' });
          const rate = p.attempts > 0 ? ((100 * p.successes) / p.attempts).toFixed(1) : '0.0';
          const perSecond = p.wallSeconds > 0 ? (p.attempts / p.wallSeconds).toFixed(1) : '0';
          const lost = p.objectBelowTable + p.objectOutsideWorkspace;
          progress.update(
            p.guarantee ? p.kept : p.attempts,
            `step ${p.steps}, ${perSecond} attempts/s, success ${rate} %${lost > 0 ? `, ${lost} lost the object` : ''}`,
            eta(p),
          );
        },
    signal,
  });
  let stats: GenerationStats;
  try {
    stats = await run;
  } catch (error) {
    if (!(error instanceof GenerationInterruptedError)) throw error;
    progress?.finish();
    process.stderr.write(`gripgen generate: ${error.message}\n${resumeHint()}\n`);
    return stopExitCode();
  }
  progress?.finish();
  const report: GenerateReport = { ...stats, out: values.out, machine: describeMachine() };
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
  return 0;
}


function formatReport(r: GenerateReport): string {
  const failures = Object.entries(r.failuresBySubtask).map(([k, v]) => `${k} ${v}`).join(', ');
  return formatKeyValue([
    ['dataset', r.out],
    ['task', r.task],
    ['backend', r.backend],
    ['follower', r.follower === 'gpu' ? 'gpu (WGSL beside the physics)' : 'host'],
    ...(r.adapter ? [['adapter', r.adapter] as [string, string]] : []),
    ['worlds', formatNumber(r.worlds)],
    ['attempts', formatNumber(r.attempts)],
    ['successes', `${formatNumber(r.successes)}  (${(r.successRate * 100).toFixed(1)} %)`],
    ['kept', `${formatNumber(r.kept)} successes${r.resumed ? ' (resumed dataset)' : ''}, ${r.failuresKept} failures`],
    ['failures by subtask', failures || 'none'],
    ['faults / too long', `${r.faults} / ${r.tooLong}`],
    ['object left workspace', `${r.objectBelowTable} below the table, ${r.objectOutsideWorkspace} outside the workspace`],
    ...(r.contactOverflowSteps > 0 ? [['contact overflows', `${r.contactOverflowSteps} world-steps dropped contacts beyond the webgpu solver's capacity: raise --contact-capacity`] as [string, string]] : []),
    ...(r.certification ? [['certified on ' + r.certification.backend, `${r.certification.agreed} / ${r.certification.checked} agree (${(r.certification.agreementRate * 100).toFixed(1)} %)`] as [string, string]] : []),
    ['wall time', `${r.wallSeconds.toFixed(1)} s`],
    ['trajectories / hour', formatNumber(r.trajectoriesPerHour)],
    ['machine', formatMachine(r.machine)],
  ]);
}
