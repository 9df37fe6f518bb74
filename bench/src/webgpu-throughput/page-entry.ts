/**
 * The benchmark's browser page (bundled by bundle-page.ts): exposes the same `measureCase`
 * as Node runs, as `globalThis[PAGE_GLOBAL]`, for `page.evaluate` to call.
 */
import { measureCase } from './measure-case.js';
import { PAGE_GLOBAL, type WebGpuBenchPage } from './page-api.js';

(globalThis as unknown as Record<string, WebGpuBenchPage>)[PAGE_GLOBAL] = { measureCase };
