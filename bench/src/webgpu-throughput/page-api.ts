import type { measureCase } from './measure-case.js';

/** What the benchmark page exposes as `globalThis[PAGE_GLOBAL]` once its modules have loaded. */
export interface WebGpuBenchPage {
  measureCase: typeof measureCase;
}

/** The global the benchmark page defines. */
export const PAGE_GLOBAL = 'gripgenWebGpuBench';
