/**
 * `@gripgen/runner/browser`: the parts of the runner a web page can run — decoding a policy
 * file, running the policy on the CPU, executing its action chunks, binary-action snapping
 * (ONNX policies are `@gripgen/runner/onnx`, apart: they pull in onnx-proto).
 * None of these modules imports a Node built-in (the package index also exports training in
 * worker threads, file I/O and the CLI, which do).
 */
export { decodePolicy, encodePolicy } from './policy/policy-file.js';
export { BcPolicy } from './policy/policy.js';
export type { BcPolicyData } from './policy/policy.js';
export { initMlpParams, mlpSpec } from './policy/mlp.js';
export type { MlpSpec } from './policy/mlp.js';
export { ChunkExecutor, CHUNK_EXECUTIONS, ENSEMBLE_DECAY } from './evaluate/chunk-executor.js';
export type { ChunkExecution } from './evaluate/chunk-executor.js';
export { detectBinaryActions, snapBinaryActions, snapToLevel } from './policy/binary-actions.js';
export type { BinaryAction } from './policy/binary-actions.js';
export type { PolicyActor } from './policy/policy-actor.js';
