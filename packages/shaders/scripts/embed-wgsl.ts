/**
 * Regenerates `src/generated/wgsl-sources.ts` from `src/wgsl/*.wgsl`.
 * Usage: npm run gen -w @gripgen/shaders   (or: npx tsx packages/shaders/scripts/embed-wgsl.ts)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_PATH, renderWgslModule } from './wgsl-module.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, GENERATED_PATH);
const text = renderWgslModule(root);
let old = '';
try {
  old = readFileSync(target, 'utf8');
} catch {
  // first run
}
if (old !== text) {
  writeFileSync(target, text);
  process.stdout.write(`embed-wgsl: wrote ${GENERATED_PATH}\n`);
} else {
  process.stdout.write(`embed-wgsl: ${GENERATED_PATH} is up to date\n`);
}
