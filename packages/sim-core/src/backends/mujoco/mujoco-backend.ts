import { cpuBackendFactory } from '../cpu-shards/cpu-backend.js';
import { cpuWorldStateParser } from '../../sim/state-fields.js';
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
  parseWorldState: cpuWorldStateParser('mujoco', Float64Array),
  worker: { callerUrl: import.meta.url, entryBase: './mujoco-worker' },
});
