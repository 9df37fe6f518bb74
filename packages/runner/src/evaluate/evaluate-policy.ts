/**
 * Closed-loop evaluation of a behaviour-cloning policy: one episode in each of `numWorlds`
 * randomized worlds at once, the policy choosing every world's action from its observation.
 */
import { createSim, DEFAULT_TASK_ID, type BackendKind, type GpuAdapterDescription, type Sim, type SimConfigInput } from '@gripgen/sim-core';
import { wilsonInterval } from '../curve/stats.js';
import type { Interval } from '../curve/curve-types.js';
import { mlpHistory } from '../policy/mlp.js';
import { BcPolicy } from '../policy/policy.js';
import type { PolicyActor } from '../policy/policy-actor.js';
import { ChunkExecutor, type ChunkExecution } from './chunk-executor.js';
import { GpuPolicyEvaluator } from './gpu/gpu-policy-evaluator.js';

/** Options of {@link evaluatePolicy}. */
export interface EvaluatePolicyOptions {
  /** A gripgen MLP policy, or any {@link PolicyActor} (e.g. an ONNX model: `OnnxPolicy`; CPU loop only). */
  policy: BcPolicy | PolicyActor;
  /** Task id (default `pick-place`). */
  task?: string;
  /** Worlds evaluated at once; each is one trial. */
  numWorlds: number;
  /**
   * Seed of the evaluation worlds (world i is the world keyed (seed, episode 0, world i)). Keep it
   * apart from the seed the training trajectories were generated with: {@link evaluatePolicy}
   * throws when it equals one of `trainingSeeds`.
   */
  seed: number;
  /** Seeds of the worlds the training data came from; the evaluation seed must differ from all. */
  trainingSeeds?: readonly number[];
  /** Randomization preset or overrides (default `wide`). */
  randomization?: unknown;
  backend?: SimConfigInput['backend'];
  threads?: number;
  /** Episode length in control steps (default 200 = 10 s at 20 Hz). */
  steps?: number;
  /** How action chunks are executed (default `ensemble` for chunks > 1, else `first`). */
  execution?: ChunkExecution;
  /**
   * Run the policy on the GPU, fused into the Sim's step loop ({@link GpuPolicyEvaluator}: no
   * observation or action crosses to the host, outcomes are read back once at the end).
   * Default: true when the Sim runs on the webgpu backend and the policy is a {@link BcPolicy}.
   * False forces the CPU loop (`policy.act` → `ChunkExecutor` → `sim.step`) on any backend; true
   * on rapier, or with another kind of policy, throws.
   */
  policyOnGpu?: boolean;
  /**
   * Called with (0, steps) before the first step, then after each step (with the policy on
   * the GPU: after each step is submitted; they finish by the time the result is returned).
   */
  onStep?: (done: number, total: number) => void;
}

/** What an evaluation measured. */
export interface PolicyEvaluation {
  /** Worlds whose success flag was set at some step (success latches). */
  successes: number;
  trials: number;
  successRate: number;
  /** Wilson 95 % score interval of the success rate. */
  wilson: Interval;
  /** Fraction of worlds in which each sub-signal (`isGrasped`, `isLifted`, …) was set at some step. */
  signalRates: Record<string, number>;
  /** Worlds that blew up (and were reset by the backend) during the episode. */
  faults: number;
  steps: number;
  seed: number;
  execution: ChunkExecution;
  backend: BackendKind;
  adapter: GpuAdapterDescription | null;
  /** Whether the policy ran on the GPU inside the step loop (absent in results written before the option existed). */
  policyOnGpu?: boolean;
  /** Wall time of the stepping loop (policy + physics; on the GPU up to the final readback), setup excluded. */
  evalSeconds: number;
}

/** Per-world outcomes of one evaluation episode, whichever loop produced them. */
interface EpisodeOutcomes {
  /** 1 where success was set at some step. */
  succeeded: Uint8Array;
  /** `numWorlds × numSignals`: 1 where the sub-signal was set at some step. */
  latched: Uint8Array;
  faults: number;
  evalSeconds: number;
}

/** Default evaluation horizon (control steps): twice the longest generated pick-place trajectory. */
export const DEFAULT_EVAL_STEPS = 200;

/**
 * Runs `policy` for one episode in `numWorlds` held-out worlds and counts successes. The worlds
 * depend only on (seed, randomization), so every policy evaluated with the same options faces
 * the same worlds (paired comparisons).
 */
