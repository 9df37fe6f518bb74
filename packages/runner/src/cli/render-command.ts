import { ACTION_SIZE, DEFAULT_PHYSICS, DEFAULT_TASK_ID, getTask, taskIds } from '@gripgen/sim-core';
import { extname, resolve } from 'node:path';
import { DEFAULT_EVAL_STEPS } from '../evaluate/evaluate-policy.js';
import { loadOnnxPolicy } from '../policy/onnx-policy-node.js';
import { loadPolicyFile } from '../policy/policy-file-node.js';
import { checkFfmpeg, VIDEO_EXTENSIONS, videoExtension } from '../render/ffmpeg-video.js';
import { renderRolloutVideos } from '../render/rollout-videos.js';
import { CURVE_ROLLOUT_SIZE, CURVE_ROLLOUT_STEPS, renderCurveCommand } from './render-curve-command.js';
import { parseChoice, parseCommandArgs, parseIntOption, taskUsage, UsageError } from './options.js';
import { createProgress, type Progress } from './progress.js';

/** Frame size by default. */
const DEFAULT_SIZE = '960x720';

/** Usage of `gripgen render`. */
export const RENDER_USAGE = `Usage: gripgen render --out <rollout.mp4|.webm|.gif> [options]
       gripgen render --curve <dir> [options]

Draws --worlds worlds side by side in a grid with the viewer's WebGPU renderer (headless Chrome;
SwiftShader where there is no GPU), driven by the scripted expert or a policy, one frame per
control step (${DEFAULT_PHYSICS.controlHz} frames per second, real time), and encodes the frames with ffmpeg.
Needs a source checkout (npm run gripgen -- render …), Chromium and ffmpeg (npm run setup).

Options:
  --out <path>            the video; its extension picks the format: ${VIDEO_EXTENSIONS.join(', ')} (required)
${taskUsage(taskIds())}
  --expert                drive the worlds with the task's scripted expert (the default)
  --policy <file>         drive them with a gripgen policy file (.json, as gripgen curve writes them)
                          or an ONNX model (.onnx, the contract gripgen eval reads) instead
  --worlds <n>            worlds in the grid (default 4)
  --randomization <name>  randomization preset of the worlds (default: the task's default preset)
  --seed <n>              seed of the worlds, u32 (default 0)
  --steps <n>             control steps, one frame each (default ${DEFAULT_EVAL_STEPS})
  --size <WxH>            frame size in pixels, even numbers (default ${DEFAULT_SIZE})
  -h, --help              show this help

       gripgen render --curve <dir> [--worlds 4] [--steps ${CURVE_ROLLOUT_STEPS}] [--size ${CURVE_ROLLOUT_SIZE}]

A finished gripgen curve/coverage folder: one short video per series and N (the policy of its
lowest training seed, on the curve's evaluation preset and seed) into <dir>/rollouts, listed in
<dir>/rollouts.json; report.html is rewritten to show them (and keeps them when rewritten later).`;

