#!/usr/bin/env node
/**
 * Entry of the `gripgen` command. Run from the TypeScript sources (tsx), it first makes
 * `@gripgen/*` imports resolve to the workspace sources, then loads the commands.
 */
import { useWorkspaceSources } from '../workspace-sources.js';

useWorkspaceSources(import.meta.url);
const { runCli } = await import('./dispatch.js');
process.exitCode = await runCli(process.argv.slice(2));
