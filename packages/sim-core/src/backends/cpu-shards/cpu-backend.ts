import { availableParallelism } from 'node:os';
import type { BackendKind, SimBackend } from '../../sim/sim-backend.js';
import type { ContactPoint } from '../../sim/contacts.js';
import type { BufferShape } from '../../sim/buffers.js';
import type { CpuEngine } from './cpu-engine.js';
import type { ShardSlice } from './shard-protocol.js';
import { ShardPool, type PoolInit } from './shard-pool.js';

/** A CPU engine as a `SimBackend`: a pool of shards of its worlds (see `ShardPool`). */
export class CpuShardBackend<I extends ShardSlice, S> implements SimBackend {
  readonly adapter = null;

  private constructor(
    private readonly engine: CpuEngine<I, S>,
    private readonly shape: BufferShape,
    private readonly pool: ShardPool<I, S>,
    readonly threads: number,
  ) {}

  /** The backend kind reported to the Sim. */
  get kind(): BackendKind {
    return this.engine.kind;
  }

  /** Starts `threads` worker shards of `engine` (0: one shard in the calling thread). */
  static async start<I extends ShardSlice, S>(engine: CpuEngine<I, S>, init: PoolInit<I>, threads: number): Promise<CpuShardBackend<I, S>> {
    const pool = await ShardPool.start(engine, init, threads);
    return new CpuShardBackend(engine, init.shape, pool, pool.size === 1 && threads === 0 ? 0 : pool.size);
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
    // Checked here, in the calling thread, so a bad state changes no world and stops no worker.
    await this.pool.setState(states.map((s, w) => this.engine.parseWorldState(s, w, this.shape)));
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

/** What the Sim calls to start a CPU backend: its default thread count and its start. */
export interface CpuBackendFactory<I extends ShardSlice> {
  /** Worker threads used when the config names none: one per core. */
  defaultThreads(): number;
  /** Starts `threads` worker shards (0: one shard in the calling thread). */
  start(init: PoolInit<I>, threads: number): Promise<SimBackend>;
}

/** The factory of `engine`'s backend. */
export function cpuBackendFactory<I extends ShardSlice, S>(engine: CpuEngine<I, S>): CpuBackendFactory<I> {
  return {
    defaultThreads: () => availableParallelism(),
    start: (init, threads) => CpuShardBackend.start(engine, init, threads),
  };
}
