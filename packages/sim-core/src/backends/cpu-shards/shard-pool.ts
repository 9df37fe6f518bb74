import type { CpuEngine } from './cpu-engine.js';
import { InlineShard, WorkerShard, type ShardHandle } from './shard-handles.js';
import type { ShardCall, ShardSlice } from './shard-protocol.js';

/** A shard init without its slice of worlds (the pool adds the slice). */
export type PoolInit<I extends ShardSlice> = Omit<I, 'worldStart' | 'worldCount'>;

/**
 * A CPU backend's shards: `threads` contiguous slices of the worlds, each stepped in its own
 * worker thread (or one slice in the calling thread when `threads` is 0).
 */
export class ShardPool<I extends ShardSlice, S> {
  private constructor(
    private readonly shards: ShardHandle<I, S>[],
    /** First world of each shard. */
    private readonly starts: number[],
  ) {}

  /** Starts the shards and loads the engine in each, all shards at once. */
  static async start<I extends ShardSlice, S>(engine: CpuEngine<I, S>, init: PoolInit<I>, threads: number): Promise<ShardPool<I, S>> {
    const numWorlds = init.shape.numWorlds;
    const count = threads === 0 ? 1 : Math.min(threads, numWorlds);
    const shards: ShardHandle<I, S>[] = [];
    const starts: number[] = [];
    const ready: Promise<unknown>[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const worldStart = Math.floor((i * numWorlds) / count);
        const worldEnd = Math.floor(((i + 1) * numWorlds) / count);
        const shard = threads === 0 ? new InlineShard(engine) : new WorkerShard(engine);
        shards.push(shard);
        starts.push(worldStart);
        ready.push(shard.call({ op: 'init', init: { ...init, worldStart, worldCount: worldEnd - worldStart } as I }));
      }
      await Promise.all(ready);
    } catch (error) {
      await Promise.allSettled(ready);
      await Promise.all(shards.map((s) => s.close()));
      throw error;
    }
    return new ShardPool(shards, starts);
  }

  /** Number of shards. */
  get size(): number {
    return this.shards.length;
  }

  /** Sends the same request to every shard and waits for all. */
  async all(request: ShardCall<I, S>): Promise<unknown[]> {
    return Promise.all(this.shards.map((s) => s.call(request)));
  }

  /** Full state of every world, in world order. */
  async getState(): Promise<S[]> {
    return ((await this.all({ op: 'getState' })) as S[][]).flat();
  }

  /** Restores every world; `states` in world order. */
  async setState(states: S[]): Promise<void> {
    await Promise.all(
      this.shards.map((s, i) => s.call({ op: 'setState', states: states.slice(this.starts[i], this.starts[i + 1] ?? states.length) })),
    );
  }

  /** Sends a request to the shard holding world `world`. */
  async toWorld(world: number, request: ShardCall<I, S>): Promise<unknown> {
    let i = this.starts.length - 1;
    while (this.starts[i] > world) i--;
    return this.shards[i].call(request);
  }

  /** Stops every worker and frees every world. */
  async close(): Promise<void> {
    await Promise.all(
      this.shards.map(async (s) => {
        await s.call({ op: 'dispose' }).catch(() => undefined);
        await s.close();
      }),
    );
  }
}
