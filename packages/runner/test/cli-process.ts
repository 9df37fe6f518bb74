import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root, the working directory of every CLI run. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** What a CLI run ended with: its exit code (null when killed) and what it printed. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the gripgen CLI from its TypeScript sources in a child process, as `npm run gripgen` does.
 * Asynchronous on purpose: a synchronous spawn blocks the test worker's event loop, and vitest
 * reports an RPC timeout when that lasts over a minute.
 */
export function gripgenProcess(args: readonly string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'packages/runner/src/cli/main.ts', ...args],
      { cwd: repoRoot, encoding: 'utf8', timeout: options.timeoutMs ?? 110_000, maxBuffer: 1 << 28, env: { ...process.env, ...options.env } },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({ status: error ? (typeof code === 'number' ? code : null) : 0, stdout, stderr });
      },
    );
  });
}

/** A CLI run in progress: the child (to signal it), its output so far, and how it ended. */
export interface CliChild {
  child: ChildProcess;
  /** stderr so far. */
  stderr(): string;
  ended: Promise<CliRun & { signal: NodeJS.Signals | null }>;
}

/** As {@link gripgenProcess}, returning the running child, e.g. to send it SIGINT once it printed something. */
export function gripgenChild(args: readonly string[], options: { env?: Record<string, string> } = {}): CliChild {
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/runner/src/cli/main.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const ended = new Promise<CliRun & { signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
  return { child, stderr: () => stderr, ended };
}
