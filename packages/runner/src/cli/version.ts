import { readFileSync } from 'node:fs';

/** The version of `@gripgen/runner` (its package.json, next to src/ and dist/). */
export function packageVersion(): string {
  const json = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  if (typeof json.version !== 'string') throw new Error('@gripgen/runner package.json has no version');
  return json.version;
}
