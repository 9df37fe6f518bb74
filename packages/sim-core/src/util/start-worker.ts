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
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true });
}
