/** Worker-thread entry of the Rapier backend: one shard of Rapier worlds (see cpu-shards/serve-shard.ts). */
import { serveShard } from '../cpu-shards/serve-shard.js';
import { RapierShard, type ShardInit } from './shard.js';

serveShard((init: ShardInit) => RapierShard.create(init));
