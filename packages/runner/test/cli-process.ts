import { execFile } from 'node:child_process';
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
