/**
 * Gripper model benchmark, old vs new side by side: `npm run bench:gripper [-- options]`.
 * See bench/README.md. This entry only makes `@gripgen/*` imports resolve to the workspace
 * sources under tsx, then runs the benchmark (whose rows run in child processes, one source
 * tree each: trees/source-trees.ts).
 */
import { useWorkspaceSources } from '../../packages/runner/src/workspace-sources.js';

useWorkspaceSources(import.meta.url);
const { main } = await import('./gripper-throughput/main.js');
await main(process.argv.slice(2));
