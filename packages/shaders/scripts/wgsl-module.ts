/**
 * Renders the generated module `src/generated/wgsl-sources.ts` from the `.wgsl` files in
 * `src/wgsl/`. Kept free of side effects so the freshness test can call it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The generated file, relative to the package root. */
export const GENERATED_PATH = 'src/generated/wgsl-sources.ts';
/** The folder of `.wgsl` sources, relative to the package root. */
export const WGSL_DIR = 'src/wgsl';

const NAME = /^[a-z][a-z0-9-]*$/;
const DIRECTIVE = /^\s*\/\/\s*#(requires|struct)\s+(.+?)\s*$/;
const FRAGMENT = /^\s*\/\/\s*#fragment\b/; // may be followed by a note on what it uses

/** The `// #requires a b`, `// #struct X Y` and `// #fragment` directives of one WGSL source. */
export function parseDirectives(source: string): { requires: string[]; structs: string[]; fragment: boolean } {
  const requires: string[] = [];
  const structs: string[] = [];
  let fragment = false;
  for (const line of source.split('\n')) {
    if (FRAGMENT.test(line)) fragment = true;
    const m = DIRECTIVE.exec(line);
    if (!m) continue;
    const names = m[2].split(/[\s,]+/).filter(Boolean);
    (m[1] === 'requires' ? requires : structs).push(...names);
  }
  return { requires, structs, fragment };
}

function templateLiteral(text: string): string {
  return '`' + text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
}

/** The full text of the generated module for the package at `packageRoot`. */
export function renderWgslModule(packageRoot: string): string {
  const dir = join(packageRoot, WGSL_DIR);
  const files = readdirSync(dir).filter((f) => f.endsWith('.wgsl')).sort();
  const entries = files.map((file) => {
    const name = file.slice(0, -'.wgsl'.length);
    if (!NAME.test(name)) throw new Error(`${file}: shader file names must be kebab-case ([a-z0-9-])`);
    const source = readFileSync(join(dir, file), 'utf8').replace(/\r\n/g, '\n');
    const { requires, structs, fragment } = parseDirectives(source);
    return (
      `  '${name}': {\n` +
      `    file: '${file}',\n` +
      `    requires: ${JSON.stringify(requires)},\n` +
      `    structs: ${JSON.stringify(structs)},\n` +
      `    fragment: ${fragment},\n` +
      `    source: ${templateLiteral(source)},\n` +
      `  },\n`
    );
  });
  return (
    `// GENERATED from src/wgsl/*.wgsl by scripts/embed-wgsl.ts — do not edit.\n` +
    `// After changing a .wgsl file run: npm run gen -w @gripgen/shaders\n` +
    `import type { WgslSourceEntry } from '../wgsl-source-entry.js';\n\n` +
    `/** The raw text and directives of every .wgsl file in src/wgsl, by file name. */\n` +
    `export const WGSL_SOURCES = {\n${entries.join('')}} as const satisfies Record<string, WgslSourceEntry>;\n`
  );
}
