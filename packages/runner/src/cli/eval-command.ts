import { extname } from 'node:path';
import { ACTION_SIZE, DEFAULT_TASK_ID, formatAdapter, getTask, taskIds } from '@gripgen/sim-core';
import { DEFAULT_EVAL_STEPS, evaluatePolicy, type PolicyEvaluation } from '../evaluate/evaluate-policy.js';
import { OnnxPolicy } from '../policy/onnx-policy.js';
import { loadOnnxPolicy } from '../policy/onnx-policy-node.js';
import { loadPolicyFile } from '../policy/policy-file-node.js';
import type { BcPolicy } from '../policy/policy.js';
import type { PolicyActor } from '../policy/policy-actor.js';
import { describeMachine, formatMachine, type MachineDescription } from './machine.js';
import { BACKENDS, parseChoice, parseCommandArgs, parseIntOption, randomizationUsage, taskUsage, UsageError } from './options.js';
import { createProgress, type Progress } from './progress.js';
import { formatKeyValue, formatNumber } from './table.js';

/** Evaluation seed by default: the curve's (`evalSeed`), so eval and curve face the same worlds. */
const DEFAULT_EVAL_SEED = 1_000_003;
/** Seeds of the training data by default: `gripgen demos` (0) and `gripgen generate` (1). */
const DEFAULT_TRAINING_SEEDS = '0,1';

/** Usage of `gripgen eval`. */
export const EVAL_USAGE = `Usage: gripgen eval --policy <file.json|file.onnx> [options]

Runs a policy for one episode in each of --worlds held-out worlds and prints its success rate
with a Wilson 95 % interval (the evaluation of gripgen curve). The policy is a gripgen policy
file (.json, as gripgen curve writes them) or an ONNX model (.onnx; the contract is in the
runner README: input float32 [N, observations], output [N, 7] or an action chunk [N, k, 7],
normalization inside the graph), run by onnxruntime on the CPU.

Options:
  --policy <path>         the policy: .json (gripgen policy file) or .onnx (required)
${taskUsage(taskIds())}
  --worlds <n>            held-out worlds, one episode (trial) each (default 1000)
${randomizationUsage('evaluation')}
  --seed <n>              seed of the evaluation worlds, u32 (default ${DEFAULT_EVAL_SEED}, the curve's)
  --training-seeds <list> seeds the training data came from, comma-separated; --seed must differ
                          from each (default ${DEFAULT_TRAINING_SEEDS}: gripgen demos' and generate's defaults)
  --backend <name>        auto, rapier, webgpu or mujoco (default auto: webgpu on a hardware GPU
                          adapter, else rapier); an ONNX model runs on the CPU on every backend
  --steps <n>             episode length in control steps (default ${DEFAULT_EVAL_STEPS})
  --threads <n>           physics worker threads; 0 = calling thread (default: one per core)
  --json                  print one JSON object on stdout instead of a table
  -h, --help              show this help`;

/** `gripgen eval --json` output. */
export interface EvalReport extends PolicyEvaluation {
  policy: string;
  format: 'json' | 'onnx';
  chunk: number;
  task: string;
  randomization: string;
  trainingSeeds: number[];
  machine: MachineDescription;
}

