/**
 * An ONNX model as a gripgen policy, run by an onnxruntime — onnxruntime-node in `gripgen eval`
 * (`onnx-policy-node.ts`), onnxruntime-web in the viewer; both are passed in as an
 * {@link OnnxRuntime}, so this module imports neither and runs in Node and in a page. The
 * contract (runner README, "ONNX policies"):
 * - one input: float32 [N, obsSize], the task's raw observations in its order (`gripgen tasks`);
 *   N is the number of worlds (a dynamic first dimension);
 * - the output named `actions`, else the first: float32 [N, actionSize] (one action per step),
 *   or an action chunk [N, k, actionSize] or [N, k·actionSize] (k actions, executed as policy
 *   files' chunks are: temporal ensembling), de-normalized delta actions as `Sim.step` takes them;
 * - normalization inside the graph (what goes in and out are the simulator's units);
 * - optional `metadata_props`: `gripgen.obs_names` (JSON list, checked against the task) and
 *   `gripgen.binary_actions` (JSON list of { index, low, high }: dimensions snapped to the nearer
 *   level, e.g. the gripper, as for policy files).
 */
import onnxProto from 'onnx-proto';
import { validateBinaryActions, type BinaryAction } from './binary-actions.js';
import { ONNX_BINARY_ACTIONS_KEY, ONNX_OBS_NAMES_KEY, ONNX_OUTPUT_NAME } from './onnx-export.js';
import type { PolicyActor } from './policy-actor.js';

/** What the task expects of the model. */
export interface OnnxPolicyTarget {
  /** The task's observation names (their count is the input width). */
  obsNames: readonly string[];
  actionSize: number;
}

/** The part of an onnxruntime tensor a policy reads. */
export interface OnnxTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

/** The part of an onnxruntime `InferenceSession` a policy uses. */
export interface OnnxSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OnnxTensor>): Promise<Record<string, OnnxTensor>>;
  release(): Promise<void>;
}

/** An onnxruntime package (`onnxruntime-node`, `onnxruntime-web`): what differs between Node and a page. */
export interface OnnxRuntime {
  InferenceSession: { create(model: Uint8Array): Promise<OnnxSession> };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OnnxTensor;
}

/** A loaded ONNX policy; {@link OnnxPolicy.release} frees the session. */
export class OnnxPolicy implements PolicyActor {
  private constructor(
    private readonly ort: OnnxRuntime,
    private session: OnnxSession | null,
    private readonly inputName: string,
    private readonly outputName: string,
    readonly spec: { readonly obsSize: number; readonly actionSize: number; readonly chunk: number },
    readonly obsNames: readonly string[],
    readonly binaryActions: readonly BinaryAction[],
    /** Where it came from, for messages. */
    readonly source: string,
  ) {}

