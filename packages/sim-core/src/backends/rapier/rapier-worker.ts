/**
 * Worker-thread entry of the Rapier backend: owns one shard of worlds and answers the
 * main thread's requests (see shard-protocol.ts).
 */
import { parentPort } from 'node:worker_threads';
import { RapierShard } from './shard.js';
import type { ShardRequest, ShardResponse } from './shard-protocol.js';

let shard: RapierShard | undefined;
const port = parentPort!;

port.on('message', async (request: ShardRequest) => {
  let response: ShardResponse;
  try {
    let result: unknown;
    switch (request.op) {
      case 'init':
        shard = await RapierShard.create(request.init);
        break;
      case 'reset':
        shard!.reset(request.all, request.episodes);
        break;
      case 'step':
        shard!.step();
        break;
      case 'getState':
        result = shard!.getState();
        break;
      case 'setState':
        shard!.setState(request.states);
        break;
      case 'perturb':
        shard!.perturb(request.world, request.body, request.linvel, request.angvel);
        break;
      case 'contacts':
        result = shard!.contactPoints(request.world);
        break;
      case 'dispose':
        shard?.dispose();
        shard = undefined;
        break;
    }
    response = { id: request.id, ok: true, result };
  } catch (error) {
    response = { id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(response);
});
