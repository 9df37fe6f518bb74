import type { BackendKind } from '../../sim/sim-backend.js';
import type { BufferShape } from '../../sim/buffers.js';
import type { CpuShard } from './shard-protocol.js';

/** What differs between the CPU engines behind the shared shard pool and backend. */
export interface CpuEngine<I, S> {
  /** The backend kind reported to the Sim. */
  kind: BackendKind;
  /** The engine's name in worker error messages, e.g. `Rapier`. */
  label: string;
  /** Makes a shard of worlds in the calling thread (threads: 0). */
  createShard(init: I): Promise<CpuShard<S>>;
  /**
   * World `world`'s state for `setState`, checked and with its typed arrays restored (a state
   * that went through JSON or structuredClone is accepted); throws naming the world and field.
   */
  parseWorldState(value: unknown, world: number, shape: BufferShape): S;
  /** The worker entry: the engine module's `import.meta.url` and the entry's path relative to it, without extension. */
  worker: { callerUrl: string; entryBase: string };
}
