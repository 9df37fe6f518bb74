/**
 * Physical scenarios on every backend: `npm run bench:scenarios [-- --worlds N --backends rapier,webgpu]`.
 * See bench/README.md. This entry only makes `@gripgen/*` imports resolve to the workspace
 * sources under tsx, then runs the benchmark.
 */
import { useWorkspaceSources } from '../../packages/runner/src/workspace-sources.js';

useWorkspaceSources(import.meta.url);
const { main } = await import('./physics-scenarios/main.js');
await main(process.argv.slice(2));
