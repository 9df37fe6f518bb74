import { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../util/start-worker.js';
import { MujocoShard, type MujocoShardInit, type MujocoWorldState } from './shard.js';
import { handleShardCall, type MujocoShardCall, type MujocoShardResponse } from './shard-protocol.js';

/** One shard of worlds, in this thread or in a worker thread. */
interface ShardHandle {
  call(request: MujocoShardCall): Promise<unknown>;
  close(): Promise<void>;
}

/** A shard stepped in the calling thread (threads: 0). */
class InlineShard implements ShardHandle {
  private readonly shard: { current: MujocoShard | undefined } = { current: undefined };

  call(request: MujocoShardCall): Promise<unknown> {
    return handleShardCall(this.shard, request, (init) => MujocoShard.create(init));
  }

  async close(): Promise<void> {
    this.shard.current?.dispose();
    this.shard.current = undefined;
  }
}

/** A shard owned by a worker thread (with its own MuJoCo module instance). */
class WorkerShard implements ShardHandle {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor() {
    this.worker = startModuleWorker(import.meta.url, './mujoco-worker');
    this.worker.on('message', (response: MujocoShardResponse) => {
      const waiter = this.pending.get(response.id);
      if (!waiter) return;
      this.pending.delete(response.id);
      if (response.ok) waiter.resolve(response.result);
      else waiter.reject(new Error(`MuJoCo worker failed: ${response.error}`));
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`MuJoCo worker exited with code ${code}`));
    });
  }

  call(request: MujocoShardCall): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * The mujoco backend's shards: `threads` contiguous slices of the worlds, each stepped in its
 * own worker thread (or one slice in the calling thread when `threads` is 0).
 */
export class MujocoShardPool {
  private constructor(
    private readonly shards: ShardHandle[],
    /** First world of each shard. */
    private readonly starts: number[],
  ) {}

  /** Starts the shards and loads MuJoCo in each, all shards at once. */
  static async start(init: Omit<MujocoShardInit, 'worldStart' | 'worldCount'>, threads: number): Promise<MujocoShardPool> {
    const numWorlds = init.shape.numWorlds;
    const count = threads === 0 ? 1 : Math.min(threads, numWorlds);
    const shards: ShardHandle[] = [];
    const starts: number[] = [];
    const ready: Promise<unknown>[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const worldStart = Math.floor((i * numWorlds) / count);
        const worldEnd = Math.floor(((i + 1) * numWorlds) / count);
        const shard = threads === 0 ? new InlineShard() : new WorkerShard();
        shards.push(shard);
        starts.push(worldStart);
        ready.push(shard.call({ op: 'init', init: { ...init, worldStart, worldCount: worldEnd - worldStart } }));
      }
      await Promise.all(ready);
    } catch (error) {
      await Promise.allSettled(ready);
      await Promise.all(shards.map((s) => s.close()));
      throw error;
    }
    return new MujocoShardPool(shards, starts);
  }

  /** Number of shards. */
  get size(): number {
    return this.shards.length;
  }

  /** Sends the same request to every shard and waits for all. */
  async all(request: MujocoShardCall): Promise<unknown[]> {
    return Promise.all(this.shards.map((s) => s.call(request)));
  }

  /** Full state of every world, in world order. */
  async getState(): Promise<MujocoWorldState[]> {
    return ((await this.all({ op: 'getState' })) as MujocoWorldState[][]).flat();
  }

  /** Restores every world; `states` in world order. */
  async setState(states: MujocoWorldState[]): Promise<void> {
    await Promise.all(
      this.shards.map((s, i) => s.call({ op: 'setState', states: states.slice(this.starts[i], this.starts[i + 1] ?? states.length) })),
    );
  }

  /** Sends a request to the shard holding world `world`. */
  async toWorld(world: number, request: MujocoShardCall): Promise<unknown> {
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
