import { ACTION_SIZE, type Sim, type StepResult } from '@gripgen/sim-core';
import type { Controller } from './controller.js';
import { BcPolicy, ChunkExecutor, decodePolicy, type ChunkExecution, type PolicyActor } from './runner-policy.js';

/** The task a policy must fit. */
export interface PolicyTask {
  id: string;
  obsNames: readonly string[];
}

/**
 * A trained policy run on the CPU each step — a runner policy file's MLP (`BcPolicy`) or an ONNX
 * model (`OnnxPolicy`, onnxruntime-web): `policy.act` on the observations, chunks combined by a
 * `ChunkExecutor` (ensembling for chunked policies, as `gripgen curve` and `gripgen eval`
 * evaluate them), binary actions snapped.
 */
export class PolicyController implements Controller {
  readonly label: string;
  readonly execution: ChunkExecution;
  private executor: ChunkExecutor | undefined;
  /** The policy for this episode's worlds (a policy file's with its observation history). */
  private actor: PolicyActor | undefined;
  private chunks = new Float32Array(0);

  constructor(
    readonly policy: PolicyActor,
    /** Where the policy came from (a file name). */
    readonly source: string,
    /** Frees what the policy holds (an ONNX model's session). */
    private readonly release: () => Promise<void> = async () => undefined,
  ) {
    this.execution = policy.spec.chunk > 1 ? 'ensemble' : 'first';
    this.label = `policy ${source}`;
  }

  /**
   * The policy in `file` — an `.onnx` model, else a policy file — checked against `task`. Throws
   * a message naming the file and the problem (a field of a policy file, the ONNX contract's
   * tensor and shape, a mismatch with the task's observations).
   */
  static async fromFile(file: File, task: PolicyTask): Promise<PolicyController> {
    const target = { obsNames: task.obsNames, actionSize: ACTION_SIZE };
    const read = <T>(contents: Promise<T>) =>
      contents.catch((error: unknown) => {
        throw new Error(`could not read ${file.name}: ${(error as Error).message}`);
      });
    let controller: PolicyController;
    if (file.name.toLowerCase().endsWith('.onnx')) {
      const bytes = new Uint8Array(await read(file.arrayBuffer()));
      const { loadOnnxPolicy } = await import('./onnx-runtime.js');
      const policy = await loadOnnxPolicy(bytes, file.name, target);
      controller = new PolicyController(policy, file.name, () => policy.release());
    } else {
      const text = await read(file.text());
      try {
        controller = new PolicyController(decodePolicy(text), file.name);
      } catch (error) {
        throw new Error(`${file.name}: ${(error as Error).message}`);
      }
    }
    try {
      controller.checkCompatible({ taskId: task.id, ...target });
    } catch (error) {
      await controller.dispose();
      throw error;
    }
    return controller;
  }

  /**
   * Throws unless the policy reads the task's observations (same count and, where the policy
   * names them, same names) and writes its actions.
   */
  checkCompatible(task: { taskId: string; obsNames: readonly string[]; actionSize: number }): void {
    const { spec, obsNames } = this.policy;
    if (spec.obsSize !== task.obsNames.length || spec.actionSize !== task.actionSize) {
      throw new Error(
        `policy ${this.source} maps ${spec.obsSize} observations to ${spec.actionSize} actions; ` +
          `task ${task.taskId} has ${task.obsNames.length} and ${task.actionSize}`,
      );
    }
    const mismatch = obsNames.findIndex((name, i) => name !== task.obsNames[i]);
    if (mismatch >= 0 && !/^obs\d+$/.test(obsNames[mismatch])) {
      throw new Error(`policy ${this.source}: observation ${mismatch} is "${obsNames[mismatch]}", the task's is "${task.obsNames[mismatch]}"`);
    }
  }

  beginEpisode(sim: Sim): void {
    this.checkCompatible(sim.spec);
    const { numWorlds, actionSize } = sim.spec;
    const { chunk } = this.policy.spec;
    this.executor = new ChunkExecutor(this.execution, numWorlds, chunk, actionSize, this.policy.binaryActions);
    this.actor = actorFor(this.policy, numWorlds);
    this.chunks = new Float32Array(numWorlds * chunk * actionSize);
  }

  async act(sim: Sim, result: StepResult, actions: Float32Array): Promise<void> {
    const executor = this.executor!;
    if (executor.needsQuery()) executor.record(await this.actor!.act(result.obs, sim.spec.numWorlds, this.chunks));
    actions.set(executor.actions());
  }

  /**
   * The policy's raw output (`batch × chunk × actionSize`) for `batch` observation rows, as at an
   * episode's first step: what `act` feeds the executor.
   */
  async query(obs: Float32Array, batch: number): Promise<Float32Array> {
    const { chunk, actionSize } = this.policy.spec;
    return (await actorFor(this.policy, batch).act(obs, batch, new Float32Array(batch * chunk * actionSize))).slice();
  }

  describeWorld(): Record<string, string> {
    const { policy } = this;
    const model = policy instanceof BcPolicy ? `MLP ${policy.spec.hidden.join('×')}` : 'ONNX, onnxruntime-web wasm';
    return { policy: `${this.source} (${model}, chunk ${policy.spec.chunk}, ${this.execution})` };
  }

  /** Frees an ONNX model's session (a policy file holds nothing to free). */
  dispose(): Promise<void> {
    return this.release();
  }
}

/** What acts for `numWorlds` worlds starting an episode: a policy file's actor (it keeps the observation history), else the policy. */
function actorFor(policy: PolicyActor, numWorlds: number): PolicyActor {
  return policy instanceof BcPolicy ? policy.actor(numWorlds) : policy;
}
