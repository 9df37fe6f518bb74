import { availableParallelism } from 'node:os';
import type { SimBackend } from '../../sim/sim-backend.js';
import type { ShardInit, WorldState } from './shard.js';
import { ShardPool } from './shard-pool.js';
import type { ContactPoint } from '../../sim/contacts.js';

/** The Rapier backend as a `SimBackend`: a pool of shards of Rapier worlds. */
export class RapierBackend implements SimBackend {
  readonly kind = 'rapier' as const;
  readonly adapter = null;

  private constructor(
    private readonly pool: ShardPool,
    readonly threads: number,
  ) {}

  /** Worker threads used when the config names none: one per core. */
  static defaultThreads(): number {
    return availableParallelism();
  }

  /** Starts `threads` worker shards (0: one shard in the calling thread). */
  static async start(init: Omit<ShardInit, 'worldStart' | 'worldCount'>, threads: number): Promise<RapierBackend> {
    const pool = await ShardPool.start(init, threads);
    return new RapierBackend(pool, pool.size === 1 && threads === 0 ? 0 : pool.size);
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
    await this.pool.setState(states as WorldState[]);
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
