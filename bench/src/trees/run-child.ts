/** Runs a benchmark's child process in a source tree and reads its result line. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, type SourceTree } from './source-trees.js';

/**
 * Runs `tree.childEntry` with tsx (cwd: the tree's root) and one JSON argument, and returns the
 * JSON on the first stdout line that starts with `prefix`; throws with the end of its stderr when
 * it exits non-zero or prints no such line.
 */
export async function runChild<T>(tree: SourceTree, arg: unknown, prefix: string): Promise<T> {
  const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, ['--conditions=source', tree.childEntry, JSON.stringify(arg)], { cwd: tree.root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const line = stdout.split('\n').find((l) => l.startsWith(prefix));
  if (code !== 0 || !line) {
    const tail = stderr.trim().split('\n').slice(-6).join(' | ');
    throw new Error(`exit ${code}${tail ? `: ${tail}` : ''}`);
  }
  return JSON.parse(line.slice(prefix.length)) as T;
}
