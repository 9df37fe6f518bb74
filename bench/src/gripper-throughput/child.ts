/**
 * Child process of `npm run bench:gripper`: measures one row against the source tree it runs
 * in and prints the result as one `GRIPPER_SAMPLE <json>` line on stdout.
 *
 *   tsx --conditions=source <tree>/…/gripper-throughput/child.ts '<GripperCase as JSON>'
 *
 * Run with the tree's root as working directory: the Rapier and MuJoCo workers load tsx from
 * there. Copied into the baseline and scratch trees with the files it imports (trees.ts).
 */
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureGripperCase, type GripperCase } from './measure.js';
import { SAMPLE_PREFIX } from './protocol.js';

/** Where `specifier` resolves from this file (real path, symlinks followed), or the error. */
function resolved(specifier: string): string {
  try {
    return realpathSync(fileURLToPath(import.meta.resolve(specifier)));
  } catch (e) {
    return `unresolved: ${(e as Error).message}`;
  }
}

/**
 * The Rapier package the tree's sim-core depends on (the SIMD build, or the scalar one at older
 * commits). Keep in step with `RAPIER_PACKAGES` in trees/source-trees.ts (not imported: this file
 * is copied into trees that lack it).
 */
function rapierPackage(): string {
  const pkg = JSON.parse(readFileSync(join(process.cwd(), 'packages', 'sim-core', 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return ['@dimforge/rapier3d-simd-compat', '@dimforge/rapier3d-compat'].find((name) => name in (pkg.dependencies ?? {})) ?? '@dimforge/rapier3d-simd-compat';
}

const arg = process.argv[2];
if (!arg) throw new Error('usage: child.ts <GripperCase as JSON>');
const c = JSON.parse(arg) as GripperCase;
const sample = await measureGripperCase(c);
const sources = { simCore: resolved('@gripgen/sim-core'), rapier: resolved(rapierPackage()) };
process.stdout.write(`${SAMPLE_PREFIX}${JSON.stringify({ ...sample, sources })}\n`);
