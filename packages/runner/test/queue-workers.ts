/**
 * `gripgen worker` processes for the queue tests, started asynchronously from the TypeScript
 * sources (as cli-process.ts does), with their stderr collected and watched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from './cli-process.js';

/** A running worker process. */
export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  /** Everything it printed to stderr so far. */
  log(): string;
  /** Resolves with the first match of `pattern` in its stderr (checked as lines arrive); rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM (finish the unit, then stop), then SIGKILL after `graceMs`; resolves when it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `gripgen worker --queue <url> --name <name> ...extra` (from the checkout at `root`, by default this one). */
export function startWorker(url: string, name: string, extra: readonly string[] = [], root = repoRoot): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/runner/src/cli/main.ts', 'worker', '--queue', url, '--name', name, ...extra], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let text = '';
  const watchers = new Set<() => void>();
  child.stderr!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    for (const check of [...watchers]) check();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    child,
    log: () => text,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`worker ${name}: no ${pattern} within ${timeoutMs} ms; it printed:\n${text}`));
        }, timeoutMs);
        const check = () => {
          const match = text.match(pattern);
          if (!match) return;
          clearTimeout(timer);
          watchers.delete(check);
          resolve(match);
        };
        watchers.add(check);
        check();
      });
    },
    exited,
    async stop(graceMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
