import { builtinModules } from 'node:module';
import { build, type Metafile, type Plugin } from 'esbuild';

/** A page's ES modules, built in memory: the entry chunk and the chunks it may import. */
export interface PageBundle {
  /** File name of the entry chunk (relative to the bundle root, e.g. `entry.js`). */
  readonly entry: string;
  /** Every output file (chunks and source maps) by its path relative to the bundle root. */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** esbuild's metafile (inputs of each chunk, imports between chunks). */
  readonly metafile: Metafile;
}

const OUT_DIR = '/bundle';
const BUILTINS = new Set(builtinModules);

/**
 * Replaces every Node built-in (`node:fs`, `os`, …) with an empty CommonJS module. The
 * packages import them only on their Node paths (the Rapier backend, Dawn's adapter search),
 * which a page never calls; the stub lets those modules load without a bundler error.
 */
const stubNodeBuiltins: Plugin = {
  name: 'stub-node-builtins',
  setup(b) {
    b.onResolve({ filter: /^[a-z_:/]+$/ }, (args) =>
      args.path.startsWith('node:') || BUILTINS.has(args.path) ? { path: args.path, namespace: 'node-builtin-stub' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'node-builtin-stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/**
 * Bundles `entryFile` (TypeScript, imports `@gripgen/*` from source) for a browser: ESM,
 * code splitting (so `import()`ed modules such as the Rapier backend stay in chunks a
 * webgpu-only page never loads), Node built-ins stubbed, source maps. Serve it with
 * `servePage` (page-server.ts); chunks load by relative URL.
 */
export async function bundlePage(entryFile: string): Promise<PageBundle> {
  const result = await build({
    entryPoints: { entry: entryFile },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    splitting: true,
    conditions: ['source'],
    outdir: OUT_DIR,
    write: false,
    sourcemap: true,
    metafile: true,
    logLevel: 'silent',
    plugins: [stubNodeBuiltins],
  });
  const files = new Map<string, Uint8Array>();
  for (const file of result.outputFiles) files.set(file.path.slice(OUT_DIR.length + 1), file.contents);
  if (!files.has('entry.js')) throw new Error(`bundlePage: esbuild wrote no entry.js (got ${[...files.keys()].join(', ')})`);
  return { entry: 'entry.js', files, metafile: result.metafile };
}

/**
 * The input files a page loads before running its entry: the inputs of the entry chunk and of
 * every chunk it imports statically (chunks reached only through `import()` are left out).
 */
export function staticallyLoadedInputs(bundle: PageBundle): Set<string> {
  const outputs = bundle.metafile.outputs;
  const key = (name: string) => Object.keys(outputs).find((k) => k.endsWith(`/${name}`) || k === name);
  const seen = new Set<string>();
  const inputs = new Set<string>();
  const visit = (outputKey: string | undefined) => {
    if (!outputKey || seen.has(outputKey)) return;
    seen.add(outputKey);
    const out = outputs[outputKey]!;
    for (const input of Object.keys(out.inputs)) inputs.add(input);
    for (const imp of out.imports) if (imp.kind === 'import-statement') visit(key(imp.path.split('/').pop()!));
  };
  visit(key(bundle.entry));
  return inputs;
}