  /**
   * Loads the model `bytes` (from `source`, a path or file name) into `ort` and checks it against
   * the task: one float32 input of the task's observation width, an output of actionSize or a
   * chunk of them. Errors name the source, the tensor, what it has and what is expected.
   */
  static async create(bytes: Uint8Array, source: string, target: OnnxPolicyTarget, ort: OnnxRuntime): Promise<OnnxPolicy> {
    const fail = (problem: string): never => {
      throw new Error(`ONNX model ${source}: ${problem}`);
    };
    let model: ReturnType<typeof onnxProto.onnx.ModelProto.decode>;
    try {
      model = onnxProto.onnx.ModelProto.decode(bytes);
    } catch (error) {
      return fail(`not an ONNX model (${(error as Error).message})`);
    }
    const metadata = new Map((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
    let session: OnnxSession;
    try {
      session = await ort.InferenceSession.create(bytes);
    } catch (error) {
      return fail(`onnxruntime cannot load it: ${(error as Error).message}`);
    }
    try {
      return await OnnxPolicy.check(session, model, metadata, source, target, ort, fail);
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  private static async check(
    session: OnnxSession,
    model: ReturnType<typeof onnxProto.onnx.ModelProto.decode>,
    metadata: Map<string, string>,
    source: string,
    target: OnnxPolicyTarget,
    ort: OnnxRuntime,
    fail: (problem: string) => never,
  ): Promise<OnnxPolicy> {
    const obsSize = target.obsNames.length;
    const { actionSize } = target;
    if (session.inputNames.length !== 1) {
      return fail(`has inputs ${JSON.stringify(session.inputNames)}; a policy has one: float32 [N, ${obsSize}] observations`);
    }
    const [inputName] = session.inputNames;
    const declared = model.graph?.input?.find((v) => v.name === inputName)?.type?.tensorType?.shape?.dim?.map((d) => (d.dimValue ? Number(d.dimValue) : (d.dimParam ?? '?')));
    if (declared && typeof declared[0] === 'number') {
      return fail(
        `input '${inputName}' has a fixed batch of ${declared[0]} ([${declared.join(', ')}]); the batch (worlds) must be a dynamic first dimension ` +
          `(torch.onnx.export(..., dynamic_axes={'${inputName}': {0: 'N'}}))`,
      );
    }
    if (declared && (declared.length !== 2 || (typeof declared[1] === 'number' && declared[1] !== obsSize))) {
      return fail(`input '${inputName}' has shape [${declared.join(', ')}]; expected [N, ${obsSize}] (the task's ${obsSize} observations)`);
    }
    const outputName = session.outputNames.includes(ONNX_OUTPUT_NAME) ? ONNX_OUTPUT_NAME : session.outputNames[0];
    if (outputName === undefined) return fail('has no output');
    // One probe row tells the input width (a mismatch fails here) and the output shape.
    let probe: OnnxTensor;
    try {
      const out = await session.run({ [inputName]: new ort.Tensor('float32', new Float32Array(obsSize), [1, obsSize]) });
      probe = out[outputName];
    } catch (error) {
      return fail(`running it on input '${inputName}' float32 [1, ${obsSize}] (the task's ${obsSize} observations) failed: ${(error as Error).message}`);
    }
    if (probe.type !== 'float32') return fail(`output '${outputName}' is ${probe.type}; it must be float32`);
    const dims = probe.dims.map(Number);
    const width = dims.slice(1).reduce((a, b) => a * b, 1);
    const shapeOk = dims[0] === 1 && (dims.length === 2 || (dims.length === 3 && dims[2] === actionSize)) && width % actionSize === 0 && width > 0;
    if (!shapeOk) {
      return fail(`output '${outputName}' has shape [${dims.join(', ')}] for one observation; expected [1, ${actionSize}], [1, k, ${actionSize}] or [1, k·${actionSize}]`);
    }
    const obsNames = parseObsNames(metadata.get(ONNX_OBS_NAMES_KEY), obsSize, fail) ?? target.obsNames;
    const binaryActions = parseBinaryActions(metadata.get(ONNX_BINARY_ACTIONS_KEY), actionSize, fail);
    return new OnnxPolicy(ort, session, inputName, outputName, { obsSize, actionSize, chunk: width / actionSize }, obsNames, binaryActions, source);
  }

  async act(obs: Float32Array, batch: number, dst: Float32Array): Promise<Float32Array> {
    if (!this.session) throw new Error(`ONNX policy ${this.source} was released`);
    const { obsSize, actionSize, chunk } = this.spec;
    const input = new this.ort.Tensor('float32', obs.slice(0, batch * obsSize), [batch, obsSize]);
    const output = (await this.session.run({ [this.inputName]: input }))[this.outputName];
    const size = batch * chunk * actionSize;
    const data = output.data as Float32Array;
    if (data.length !== size) {
      throw new Error(`ONNX model ${this.source}: output '${this.outputName}' has ${data.length} values for ${batch} observations, expected ${size}`);
    }
    dst.set(data);
    return dst.subarray(0, size);
  }

  /** Frees the onnxruntime session. Idempotent. */
  async release(): Promise<void> {
    const session = this.session;
    this.session = null;
    await session?.release();
  }
}

function parseObsNames(text: string | undefined, obsSize: number, fail: (problem: string) => never): string[] | undefined {
  if (text === undefined) return undefined;
  let names: unknown;
  try {
    names = JSON.parse(text);
  } catch {
    return fail(`metadata '${ONNX_OBS_NAMES_KEY}' is not JSON`);
  }
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) return fail(`metadata '${ONNX_OBS_NAMES_KEY}' must be a JSON list of strings`);
  if (names.length !== obsSize) return fail(`metadata '${ONNX_OBS_NAMES_KEY}' names ${names.length} observations; the task has ${obsSize}`);
  return names as string[];
}

function parseBinaryActions(text: string | undefined, actionSize: number, fail: (problem: string) => never): BinaryAction[] {
  if (text === undefined) return [];
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    return fail(`metadata '${ONNX_BINARY_ACTIONS_KEY}' is not JSON`);
  }
  try {
    if (!Array.isArray(list)) throw new Error('must be a JSON list of { index, low, high }');
    validateBinaryActions(list as BinaryAction[], actionSize, ONNX_BINARY_ACTIONS_KEY);
  } catch (error) {
    return fail(`metadata ${(error as Error).message}`);
  }
  return list as BinaryAction[];
}
