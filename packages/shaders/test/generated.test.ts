import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GENERATED_PATH, parseDirectives, renderWgslModule } from '../scripts/wgsl-module.js';
import { SHADER_NAMES, shaderSource } from '../src/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('embedded WGSL', () => {
  it('src/generated/wgsl-sources.ts is up to date (else run: npm run gen -w @gripgen/shaders)', () => {
    expect(readFileSync(join(root, GENERATED_PATH), 'utf8')).toBe(renderWgslModule(root));
  });

  it('embeds every .wgsl file verbatim', () => {
    for (const name of SHADER_NAMES) {
      expect(shaderSource(name)).toBe(readFileSync(join(root, 'src/wgsl', `${name}.wgsl`), 'utf8'));
    }
    expect(SHADER_NAMES).toContain('hash-prng');
    expect(SHADER_NAMES).toContain('box-render');
  });

  it('parses #requires and #struct directives', () => {
    expect(parseDirectives('// #requires a b\n//#requires c,d\n  // #struct S T\nfn f() {}\n// not # a directive')).toEqual({
      requires: ['a', 'b', 'c', 'd'],
      structs: ['S', 'T'],
      fragment: false,
    });
    expect(parseDirectives('// #fragment (uses K)\nfn f() -> f32 { return K; }').fragment).toBe(true);
  });
});
