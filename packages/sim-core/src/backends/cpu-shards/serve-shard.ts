import { parentPort } from 'node:worker_threads';
import { handleShardCall, type CpuShard, type ShardCall, type ShardRequest, type ShardResponse } from './shard-protocol.js';

/**
 * The body of an engine's worker entry: owns one shard of worlds (made by `create` on `init`)
 * and answers the main thread's requests (see shard-protocol.ts).
 */
export function serveShard<I, S>(create: (init: I) => Promise<CpuShard<S>>): void {
  const shard: { current: CpuShard<S> | undefined } = { current: undefined };
  const port = parentPort!;
  port.on('message', async (request: ShardRequest<I, S>) => {
    let response: ShardResponse;
    try {
      const { id, ...call } = request;
      const result = await handleShardCall(shard, call as ShardCall<I, S>, create);
      response = { id, ok: true, result };
    } catch (error) {
      response = { id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    port.postMessage(response);
  });
}
