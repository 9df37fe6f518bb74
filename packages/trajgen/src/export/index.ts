export { exportRobomimic, nextObservations, ROBOMIMIC_ENV_TYPE, ROBOMIMIC_FILE } from './robomimic.js';
export type { ExportOptions, ExportResult } from './robomimic.js';
export { ExportTargetExistsError } from './export-target.js';
export { splitObsKeys, sliceObsKey } from './obs-keys.js';
export type { ObsKey } from './obs-keys.js';
export { DEFAULT_VALID_FRACTION, validationMask } from './split.js';
export { poseToMatrix, posesToMatrices } from './pose-matrix.js';
