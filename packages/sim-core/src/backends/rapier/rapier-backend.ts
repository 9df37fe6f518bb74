import { cpuBackendFactory } from '../cpu-shards/cpu-backend.js';
import { cpuWorldStateParser } from '../../sim/state-fields.js';
import { RapierShard, type ShardInit, type RapierWorldState } from './shard.js';

/** The Rapier backend: a pool of shards of Rapier worlds, on `rapier-worker.ts` threads or the calling thread. */
export const RapierBackend = cpuBackendFactory<ShardInit, RapierWorldState>({
  kind: 'rapier',
  label: 'Rapier',
  createShard: (init) => RapierShard.create(init),
  parseWorldState: cpuWorldStateParser('snapshot', Uint8Array),
  worker: { callerUrl: import.meta.url, entryBase: './rapier-worker' },
});
