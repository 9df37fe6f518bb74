import { availableParallelism } from 'node:os';
import type { SimBackend } from '../../sim/sim-backend.js';
import type { ContactPoint } from '../../sim/contacts.js';
import type { MujocoShardInit, MujocoWorldState } from './shard.js';
import { MujocoShardPool } from './shard-pool.js';

/**
 * The mujoco backend as a `SimBackend`: MuJoCo's official WebAssembly build stepping the
 * task's scenes converted to MJCF (`scene-mjcf.ts`), one `mjModel`/`mjData` per world, in
 * shards of worlds on worker threads (or the calling thread).
 */
export class MujocoBackend implements SimBackend {
  readonly kind = 'mujoco' as const;
  readonly adapter = null;

  private constructor(
    private readonly pool: MujocoShardPool,
    readonly threads: number,
  ) {}

  /** Worker threads used when the config names none: one per core. */
  static defaultThreads(): number {
    return availableParallelism();
  }

  /** Starts `threads` worker shards (0: one shard in the calling thread). */
  static async start(init: Omit<MujocoShardInit, 'worldStart' | 'worldCount'>, threads: number): Promise<MujocoBackend> {
    const pool = await MujocoShardPool.start(init, threads);
    return new MujocoBackend(pool, pool.size === 1 && threads === 0 ? 0 : pool.size);
  }

  async reset(all: boolean, episodes: Uint32Array | null): Promise<void> {
    await this.pool.all({ op: 'reset', all, episodes });
  }

  async step(): Promise<void> {
    await this.pool.all({ op: 'step' });
  }

  async getState(): Promise<unknown[]> {
    return this.pool.getState();
  }

  async setState(states: unknown[]): Promise<void> {
    await this.pool.setState(states as MujocoWorldState[]);
  }

  async perturb(world: number, body: number, _bodyName: string, linvel: number[], angvel: number[]): Promise<void> {
    await this.pool.toWorld(world, { op: 'perturb', world, body, linvel, angvel });
  }

  async contacts(world: number): Promise<ContactPoint[]> {
    return (await this.pool.toWorld(world, { op: 'contacts', world })) as ContactPoint[];
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
