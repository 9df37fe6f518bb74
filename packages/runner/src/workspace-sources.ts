import { register } from 'node:module';

/**
 * A module-resolution hook that adds the `source` export condition, so that `@gripgen/*`
 * workspace packages resolve to their TypeScript sources instead of their (possibly
 * unbuilt) `dist/` output.
 */
const SOURCE_CONDITION_HOOK = `export async function resolve(specifier, context, next) {
  if (context.conditions.includes('source')) return next(specifier, context);
  return next(specifier, { ...context, conditions: [...context.conditions, 'source'] });
}`;

/**
 * When `entryUrl` (an entry point's `import.meta.url`) is a `.ts` file, i.e. the program
 * runs from sources through tsx, registers a hook resolving workspace packages to their
 * sources (as `node --conditions=source` would). Does nothing when running built `.js`.
 * Only imports made after this call are affected: call it first, then `import()` the rest.
 * Returns whether the hook was registered.
 */
export function useWorkspaceSources(entryUrl: string): boolean {
  if (!entryUrl.endsWith('.ts')) return false;
  register(`data:text/javascript,${encodeURIComponent(SOURCE_CONDITION_HOOK)}`);
  return true;
}
