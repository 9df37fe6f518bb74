/**
 * The browser-safe parts of @gripgen/runner the viewer uses. The runner's package index also
 * exports its Node-only modules (file I/O, worker-thread training, the CLI), so these are
 * imported from their source files, which import nothing Node-specific.
 */
export { decodePolicy } from '../../../../packages/runner/src/policy/policy-file.js';
export { BcPolicy } from '../../../../packages/runner/src/policy/policy.js';
export { ChunkExecutor } from '../../../../packages/runner/src/evaluate/chunk-executor.js';
export type { ChunkExecution } from '../../../../packages/runner/src/evaluate/chunk-executor.js';
