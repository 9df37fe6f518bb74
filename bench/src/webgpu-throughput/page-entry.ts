/**
 * The benchmark's browser page (bundled by bundle-page.ts): exposes the same `measureCase`
 * as Node runs, as `globalThis.gripgenWebGpuBench`, for `page.evaluate` to call.
 */
import { measureCase } from './measure-case.js';

/** What the page exposes (the name is {@link PAGE_GLOBAL}). */
export interface WebGpuBenchPage {
  measureCase: typeof measureCase;
}

/** The global the page defines once loaded. */
export const PAGE_GLOBAL = 'gripgenWebGpuBench';

(globalThis as unknown as Record<string, WebGpuBenchPage>)[PAGE_GLOBAL] = { measureCase };
