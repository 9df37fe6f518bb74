/**
 * A trained behaviour-cloning policy: network shape, weights, normalization and the names of the
 * observation and action dimensions. Plain data plus {@link BcPolicy.act}; no I/O.
 */
import {
  createMlpWorkspace,
  mlpForward,
  mlpHistory,
  mlpInputSize,
  mlpOutputSize,
  mlpParameterCount,
  validateMlpSpec,
  type MlpSpec,
  type MlpWorkspace,
} from './mlp.js';
import { validateBinaryActions, type BinaryAction } from './binary-actions.js';
import { denormalizeInPlace, normalizeInto, type PolicyNormalization } from './normalization.js';
import { ObservationHistory } from './observation-history.js';
import type { PolicyActor } from './policy-actor.js';

/** Everything that defines a policy. */
export interface BcPolicyData {
  readonly spec: MlpSpec;
  /** Flat parameter vector, layout in `mlp.ts`. */
  readonly params: Float32Array;
  /** Statistics of the network's input (`obsSize × history` dimensions) and of one action. */
  readonly normalization: PolicyNormalization;
  /** One name per observation dimension (defaults to `obs0`, `obs1`, …). */
  readonly obsNames?: readonly string[];
  /** One name per action dimension (defaults to `action0`, …). */
  readonly actionNames?: readonly string[];
  /**
   * Action dimensions the training data held at exactly two levels (the gripper command);
   * execution snaps them to the nearer level (`binary-actions.ts`). Default none.
   */
  readonly binaryActions?: readonly BinaryAction[];
}

/** Behaviour-cloning policy: normalizes observations, runs the MLP, de-normalizes the action chunk. */
export class BcPolicy {
  readonly spec: MlpSpec;
  readonly params: Float32Array;
  readonly normalization: PolicyNormalization;
  readonly obsNames: readonly string[];
  readonly actionNames: readonly string[];
  readonly binaryActions: readonly BinaryAction[];
  private workspace: MlpWorkspace | undefined;
  private input: Float32Array = new Float32Array(0);

  constructor(data: BcPolicyData) {
    validateMlpSpec(data.spec);
    const { spec } = data;
    if (data.params.length !== mlpParameterCount(spec)) {
      throw new Error(`BcPolicy: params has ${data.params.length} floats, the spec needs ${mlpParameterCount(spec)}`);
    }
    const n = data.normalization;
    const sizes: [string, number, number][] = [
      ['normalization.obs.mean', n.obs.mean.length, mlpInputSize(spec)],
      ['normalization.obs.std', n.obs.std.length, mlpInputSize(spec)],
      ['normalization.action.mean', n.action.mean.length, spec.actionSize],
      ['normalization.action.std', n.action.std.length, spec.actionSize],
    ];
    for (const [field, got, want] of sizes) {
      if (got !== want) throw new Error(`BcPolicy: ${field} has length ${got}, expected ${want}`);
    }
    this.spec = spec;
    this.params = data.params;
    this.normalization = n;
    this.obsNames = data.obsNames ?? Array.from({ length: spec.obsSize }, (_, i) => `obs${i}`);
    this.actionNames = data.actionNames ?? Array.from({ length: spec.actionSize }, (_, i) => `action${i}`);
    this.binaryActions = data.binaryActions ?? [];
    validateBinaryActions(this.binaryActions, spec.actionSize, 'BcPolicy: binaryActions');
    if (this.obsNames.length !== spec.obsSize) {
      throw new Error(`BcPolicy: obsNames has ${this.obsNames.length} entries, expected ${spec.obsSize}`);
    }
    if (this.actionNames.length !== spec.actionSize) {
      throw new Error(`BcPolicy: actionNames has ${this.actionNames.length} entries, expected ${spec.actionSize}`);
    }
  }

  /**
   * Actions for `batch` observations (`obs`: `batch × obsSize`, row-major) of a policy without
   * observation history (a policy with history needs the steps before: {@link actor}). Returns
   * `batch × chunk × actionSize` de-normalized values: for each row, `chunk` consecutive actions.
   * Writes into `dst` when given. Binary dimensions are returned as predicted (not snapped):
   * execution snaps them after combining chunks (`ChunkExecutor`).
   */
  act(obs: ArrayLike<number>, batch = 1, dst?: Float32Array): Float32Array {
    const history = mlpHistory(this.spec);
    if (history !== 1) {
      throw new Error(`BcPolicy.act: this policy reads an observation history of ${history} steps; act through policy.actor(numWorlds), which keeps it`);
    }
    return this.actOnRows(obs, batch, dst);
  }

  /**
   * Like {@link act}, for the network's input rows (`batch × obsSize × history`: for a policy with
   * history, the rows `observation-history.ts` builds).
   */
  actOnRows(rows: ArrayLike<number>, batch = 1, dst?: Float32Array): Float32Array {
    const { spec } = this;
    const width = mlpInputSize(spec);
    if (rows.length < batch * width) {
      throw new Error(`BcPolicy.act: the input has ${rows.length} values, batch ${batch} needs ${batch * width}`);
    }
    if (!this.workspace || this.workspace.capacity < batch) {
      this.workspace = createMlpWorkspace(spec, batch);
      this.input = new Float32Array(batch * width);
    }
    const input = this.input.subarray(0, batch * width);
    normalizeInto(rows, this.normalization.obs, input, batch * width);
    const output = mlpForward(spec, this.params, input, batch, this.workspace);
    const size = batch * mlpOutputSize(spec);
    const result = dst ?? new Float32Array(size);
    result.set(output.subarray(0, size));
    return denormalizeInPlace(result.subarray(0, size), this.normalization.action);
  }

  /**
   * A {@link PolicyActor} for `numWorlds` worlds whose episodes start now and together: `act`
   * takes each step's raw observations, in order, and keeps the observation history the policy
   * reads (none for history 1). Make a new one for each episode.
   */
  actor(numWorlds: number): PolicyActor {
    const history = mlpHistory(this.spec);
    if (history === 1) return this;
    const observations = new ObservationHistory(this.spec.obsSize, history, numWorlds);
    return {
      spec: this.spec,
      obsNames: this.obsNames,
      binaryActions: this.binaryActions,
      act: (obs, batch, out) => {
        if (batch !== numWorlds) throw new Error(`BcPolicy.actor: made for ${numWorlds} worlds, asked for ${batch}`);
        return this.actOnRows(observations.rows(obs), batch, out);
      },
    };
  }
}
