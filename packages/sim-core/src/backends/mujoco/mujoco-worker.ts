/**
 * Worker-thread entry of the mujoco backend: one shard of MuJoCo worlds, with its own MuJoCo
 * module instance (see cpu-shards/serve-shard.ts).
 */
import { serveShard } from '../cpu-shards/serve-shard.js';
import { MujocoShard, type MujocoShardInit } from './shard.js';

serveShard((init: MujocoShardInit) => MujocoShard.create(init));
