/**
 * @gripgen/runner — running policies and experts over batches of worlds, and the
 * `gripgen` CLI's reusable pieces (machine description, table formatting).
 */
export { runExpertEpisode, expertTaskIds } from './expert-run.js';
export type { ExpertRunOptions, ExpertRunStats } from './expert-run.js';
export { describeMachine, formatMachine } from './cli/machine.js';
export type { MachineDescription } from './cli/machine.js';
export { formatTable, formatKeyValue, formatNumber } from './cli/table.js';
export type { Align, TableOptions } from './cli/table.js';
export {
  mlpSpec,
  validateMlpSpec,
  mlpWidths,
  mlpOutputSize,
  mlpLayerOffsets,
  mlpParameterCount,
  initMlpParams,
  createMlpWorkspace,
  mlpForward,
  mlpBackwardMse,
  DEFAULT_HIDDEN,
} from './policy/mlp.js';
export type { MlpSpec, MlpActivation, MlpLayerOffsets, MlpWorkspace, FloatBuffer } from './policy/mlp.js';
export { computeDimensionStats, normalizeInto, denormalizeInPlace, MIN_STD } from './policy/normalization.js';
export type { DimensionStats, PolicyNormalization } from './policy/normalization.js';
export { Adam } from './policy/adam.js';
export type { AdamOptions } from './policy/adam.js';
export { BcPolicy } from './policy/policy.js';
export type { BcPolicyData } from './policy/policy.js';
export { trainPolicy, fillActionChunk } from './policy/train.js';
export type { TrainingEpisode, TrainProgress, TrainPolicyOptions, TrainPolicyResult } from './policy/train.js';
export {
  encodePolicy,
  decodePolicy,
  float32ToBase64,
  base64ToFloat32,
  POLICY_FORMAT,
  POLICY_FORMAT_VERSION,
  WEIGHTS_ENCODING,
} from './policy/policy-file.js';
export { savePolicyFile, loadPolicyFile } from './policy/policy-file-node.js';
