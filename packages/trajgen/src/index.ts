export type { Episode, WorldKey, DatagenInfo, Certification } from './episode.js';
