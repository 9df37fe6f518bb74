/**
 * Worker-thread entry of the mujoco backend: owns one shard of worlds (and its own MuJoCo
 * module instance) and answers the main thread's requests (see shard-protocol.ts).
 */
import { parentPort } from 'node:worker_threads';
import { MujocoShard } from './shard.js';
import { handleShardCall, type MujocoShardRequest, type MujocoShardResponse } from './shard-protocol.js';

const shard: { current: MujocoShard | undefined } = { current: undefined };
const port = parentPort!;

port.on('message', async (request: MujocoShardRequest) => {
  let response: MujocoShardResponse;
  try {
    const { id, ...call } = request;
    const result = await handleShardCall(shard, call as never, (init) => MujocoShard.create(init));
    response = { id, ok: true, result };
  } catch (error) {
    response = { id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(response);
});
