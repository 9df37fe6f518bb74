import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { handleShardCall, type CpuShard, type ShardCall, type ShardRequest, type ShardResponse } from './shard-protocol.js';

/**
 * A full garbage collection of this worker's isolate. Run after its shard is disposed, when
 * the worker is parked for the next Sim (idle-workers.ts): an isolate that allocates little
 * otherwise keeps its last Sims' shared buffers and engine objects for a long time (resident
 * memory crept by ~0.3 MiB per create/dispose cycle over 200 cycles; with it, flat).
 * `--expose-gc` set now reaches only new contexts, so only this function sees `gc`.
 */
const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

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
    // After answering: the caller does not wait for it.
    if (request.op === 'dispose') collectGarbage();
  });
}
