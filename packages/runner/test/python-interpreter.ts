/** Finds a Python interpreter with given modules, and runs Python scripts, asynchronously. */
import { execFile } from 'node:child_process';

/** What a Python run ended with: its exit code (null when killed) and what it printed. */
export interface PythonRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `python args…` in a child process. Asynchronous on purpose: a synchronous spawn blocks
 * the test worker's event loop, and vitest reports an RPC timeout when that lasts over a minute.
 */
export function runPython(python: string, args: readonly string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<PythonRun> {
  return new Promise((resolve) => {
    execFile(
      python,
      args,
      { cwd: options.cwd, encoding: 'utf8', timeout: options.timeoutMs ?? 240_000, maxBuffer: 1 << 26, env: { ...process.env, ...options.env } },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({ status: error ? (typeof code === 'number' ? code : null) : 0, stdout, stderr });
      },
    );
  });
}

/**
 * The first of $GRIPGEN_PYTHON, `python3`, /usr/bin/python3 that imports every one of `modules`
 * (Debian's python3-numpy and python3-msgpack, which scripts/setup.sh installs, serve the last).
 * Throws naming what each candidate lacked: CI runs setup.sh first, so a missing module is a
 * set-up bug.
 */
export async function findPython(modules: readonly string[]): Promise<string> {
  const candidates = [process.env.GRIPGEN_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  const tried: string[] = [];
  for (const candidate of candidates) {
    const probe = await runPython(candidate, ['-c', modules.map((m) => `import ${m}`).join('; ')], { timeoutMs: 30_000 });
    if (probe.status === 0) return candidate;
    tried.push(`${candidate}: ${probe.stderr.trim().split('\n').pop() || 'not found'}`);
  }
  throw new Error(
    `This test needs python3 with ${modules.join(' and ')}; none found (${tried.join('; ')}). ` +
      'Run scripts/setup.sh (it installs the Debian packages) or set GRIPGEN_PYTHON to an interpreter that has them.',
  );
}
