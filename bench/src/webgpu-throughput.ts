/**
 * WebGPU throughput benchmark (Node/Dawn and headless Chrome, vs Rapier):
 * `npm run bench:webgpu [-- --quick] [-- --workgroup-size N]`. See bench/README.md. This entry
 * only makes `@gripgen/*` imports resolve to the workspace sources under tsx, then runs it.
 */
import { useWorkspaceSources } from '../../packages/runner/src/workspace-sources.js';

useWorkspaceSources(import.meta.url);
const { main } = await import('./webgpu-throughput/main.js');
await main(process.argv.slice(2));
