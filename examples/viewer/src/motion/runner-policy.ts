/**
 * The browser-safe parts of @gripgen/runner the viewer uses, from its `./browser` entry (the
 * package index also exports its Node-only modules: file I/O, worker-thread training, the CLI).
 */
export { BcPolicy, ChunkExecutor, decodePolicy } from '@gripgen/runner/browser';
export type { ChunkExecution, PolicyActor } from '@gripgen/runner/browser';
