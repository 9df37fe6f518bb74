import type { BackendKind } from '../../sim/sim-backend.js';
import type { CpuShard } from './shard-protocol.js';

/** What differs between the CPU engines behind the shared shard pool and backend. */
export interface CpuEngine<I, S> {
  /** The backend kind reported to the Sim. */
  kind: BackendKind;
  /** The engine's name in worker error messages, e.g. `Rapier`. */
  label: string;
  /** Makes a shard of worlds in the calling thread (threads: 0). */
  createShard(init: I): Promise<CpuShard<S>>;
  /** The worker entry: the engine module's `import.meta.url` and the entry's path relative to it, without extension. */
  worker: { callerUrl: string; entryBase: string };
}