/** Runs `gripgen eval` with its arguments (after the subcommand). Returns the exit code. */
export async function evalCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(argv, {
    policy: { type: 'string' },
    task: { type: 'string', default: DEFAULT_TASK_ID },
    worlds: { type: 'string', default: '1000' },
    randomization: { type: 'string' },
    seed: { type: 'string', default: String(DEFAULT_EVAL_SEED) },
    'training-seeds': { type: 'string', default: DEFAULT_TRAINING_SEEDS },
    backend: { type: 'string', default: 'auto' },
    steps: { type: 'string', default: String(DEFAULT_EVAL_STEPS) },
    threads: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${EVAL_USAGE}\n`);
    return 0;
  }
  if (values.policy === undefined) throw new UsageError('--policy <file.json|file.onnx> is required');
  const format = policyFormat(values.policy);
  const task = parseChoice('task', values.task, taskIds());
  const presets = getTask(task).presets;
  const randomization = parseChoice('randomization', values.randomization ?? getTask(task).defaultPreset, Object.keys(presets));
  const backend = parseChoice('backend', values.backend, BACKENDS);
  const numWorlds = parseIntOption('worlds', values.worlds, 1, Number.MAX_SAFE_INTEGER);
  const seed = parseIntOption('seed', values.seed, 0, 0xffffffff);
  const trainingSeeds = values['training-seeds'].split(',').map((s) => parseIntOption('training-seeds', s, 0, 0xffffffff));
  if (trainingSeeds.includes(seed)) {
    throw new UsageError(`--seed ${seed} is one of --training-seeds (${trainingSeeds.join(', ')}); held-out worlds need another seed`);
  }
  const steps = parseIntOption('steps', values.steps, 1, Number.MAX_SAFE_INTEGER);
  const threads = values.threads === undefined ? undefined : parseIntOption('threads', values.threads, 0, 256);

  const policy: BcPolicy | PolicyActor =
    format === 'onnx' ? await loadOnnxPolicy(values.policy, { obsNames: getTask(task).obsNames, actionSize: ACTION_SIZE }) : await loadPolicyFile(values.policy);
  let progress: Progress | undefined;
  let evaluation: PolicyEvaluation;
  try {
    evaluation = await evaluatePolicy({
      policy,
      task,
      numWorlds,
      seed,
      trainingSeeds,
      randomization,
      backend,
      steps,
      ...(threads !== undefined && { threads }),
      // An ONNX model runs on the CPU: the host loop, whatever the backend.
      ...(format === 'onnx' && { policyOnGpu: false }),
      onStep: values.json
        ? undefined
        : (done, total) => {
            progress ??= createProgress({ total, label: 'eval' });
            progress.update(done);
          },
    });
  } finally {
    progress?.finish();
    if (policy instanceof OnnxPolicy) await policy.release();
  }
  const report: EvalReport = {
    ...evaluation,
    policy: values.policy,
    format,
    chunk: policy.spec.chunk,
    task,
    randomization,
    trainingSeeds,
    machine: describeMachine(),
  };
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
  return 0;
}

/** `.onnx` or `.json`, from the file name; anything else is a usage error naming the allowed ones. */
function policyFormat(path: string): 'json' | 'onnx' {
  const ext = extname(path).toLowerCase();
  if (ext === '.onnx') return 'onnx';
  if (ext === '.json') return 'json';
  throw new UsageError(`--policy must be a .json policy file or an .onnx model, got "${path}"`);
}

function formatReport(r: EvalReport): string {
  const pct = (x: number) => (100 * x).toFixed(1);
  return formatKeyValue([
    ['policy', `${r.policy}  (${r.format === 'onnx' ? 'ONNX, onnxruntime on the CPU' : 'gripgen policy file'}; chunk ${r.chunk}, ${r.execution} execution)`],
    ['task', r.task],
    ['randomization', r.randomization],
    ['worlds', `${formatNumber(r.trials)}  (seed ${r.seed}; training seeds ${r.trainingSeeds.join(', ')})`],
    ['backend', r.backend],
    ...(r.adapter ? [['adapter', formatAdapter(r.adapter)] as [string, string]] : []),
    ['steps', r.steps],
    ['success', `${pct(r.successRate)} %  (${r.successes} / ${r.trials}; Wilson 95 % CI ${pct(r.wilson.lo)}–${pct(r.wilson.hi)} %)`],
    ['sub-goals', Object.entries(r.signalRates).map(([name, rate]) => `${name} ${pct(rate)} %`).join(', ')],
    ['faults', r.faults],
    ['wall time', `${r.evalSeconds.toFixed(1)} s`],
    ['machine', formatMachine(r.machine)],
  ]);
}
