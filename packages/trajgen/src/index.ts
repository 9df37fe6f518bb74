export type { Episode, WorldKey, DatagenInfo, Certification } from './episode.js';
export * from './dataset/index.js';
