/**
 * Rapier backend throughput benchmark: `npm run bench:rapier [-- --quick]`.
 * See bench/README.md. This entry only makes `@gripgen/*` imports resolve to the workspace
 * sources under tsx, then runs the benchmark.
 */
import { useWorkspaceSources } from '../../packages/runner/src/workspace-sources.js';

useWorkspaceSources(import.meta.url);
const { main } = await import('./rapier-throughput/main.js');
await main(process.argv.slice(2));
