import type { Sim, StepResult } from '@gripgen/sim-core';
import type { Controller } from './controller.js';
import { BcPolicy, ChunkExecutor, decodePolicy, type ChunkExecution } from './runner-policy.js';

/**
 * A trained behaviour-cloning policy from a runner policy file, run on the CPU each step:
 * `policy.act` on the observations, chunks combined by a `ChunkExecutor` (ensembling for
 * chunked policies, as `gripgen curve` evaluates them), binary actions snapped.
 */
export class PolicyController implements Controller {
  readonly label: string;
  readonly execution: ChunkExecution;
  private executor: ChunkExecutor | undefined;
  private chunks = new Float32Array(0);

  constructor(
    readonly policy: BcPolicy,
    /** Where the policy came from (a file name). */
    readonly source: string,
  ) {
    this.execution = policy.spec.chunk > 1 ? 'ensemble' : 'first';
    this.label = `policy ${source}`;
  }

  /** Parses a policy file's text; throws naming the bad field (see `decodePolicy`). */
  static fromFileText(text: string, source: string): PolicyController {
    return new PolicyController(decodePolicy(text), source);
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
    this.chunks = new Float32Array(numWorlds * chunk * actionSize);
  }

  act(sim: Sim, result: StepResult, actions: Float32Array): void {
    const executor = this.executor!;
    if (executor.needsQuery()) executor.record(this.policy.act(result.obs, sim.spec.numWorlds, this.chunks));
    actions.set(executor.actions());
  }

  describeWorld(): Record<string, string> {
    const { spec } = this.policy;
    return { policy: `${this.source} (MLP ${spec.hidden.join('×')}, chunk ${spec.chunk}, ${this.execution})` };
  }
}
