import { WGSL_SOURCES } from './generated/wgsl-sources.js';
import type { StructLayout } from './layout/struct-layout.js';
import { STRUCT_LAYOUTS } from './layouts/index.js';
import type { WgslSourceEntry } from './wgsl-source-entry.js';
import { composeWgsl, type AssembledShader, type WgslPiece } from './compose.js';

/*
 * How WGSL gets into JS. Each `src/wgsl/*.wgsl` file is embedded as a string in the checked-in
 * module `src/generated/wgsl-sources.ts` (scripts/embed-wgsl.ts writes it; a test fails when it
 * is stale). Chosen over the alternatives because a plain TS string module works unchanged from
 * sources (tsx, vitest), from the tsc-built `dist/` (tsc does not copy .wgsl files), and in any
 * bundler (Vite, esbuild, Puppeteer pages) with no loader configuration and no async fetch,
 * whereas `fs.readFile` fails in browsers, `?raw` imports need Vite, and
 * `new URL('x.wgsl', import.meta.url)` needs asset copying and an async load.
 */

/** Name of a shader in the registry (its `.wgsl` file name without the extension). */
export type ShaderName = keyof typeof WGSL_SOURCES;

/** Every shader in the registry, sorted. */
export const SHADER_NAMES = Object.keys(WGSL_SOURCES) as ShaderName[];

/** The registry: raw source and directives of every shader, by name. */
export const SHADERS: Readonly<Record<ShaderName, WgslSourceEntry>> = WGSL_SOURCES;

/** Whether `name` is a registered shader. */
export function isShaderName(name: string): name is ShaderName {
  return Object.prototype.hasOwnProperty.call(WGSL_SOURCES, name);
}

function entry(name: string, from?: string): WgslSourceEntry {
  if (!isShaderName(name)) {
    throw new Error(`unknown shader "${name}"${from ? ` (required by ${from})` : ''}; known: ${SHADER_NAMES.join(', ')}`);
  }
  return WGSL_SOURCES[name];
}

/** The raw text of shader `name` (its `.wgsl` file, without its dependencies). */
export function shaderSource(name: ShaderName): string {
  return entry(name).source;
}

/** Options of {@link assembleShader}. */
export interface AssembleOptions {
  /**
   * Layouts for `// #struct` names, taking precedence over the package's own
   * ({@link STRUCT_LAYOUTS}); use it for layouts defined outside this package.
   */
  readonly structs?: readonly StructLayout[];
}

/**
 * Shader `name` as one compilable WGSL module: the declarations of every struct named by a
 * `// #struct` line (of it or of any shader it requires), then every shader named by a
 * `// #requires` line (transitively, each once, dependencies first), then its own text.
 */
export function assembleShader(name: ShaderName, options: AssembleOptions = {}): AssembledShader {
  const extra = new Map((options.structs ?? []).map((s) => [s.name, s] as const));
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (n: string, from?: string): void => {
    if (state.get(n) === 'done') return;
    if (state.get(n) === 'visiting') throw new Error(`shader "${n}" requires itself (cycle through ${from})`);
    state.set(n, 'visiting');
    for (const dep of entry(n, from).requires) visit(dep, n);
    state.set(n, 'done');
    order.push(n);
  };
  visit(name);
  const structs: StructLayout[] = [];
  for (const n of order) {
    for (const s of entry(n).structs) {
      const layout = extra.get(s) ?? STRUCT_LAYOUTS[s];
      if (!layout) throw new Error(`shader "${n}" needs struct ${s}: no layout of that name (pass it in options.structs)`);
      structs.push(layout);
    }
  }
  const pieces: WgslPiece[] = order.map((n) => ({ origin: entry(n).file, text: entry(n).source }));
  return composeWgsl(name, structs, pieces);
}

/** {@link assembleShader}'s code only. */
export function shaderCode(name: ShaderName, options?: AssembleOptions): string {
  return assembleShader(name, options).code;
}
