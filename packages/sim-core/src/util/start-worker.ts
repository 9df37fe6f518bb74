import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread running the module `entry` (a `.js` or `.ts` URL next to the caller):
 * the built `.js` directly, or, when running from the TypeScript sources inside the repository
 * (tests, tsx), the `.ts` through tsx's loader registered in the worker.
 *
 * @param callerUrl the caller's `import.meta.url` (decides between `.ts` and `.js`)
 * @param entryBase the entry's path relative to the caller, without extension, e.g. `./rapier-worker`
 */
export function startModuleWorker(callerUrl: string, entryBase: string): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`${entryBase}.js`, callerUrl));
  const entry = new URL(`${entryBase}.ts`, callerUrl).href;
  // Module hooks of the parent thread do not reach a worker: register the `source` export
  // condition (workspace packages resolve to their TypeScript sources, not to a possibly
  // unbuilt dist/) and tsx's loader in the worker itself.
  const hook = `data:text/javascript,${encodeURIComponent(SOURCE_CONDITION_HOOK)}`;
  const bootstrap =
    `import('node:module').then((m) => { m.register(${JSON.stringify(hook)}); return import('tsx/esm/api'); })` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true });
}

/** A resolve hook adding the `source` condition (as `node --conditions=source` would). */
const SOURCE_CONDITION_HOOK = `export async function resolve(specifier, context, next) {
  if (context.conditions.includes('source')) return next(specifier, context);
  return next(specifier, { ...context, conditions: [...context.conditions, 'source'] });
}`;