/** Runs `gripgen render` with its arguments (after the subcommand). Returns the exit code. */
export async function renderCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(argv, {
    out: { type: 'string' },
    task: { type: 'string', default: DEFAULT_TASK_ID },
    expert: { type: 'boolean', default: false },
    policy: { type: 'string' },
    worlds: { type: 'string', default: '4' },
    randomization: { type: 'string' },
    seed: { type: 'string', default: '0' },
    steps: { type: 'string' },
    size: { type: 'string' },
    curve: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${RENDER_USAGE}\n`);
    return 0;
  }
  if (values.curve !== undefined) {
    const named = (option: string) => argv.some((a) => a === `--${option}` || a.startsWith(`--${option}=`));
    const given = ['out', 'task', 'expert', 'policy', 'randomization', 'seed'].filter(named);
    if (given.length > 0) throw new UsageError(`--curve draws the curve's own policies, task, preset and evaluation seed into <dir>/rollouts; it takes only --worlds, --steps and --size; got --${given.join(', --')}`);
    return renderCurveCommand(resolve(values.curve), {
      worlds: parseIntOption('worlds', values.worlds, 1, 4096),
      steps: parseIntOption('steps', values.steps ?? String(CURVE_ROLLOUT_STEPS), 1, 100_000),
      size: parseSize(values.size ?? CURVE_ROLLOUT_SIZE),
    });
  }
  if (values.out === undefined) throw new UsageError(`--out <path> is required; its extension picks the format: ${VIDEO_EXTENSIONS.join(', ')}`);
  try {
    videoExtension(values.out);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const taskId = parseChoice('task', values.task, taskIds());
  const task = getTask(taskId);
  const preset = parseChoice('randomization', values.randomization ?? task.defaultPreset, Object.keys(task.presets));
  const worlds = parseIntOption('worlds', values.worlds, 1, 4096);
  const seed = parseIntOption('seed', values.seed, 0, 0xffffffff);
  const steps = parseIntOption('steps', values.steps ?? String(DEFAULT_EVAL_STEPS), 1, 100_000);
  const [width, height] = parseSize(values.size ?? DEFAULT_SIZE);
  if (values.policy !== undefined && values.expert) throw new UsageError('--policy and --expert exclude each other: pick one');
  if (values.policy === undefined && !task.expert) throw new UsageError(`task ${taskId} has no scripted expert: give --policy <file.json|file.onnx>`);
  if (values.policy !== undefined) await checkPolicy(values.policy, taskId);

  const ffmpeg = await checkFfmpeg();
  const out = resolve(values.out);
  const driver = values.policy === undefined ? 'scripted expert' : `policy ${values.policy}`;
  process.stderr.write(`render: ${worlds} worlds of ${taskId} (${preset}, seed ${seed}), ${driver}, ${steps} steps at ${width}x${height}; building the viewer and starting headless Chrome…\n`);
  process.stderr.write(`render: encoding with ${ffmpeg}\n`);
  let progress: Progress | undefined;
  try {
    const job = { out, task: taskId, worlds, preset, seed, steps, width, height, ...(values.policy !== undefined && { policyPath: resolve(values.policy) }) };
    await renderRolloutVideos([job], {
      onStart: () => (progress = createProgress({ total: steps, label: 'render' })),
      onFrame: (step) => progress!.update(step),
    });
  } finally {
    progress?.finish();
  }
  process.stdout.write(`wrote ${out} (${steps} frames, ${width}x${height}, ${DEFAULT_PHYSICS.controlHz} fps)\n`);
  return 0;
}

/** `--size WxH` as even pixel counts. */
export function parseSize(value: string): [number, number] {
  const match = /^(\d+)x(\d+)$/.exec(value.trim());
  const [w, h] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!(w >= 64 && h >= 64 && w <= 3840 && h <= 2160 && w % 2 === 0 && h % 2 === 0)) {
    throw new UsageError(`--size must be WxH with even W in [64, 3840] and even H in [64, 2160] (H.264 needs even sizes), got "${value}"`);
  }
  return [w, h];
}

/**
 * Fails early, before Chrome starts, when the policy is not a gripgen policy file or an ONNX model
 * (checked against the ONNX contract with onnxruntime-node, as the viewer's onnxruntime-web will)
 * for the task.
 */
async function checkPolicy(path: string, taskId: string): Promise<void> {
  const extension = extname(path).toLowerCase();
  if (extension !== '.json' && extension !== '.onnx') {
    throw new UsageError(`--policy ${path}: the viewer draws gripgen policy files (.json) and ONNX models (.onnx); got "${extname(path) || '(no extension)'}"`);
  }
  const task = getTask(taskId);
  if (extension === '.onnx') {
    try {
      await (await loadOnnxPolicy(path, { obsNames: task.obsNames, actionSize: ACTION_SIZE })).release();
    } catch (error) {
      throw new UsageError(`--policy: ${(error as Error).message}`);
    }
    return;
  }
  let policy;
  try {
    policy = await loadPolicyFile(path);
  } catch (error) {
    throw new UsageError(`--policy: ${(error as Error).message}`);
  }
  if (policy.spec.obsSize !== task.obsNames.length || policy.spec.actionSize !== ACTION_SIZE) {
    throw new UsageError(
      `--policy ${path} maps ${policy.spec.obsSize} observations to ${policy.spec.actionSize} actions; task ${taskId} has ${task.obsNames.length} and ${ACTION_SIZE}`,
    );
  }
}
