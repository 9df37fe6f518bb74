import { cpuBackendFactory } from '../cpu-shards/cpu-backend.js';
import { CONTROLLER_STATE_SIZE } from '../../controller/ee-controller.js';
import { commonWorldState, stateObject, typedArrayField } from '../../sim/state-fields.js';
import { RapierShard, type ShardInit, type WorldState } from './shard.js';

/** The Rapier backend: a pool of shards of Rapier worlds, on `rapier-worker.ts` threads or the calling thread. */
export const RapierBackend = cpuBackendFactory<ShardInit, WorldState>({
  kind: 'rapier',
  label: 'Rapier',
  createShard: (init) => RapierShard.create(init),
  parseWorldState(value, w, shape): WorldState {
    const s = stateObject(value, w);
    return {
      snapshot: typedArrayField(s.snapshot, w, 'snapshot', Uint8Array),
      ...commonWorldState(s, w, { controller: CONTROLLER_STATE_SIZE, params: shape.numParams }),
    };
  },
  worker: { callerUrl: import.meta.url, entryBase: './rapier-worker' },
});
