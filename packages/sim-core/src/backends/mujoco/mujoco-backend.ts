import { cpuBackendFactory } from '../cpu-shards/cpu-backend.js';
import { CONTROLLER_STATE_SIZE } from '../../controller/ee-controller.js';
import { commonWorldState, stateObject, typedArrayField } from '../../sim/state-fields.js';
import { MujocoShard, type MujocoShardInit, type MujocoWorldState } from './shard.js';

/**
 * The mujoco backend: MuJoCo's official WebAssembly build stepping the task's scenes converted
 * to MJCF (`scene-mjcf.ts`), one `mjModel`/`mjData` per world, in shards of worlds on
 * `mujoco-worker.ts` threads (or the calling thread).
 */
export const MujocoBackend = cpuBackendFactory<MujocoShardInit, MujocoWorldState>({
  kind: 'mujoco',
  label: 'MuJoCo',
  createShard: (init) => MujocoShard.create(init),
  parseWorldState(value, w, shape): MujocoWorldState {
    const s = stateObject(value, w);
    return {
      mujoco: typedArrayField(s.mujoco, w, 'mujoco', Float64Array),
      ...commonWorldState(s, w, { controller: CONTROLLER_STATE_SIZE, params: shape.numParams }),
    };
  },
  worker: { callerUrl: import.meta.url, entryBase: './mujoco-worker' },
});
