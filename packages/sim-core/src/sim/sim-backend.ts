import type { GpuAdapterDescription } from '../gpu/adapter-info.js';
import type { SimGpuAccess } from './gpu-access.js';
import type { ContactPoint } from './contacts.js';

/** The backends: `rapier` (CPU), `webgpu` (WGSL) and `mujoco` (MuJoCo's WebAssembly build). */
export type BackendKind = 'rapier' | 'webgpu' | 'mujoco';

/**
 * What the Sim needs from a backend. Every backend reads actions from, and writes results
 * into, the Sim's host buffers (see `SimBuffers`); `reset` reads `mask` there.
 */
export interface SimBackend {
  readonly kind: BackendKind;
  /** Worker threads stepping the worlds (0: the calling thread; the GPU backend reports 0). */
  readonly threads: number;
  /** The GPU adapter, for the webgpu backend. */
  readonly adapter: GpuAdapterDescription | null;
  /** Contacts per world the solver keeps (the GPU backends; absent where storage grows). */
  readonly contactCapacity?: number;
  /** Worlds per buffer shard (the scene solver; see `SimConfigInput.worldsPerShard`). */
  readonly worldsPerShard?: number;
  /** Starts the next episode (or the given ones) in all worlds, or in those with mask = 1. */
  reset(all: boolean, episodes: Uint32Array | null): Promise<void>;
  /**
   * One control step of every world with the actions in the host buffer. With `readback`
   * false a backend may leave the host result buffers as they are and return before the
   * step has finished (the webgpu backend does; later calls are ordered after it).
   */
  step(readback: boolean): Promise<void>;
  /** Every world's complete state, in world order (backend-specific contents). */
  getState(): Promise<unknown[]>;
  /** Restores `getState` output of the same backend. */
  setState(states: unknown[]): Promise<void>;
  /** Sets one body's velocity in one world. */
  perturb(world: number, body: number, bodyName: string, linvel: number[], angvel: number[]): Promise<void>;
  /** World `world`'s contact points of its last physics step (see `Sim.contacts`). */
  contacts(world: number): Promise<ContactPoint[]>;
  /** Each world's contact count in the last physics step of the last read-back step (the scene solver only). */
  contactCounts?(): Uint32Array;
  /** The GPU buffers and a step encoder (webgpu backend only). */
  gpuAccess?(): Omit<SimGpuAccess, 'workspace' | 'countContactOverflow'>;
  /** Frees everything (worker threads, WASM memory, GPU buffers and device). */
  close(): Promise<void>;
}
