/**
 * `@gripgen/runner/onnx`: ONNX policies, browser-safe — the contract checks and batched actions
 * of a model in whichever onnxruntime the caller passes (`OnnxPolicy.create`: onnxruntime-web in
 * the viewer; `gripgen eval` uses `loadOnnxPolicy`, Node), and the export of a policy file's MLP.
 * Apart from `./browser` so that a page loads onnx-proto only when it loads a model.
 */
export { OnnxPolicy } from './policy/onnx-policy.js';
export type { OnnxPolicyTarget, OnnxRuntime, OnnxSession, OnnxTensor } from './policy/onnx-policy.js';
export { policyToOnnx, ONNX_INPUT_NAME, ONNX_OUTPUT_NAME, ONNX_OBS_NAMES_KEY, ONNX_BINARY_ACTIONS_KEY, ONNX_OPSET } from './policy/onnx-export.js';
