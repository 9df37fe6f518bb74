import type { StructLayout } from '../layout/struct-layout.js';
import { RandomizeConfig } from './randomize-config.js';

export { RandomizeConfig } from './randomize-config.js';

/**
 * Every struct layout that shaders in this package may name with `// #struct Name`,
 * by struct name. Add new layouts here (one file per layout in this folder).
 */
export const STRUCT_LAYOUTS: Readonly<Record<string, StructLayout>> = {
  [RandomizeConfig.name]: RandomizeConfig,
};
