/**
 * A gripgen policy as an ONNX model, in the contract `gripgen eval` reads (runner README,
 * "ONNX policies"): input `obs` float32 [N, obsSize] of raw observations, output `actions`
 * float32 [N, actionSize] (chunk 1) or [N, chunk, actionSize], de-normalized delta actions.
 * The normalization is inside the graph:
 *
 *   x = (obs − obs_mean) / obs_std
 *   h = Relu(Gemm(x, W1ᵀ, b1)) … (one Gemm + Relu per hidden layer, a last Gemm without Relu)
 *   actions = Reshape(y × action_std + action_mean)
 *
 * The weights keep the MLP's [fanOut][fanIn] layout (`mlp.ts`): each Gemm has `transB = 1`.
 * Metadata (`metadata_props`): `gripgen.obs_names` and `gripgen.binary_actions` (JSON), which
 * `gripgen eval` checks against the task and uses to snap the gripper as it does for policy files.
 * Written with onnx-proto (ONNX's protobuf schema compiled by protobufjs); no Node-only APIs.
 */
import onnxProto, { type onnx } from 'onnx-proto';
import { mlpHistory, mlpLayerOffsets, mlpOutputSize } from './mlp.js';
import type { BcPolicy } from './policy.js';

/** Graph input and output names of an exported policy. */
export const ONNX_INPUT_NAME = 'obs';
export const ONNX_OUTPUT_NAME = 'actions';
/** Metadata keys of an exported policy (both optional in a model `gripgen eval` reads). */
export const ONNX_OBS_NAMES_KEY = 'gripgen.obs_names';
export const ONNX_BINARY_ACTIONS_KEY = 'gripgen.binary_actions';
/** The ONNX operator set the export uses (ai.onnx). */
export const ONNX_OPSET = 13;

// onnx-proto is CommonJS: its namespace is a property of the default export in Node's ESM.
const { onnx: proto } = onnxProto;
const FLOAT = proto.TensorProto.DataType.FLOAT;
const INT64 = proto.TensorProto.DataType.INT64;

function floatTensor(name: string, dims: number[], values: ArrayLike<number>): onnx.ITensorProto {
  const data = Float32Array.from(values as ArrayLike<number>);
  return { name, dims, dataType: FLOAT, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

function valueInfo(name: string, dims: (number | string)[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** The ONNX model (serialized ModelProto bytes) of `policy`. */
export function policyToOnnx(policy: BcPolicy): Uint8Array {
  const { spec, params, normalization } = policy;
  if (mlpHistory(spec) !== 1) {
    throw new Error(`policyToOnnx: the ONNX contract takes one step's observations; this policy reads an observation history of ${mlpHistory(spec)} steps`);
  }
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [
    floatTensor('obs_mean', [spec.obsSize], normalization.obs.mean),
    floatTensor('obs_std', [spec.obsSize], normalization.obs.std),
  ];
  nodes.push({ opType: 'Sub', input: [ONNX_INPUT_NAME, 'obs_mean'], output: ['obs_centered'], name: 'normalize_sub' });
  nodes.push({ opType: 'Div', input: ['obs_centered', 'obs_std'], output: ['h0'], name: 'normalize_div' });
  const layers = mlpLayerOffsets(spec);
  layers.forEach((layer, l) => {
    const w = `W${l + 1}`;
    const b = `b${l + 1}`;
    initializers.push(floatTensor(w, [layer.fanOut, layer.fanIn], params.subarray(layer.weight, layer.weight + layer.fanIn * layer.fanOut)));
    initializers.push(floatTensor(b, [layer.fanOut], params.subarray(layer.bias, layer.bias + layer.fanOut)));
    const last = l + 1 === layers.length;
    const out = last ? 'y' : `z${l + 1}`;
    nodes.push({ opType: 'Gemm', input: [`h${l}`, w, b], output: [out], name: `dense${l + 1}`, attribute: [{ name: 'transB', type: proto.AttributeProto.AttributeType.INT, i: 1 }] });
    if (!last) nodes.push({ opType: 'Relu', input: [out], output: [`h${l + 1}`], name: `relu${l + 1}` });
  });
  // The action statistics repeated for each action of the chunk (the output is chunk × actionSize wide).
  const outputSize = mlpOutputSize(spec);
  const tile = (values: Float32Array) => Array.from({ length: outputSize }, (_, j) => values[j % spec.actionSize]);
  initializers.push(floatTensor('action_std', [outputSize], tile(normalization.action.std)));
  initializers.push(floatTensor('action_mean', [outputSize], tile(normalization.action.mean)));
  nodes.push({ opType: 'Mul', input: ['y', 'action_std'], output: ['y_scaled'], name: 'denormalize_mul' });
  const chunked = spec.chunk > 1;
  nodes.push({ opType: 'Add', input: ['y_scaled', 'action_mean'], output: [chunked ? 'actions_flat' : ONNX_OUTPUT_NAME], name: 'denormalize_add' });
  if (chunked) {
    initializers.push({ name: 'chunk_shape', dims: [3], dataType: INT64, int64Data: [-1, spec.chunk, spec.actionSize] });
    nodes.push({ opType: 'Reshape', input: ['actions_flat', 'chunk_shape'], output: [ONNX_OUTPUT_NAME], name: 'chunk' });
  }
  const model: onnx.IModelProto = {
    irVersion: proto.Version.IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'gripgen',
    graph: {
      name: 'gripgen_bc_policy',
      node: nodes,
      initializer: initializers,
      input: [valueInfo(ONNX_INPUT_NAME, ['N', spec.obsSize])],
      output: [valueInfo(ONNX_OUTPUT_NAME, chunked ? ['N', spec.chunk, spec.actionSize] : ['N', spec.actionSize])],
    },
    metadataProps: [
      { key: ONNX_OBS_NAMES_KEY, value: JSON.stringify(policy.obsNames) },
      { key: ONNX_BINARY_ACTIONS_KEY, value: JSON.stringify(policy.binaryActions.map(({ index, low, high }) => ({ index, low, high }))) },
    ],
  };
  return proto.ModelProto.encode(proto.ModelProto.create(model)).finish();
}
