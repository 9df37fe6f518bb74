/**
 * Vite config of the viewer (`npm run viewer` at the repository root). Workspace packages
 * resolve to their TypeScript sources (the `source` export condition), so no build of the
 * packages is needed; Node built-ins that sim-core imports on its Node-only paths are stubbed.
 */
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

const STUB_PREFIX = '\0gripgen-node-stub:';
const BUILTINS = new Set(builtinModules);

/**
 * Replaces every Node built-in (`node:fs`, `os`, …) with an empty module exporting the same
 * names as `undefined`. sim-core imports them only on paths a page never runs (Dawn's adapter
 * search, the Rapier worker threads); the stub lets those modules load.
 */
export function stubNodeBuiltins(): Plugin {
  return {
    name: 'gripgen-stub-node-builtins',
    enforce: 'pre',
    resolveId(id) {
      const bare = id.startsWith('node:') ? id.slice('node:'.length) : id;
      return id.startsWith('node:') || BUILTINS.has(id) ? STUB_PREFIX + bare : undefined;
    },
    async load(id) {
      if (!id.startsWith(STUB_PREFIX)) return undefined;
      const name = id.slice(STUB_PREFIX.length);
      const names = Object.keys(await import(`node:${name}`)).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k));
      return `export default {};\n${names.map((k) => `export const ${k} = undefined;`).join('\n')}\n`;
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { conditions: ['source', ...defaultClientConditions] },
  plugins: [stubNodeBuiltins()],
  // The Rapier backend's chunk (~3.1 MB, its WASM inlined) is loaded only for a scene the GPU solver refuses.
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 8192 },
  esbuild: { target: 'es2022' },
  optimizeDeps: { esbuildOptions: { target: 'es2022' } },
  server: { open: false },
  clearScreen: false,
});
