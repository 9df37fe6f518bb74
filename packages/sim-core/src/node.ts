/**
 * Node-only helpers of sim-core (`@gripgen/sim-core/node`), kept out of the main entry so that
 * browser bundles of `@gripgen/sim-core` never import `node:*` modules.
 */
export { startModuleWorker } from './util/start-worker.js';
