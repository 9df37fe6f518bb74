/**
 * Uniform structs of the evaluation kernels, each defined once: the WGSL declaration
 * (`wgslStruct`) and the TS writer (`structView`) both come from these layouts.
 */
import { defineStruct } from '@gripgen/shaders';

/** Where the observations sit in the Sim's output rows (4-byte words; see `SimOutputLayout`). */
export const ObsNormalizeConfig = defineStruct('ObsNormalizeConfig', [
  ['numWorlds', 'u32'],
  ['obsSize', 'u32'],
  ['outputStride', 'u32'],
  ['obsOffset', 'u32'],
]);

/**
 * Shape of the chunk history: `slots` slots (the chunk size for `ensemble`, else 1) of
 * `numWorlds × chunk × actionSize` de-normalized actions; `decay` is ACT's ensembling decay.
 * `mode`: 0 first, 1 open-loop, 2 ensemble ({@link CHUNK_MODE_CODES}).
 */
export const ChunkConfig = defineStruct('ChunkConfig', [
  ['numWorlds', 'u32'],
  ['chunk', 'u32'],
  ['actionSize', 'u32'],
  ['mode', 'u32'],
  ['slots', 'u32'],
  ['decay', 'f32'],
]);

/** Where the flags sit in the Sim's output rows, and the fault and contact-overflow bits. */
export const LatchConfig = defineStruct('LatchConfig', [
  ['numWorlds', 'u32'],
  ['outputStride', 'u32'],
  ['flagsOffset', 'u32'],
  ['faultBit', 'u32'],
  ['overflowBit', 'u32'],
]);

/** `ChunkConfig.mode` of each chunk-execution mode. */
export const CHUNK_MODE_CODES = { first: 0, 'open-loop': 1, ensemble: 2 } as const;
