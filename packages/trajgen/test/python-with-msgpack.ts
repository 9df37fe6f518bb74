/** Finds the Python interpreter the Python-reader tests run. */
import { spawnSync } from 'node:child_process';

/**
 * The Python that has the msgpack module: $GRIPGEN_PYTHON, else `python3`, else /usr/bin/python3
 * (Debian's python3-msgpack, which scripts/setup.sh installs, serves the latter). Fails the
 * test when there is none: CI runs setup.sh first, so a missing module is a set-up bug.
 */
export function findPythonWithMsgpack(): string {
  const candidates = [process.env.GRIPGEN_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  const tried: string[] = [];
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import msgpack'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
    tried.push(`${candidate}: ${probe.error ? 'not found' : (probe.stderr.trim().split('\n').pop() ?? 'failed')}`);
  }
  throw new Error(
    `The Python dataset reader test needs python3 with the msgpack module; none found (${tried.join('; ')}). ` +
      'Run scripts/setup.sh (it installs Debian\'s python3-msgpack) or set GRIPGEN_PYTHON to an interpreter that has msgpack.',
  );
}
