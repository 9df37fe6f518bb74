/**
 * The scene solver against pick-place's own kernel, and its contacts per task:
 * `npm run bench:scene-solver [-- --worlds N --rounds R --seconds S --tasks a,b]`. See bench/README.md. This
 * entry only makes `@gripgen/*` imports resolve to the workspace sources under tsx.
 */
import { useWorkspaceSources } from '../../packages/runner/src/workspace-sources.js';

useWorkspaceSources(import.meta.url);
const { main } = await import('./scene-solver/main.js');
await main(process.argv.slice(2));