export async function evaluatePolicy(options: EvaluatePolicyOptions): Promise<PolicyEvaluation> {
  const { policy, numWorlds, seed } = options;
  if (options.trainingSeeds?.includes(seed)) {
    throw new Error(`evaluation seed ${seed} is one of the training seeds (${options.trainingSeeds.join(', ')}); held-out worlds need another seed`);
  }
  const steps = options.steps ?? DEFAULT_EVAL_STEPS;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`evaluation steps must be a positive integer, got ${steps}`);
  const execution = options.execution ?? (policy.spec.chunk > 1 ? 'ensemble' : 'first');
  const sim = await createSim({
    task: options.task ?? DEFAULT_TASK_ID,
    numWorlds,
    seed,
    randomization: options.randomization ?? 'wide',
    actionMode: 'delta',
    maxEpisodeSteps: steps + 1,
    ...(options.backend !== undefined && { backend: options.backend }),
    ...(options.threads !== undefined && { threads: options.threads }),
  });
  try {
    const { spec } = sim;
    if (policy.spec.obsSize !== spec.obsSize || policy.spec.actionSize !== spec.actionSize) {
      throw new Error(
        `policy maps ${policy.spec.obsSize} observations to ${policy.spec.actionSize} actions; task ${spec.taskId} has ${spec.obsSize} and ${spec.actionSize}`,
      );
    }
    const mismatch = policy.obsNames.findIndex((name, i) => name !== spec.obsNames[i]);
    if (mismatch >= 0 && !/^obs\d+$/.test(policy.obsNames[mismatch])) {
      throw new Error(`policy observation ${mismatch} is "${policy.obsNames[mismatch]}", the task's is "${spec.obsNames[mismatch]}"`);
    }
    const history = policy instanceof BcPolicy ? mlpHistory(policy.spec) : 1;
    const policyOnGpu = options.policyOnGpu ?? (spec.backend === 'webgpu' && policy instanceof BcPolicy && history === 1);
    if (policyOnGpu && spec.backend !== 'webgpu') {
      throw new Error(`policyOnGpu needs the webgpu backend; this evaluation runs on ${spec.backend}`);
    }
    if (policyOnGpu && !(policy instanceof BcPolicy)) throw new Error('policyOnGpu needs a gripgen MLP policy (BcPolicy); this one runs on the CPU loop only');
    if (policyOnGpu && history !== 1) {
      throw new Error(`policyOnGpu: the GPU loop has no observation history yet; this policy reads ${history} steps (run it with policyOnGpu false)`);
    }
    const { succeeded, latched, faults, evalSeconds } = policyOnGpu
      ? await runEpisodeOnGpu(sim, policy as BcPolicy, execution, steps, options.onStep)
      : await runEpisodeOnCpu(sim, policy, execution, steps, options.onStep);
    const numSignals = spec.signalNames.length;
    const successes = succeeded.reduce((a, b) => a + b, 0);
    const signalRates: Record<string, number> = {};
    spec.signalNames.forEach((name, k) => {
      let count = 0;
      for (let w = 0; w < numWorlds; w++) count += latched[w * numSignals + k];
      signalRates[name] = count / numWorlds;
    });
    return {
      successes,
      trials: numWorlds,
      successRate: successes / numWorlds,
      wilson: wilsonInterval(successes, numWorlds),
      signalRates,
      faults,
      steps,
      seed,
      execution,
      backend: spec.backend,
      adapter: spec.adapter === null ? null : { ...spec.adapter },
      policyOnGpu,
      evalSeconds,
    };
  } finally {
    await sim.dispose();
  }
}

type OnStep = EvaluatePolicyOptions['onStep'];

/** The host loop: `policy.act` on the read-back observations, `ChunkExecutor`, `sim.step`. */
async function runEpisodeOnCpu(sim: Sim, policy: BcPolicy | PolicyActor, execution: ChunkExecution, steps: number, onStep: OnStep): Promise<EpisodeOutcomes> {
  const { numWorlds, actionSize } = sim.spec;
  const executor = new ChunkExecutor(execution, numWorlds, policy.spec.chunk, actionSize, policy.binaryActions);
  const actor = policy instanceof BcPolicy ? policy.actor(numWorlds) : policy;
  const chunks = new Float32Array(numWorlds * policy.spec.chunk * actionSize);
  const latched = new Uint8Array(numWorlds * sim.spec.signalNames.length);
  const succeeded = new Uint8Array(numWorlds);
  let faults = 0;
  let r = await sim.reset();
  onStep?.(0, steps);
  const start = performance.now();
  for (let s = 0; s < steps; s++) {
    if (executor.needsQuery()) executor.record(await actor.act(r.obs, numWorlds, chunks));
    r = await sim.step(executor.actions());
    for (let w = 0; w < numWorlds; w++) {
      succeeded[w] |= r.success[w];
      faults += r.fault[w];
    }
    for (let j = 0; j < latched.length; j++) latched[j] |= r.signals[j];
    onStep?.(s + 1, steps);
  }
  return { succeeded, latched, faults, evalSeconds: (performance.now() - start) / 1000 };
}

/**
 * The fused GPU loop ({@link GpuPolicyEvaluator}). A world that received a non-finite action
 * makes it throw, as `sim.step` does in the CPU loop (the GPU step dropped those actions, so no
 * world was corrupted, but the policy is broken).
 */
async function runEpisodeOnGpu(sim: Sim, policy: BcPolicy, execution: ChunkExecution, steps: number, onStep: OnStep): Promise<EpisodeOutcomes> {
  const { numWorlds } = sim.spec;
  const numSignals = sim.spec.signalNames.length;
  await sim.reset();
  const evaluator = await GpuPolicyEvaluator.create(sim, policy, execution);
  try {
    onStep?.(0, steps);
    const start = performance.now();
    await evaluator.run(steps, onStep);
    const { flags, faults, overflows } = await evaluator.readOutcomes();
    const evalSeconds = (performance.now() - start) / 1000;
    const access = sim.gpuAccess();
    access.countContactOverflow(overflows.reduce((sum, v) => sum + v, 0));
    const bits = access.outputLayout.flagBits;
    const rejected: number[] = [];
    const succeeded = new Uint8Array(numWorlds);
    const latched = new Uint8Array(numWorlds * numSignals);
    let faultCount = 0;
    for (let w = 0; w < numWorlds; w++) {
      if ((flags[w] >>> bits.actionRejected) & 1) rejected.push(w);
      succeeded[w] = (flags[w] >>> bits.success) & 1;
      for (let k = 0; k < numSignals; k++) latched[w * numSignals + k] = (flags[w] >>> (bits.firstSignal + k)) & 1;
      faultCount += faults[w];
    }
    if (rejected.length > 0) {
      throw new Error(
        `the policy produced a non-finite action in ${rejected.length} world(s), first world ${rejected[0]}; ` +
          'the GPU step dropped those actions (the worlds held their targets) and the evaluation is void',
      );
    }
    return { succeeded, latched, faults: faultCount, evalSeconds };
  } finally {
    evaluator.destroy();
  }
}
