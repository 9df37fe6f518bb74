/**
 * One command for a real GPU (issue 21, point 4): `npm run bench:gpu [-- --quick] [--worlds …]
 * [--budget-seconds S]`. See bench/README.md. This entry only makes `@gripgen/*` imports resolve
 * to the workspace sources under tsx, then runs it.
 */
import { useWorkspaceSources } from '../../packages/runner/src/workspace-sources.js';

useWorkspaceSources(import.meta.url);
const { main } = await import('./gpu-bench/main.js');
await main(process.argv.slice(2));
