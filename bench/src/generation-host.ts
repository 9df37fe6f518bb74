/**
 * Host time of generation, old vs new side by side: `npm run bench:generation-host [-- options]`.
 * See bench/README.md. Makes `@gripgen/*` imports resolve to the workspace sources under tsx,
 * then runs the benchmark (whose rows run in child processes, one source tree each).
 */
import { useWorkspaceSources } from '../../packages/runner/src/workspace-sources.js';

useWorkspaceSources(import.meta.url);
const { main } = await import('./generation-host/main.js');
await main(process.argv.slice(2));
