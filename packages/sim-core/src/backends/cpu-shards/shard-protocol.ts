import type { BufferShape } from '../../sim/buffers.js';
import type { ContactPoint } from '../../sim/contacts.js';

/** What every engine's shard init holds: the buffer shape and its slice of worlds. */
export interface ShardSlice {
  shape: BufferShape;
  /** First world of this shard and number of worlds. */
  worldStart: number;
  worldCount: number;
}

/** The worlds of one thread, as an engine's shard class (`RapierShard`, `MujocoShard`) provides them; `S` is a world's state. */
export interface CpuShard<S> {
  reset(all: boolean, episodes: Uint32Array | null): void;
  step(): void;
  getState(): S[];
  setState(states: S[]): void;
  perturb(world: number, body: number, linvel: readonly number[], angvel: readonly number[]): void;
  contactPoints(world: number): ContactPoint[];
  dispose(): void;
}

/** A request to a shard without its id (what the pool sends); `I` is the shard init, `S` a world's state. */
export type ShardCall<I, S> =
  | { op: 'init'; init: I }
  | { op: 'reset'; all: boolean; episodes: Uint32Array | null }
  | { op: 'step' }
  | { op: 'getState' }
  | { op: 'setState'; states: S[] }
  | { op: 'perturb'; world: number; body: number; linvel: number[]; angvel: number[] }
  | { op: 'contacts'; world: number }
  | { op: 'dispose' };

/** A request from the main thread to a shard worker. */
export type ShardRequest<I, S> = ShardCall<I, S> & { id: number };

/** A shard worker's answer. */
export type ShardResponse = { id: number; ok: true; result?: unknown } | { id: number; ok: false; error: string };

/** Runs one request on a shard (in the calling thread or in a worker); `create` makes the shard for `init`. */
export async function handleShardCall<I, S>(
  shard: { current: CpuShard<S> | undefined },
  request: ShardCall<I, S>,
  create: (init: I) => Promise<CpuShard<S>>,
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
