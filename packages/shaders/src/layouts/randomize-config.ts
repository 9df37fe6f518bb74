import { defineStruct } from '../layout/struct-layout.js';

/**
 * Uniforms of the `randomize-params` kernel. `opaqueZero` must be written as 0: it is the
 * run-time zero that keeps the compiler from fusing the PRNG's multiply-add (see
 * `noContract` in hash-prng.wgsl).
 */
export const RandomizeConfig = defineStruct('RandomizeConfig', [
  ['seed', 'u32'],
  ['numWorlds', 'u32'],
  ['numParams', 'u32'],
  ['opaqueZero', 'u32'],
]);
