export { createDatasetWriter, DEFAULT_EPISODES_PER_SHARD } from './writer.js';
export { DatasetLockedError, LOCK_FILE } from './dataset-lock.js';
export type { LockHolder } from './dataset-lock.js';
export type { DatasetWriter, DatasetWriterOptions, ResumeState } from './writer.js';
export { openDataset } from './reader.js';
export { writeFileAtomic } from './atomic-file.js';
export { fsError, makeDirectory } from './fs-error.js';
export type { Dataset, EpisodeSet, OpenDatasetOptions } from './reader.js';
export { verifyDataset, verifyShards } from './verify-dataset.js';
export type { DatasetProblem, DatasetVerification, ShardsVerification, VerifyDatasetOptions } from './verify-dataset.js';
export { DATASET_KIND, DATASET_SCHEMA_VERSION, MANIFEST_FILE, SHARDS_DIR, canonicalJson, hashJson } from './manifest.js';
export type { DatasetCounts, DatasetManifest, JsonObject, JsonValue, SeedSlice, ShardEntry } from './manifest.js';
export { decodeEpisode, encodeEpisode, validateEpisode, POSE_SIZE } from './episode-codec.js';
export type { EncodedTensor, EpisodeLayout, TensorDtype } from './episode-codec.js';
export {
  DatasetChecksumError,
  DatasetConfigMismatchError,
  DatasetCorruptError,
  DatasetDamagedError,
  DatasetError,
  DatasetManifestError,
} from './errors.js';
export type { ConfigDifference, DamagedFile } from './errors.js';
export { msgpackValueEnd, MsgpackScanError } from './msgpack-scan.js';
