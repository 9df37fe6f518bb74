import type { MujocoShard, MujocoShardInit, MujocoWorldState } from './shard.js';

/** A request from the main thread to a MuJoCo shard worker. */
export type MujocoShardRequest =
  | { id: number; op: 'init'; init: MujocoShardInit }
  | { id: number; op: 'reset'; all: boolean; episodes: Uint32Array | null }
  | { id: number; op: 'step' }
  | { id: number; op: 'getState' }
  | { id: number; op: 'setState'; states: MujocoWorldState[] }
  | { id: number; op: 'perturb'; world: number; body: number; linvel: number[]; angvel: number[] }
  | { id: number; op: 'contacts'; world: number }
  | { id: number; op: 'dispose' };

/** A shard worker's answer. */
export type MujocoShardResponse = { id: number; ok: true; result?: unknown } | { id: number; ok: false; error: string };

/** A request without its id (what the pool sends). */
export type MujocoShardCall = MujocoShardRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** Runs one request on a shard (in the calling thread or in a worker); `create` makes the shard for `init`. */
export async function handleShardCall(
  shard: { current: MujocoShard | undefined },
  request: MujocoShardCall,
  create: (init: MujocoShardInit) => Promise<MujocoShard>,
): Promise<unknown> {
  switch (request.op) {
    case 'init':
      shard.current = await create(request.init);
      return undefined;
    case 'reset':
      return shard.current!.reset(request.all, request.episodes);
    case 'step':
      return shard.current!.step();
    case 'getState':
      return shard.current!.getState();
    case 'setState':
      return shard.current!.setState(request.states);
    case 'perturb':
      return shard.current!.perturb(request.world, request.body, request.linvel, request.angvel);
    case 'contacts':
      return shard.current!.contactPoints(request.world);
    case 'dispose':
      shard.current?.dispose();
      shard.current = undefined;
      return undefined;
  }
}
