import type { ShardInit, WorldState } from './shard.js';

/** A request from the main thread to a shard worker. */
export type ShardRequest =
  | { id: number; op: 'init'; init: ShardInit }
  | { id: number; op: 'reset'; all: boolean; episodes: Uint32Array | null }
  | { id: number; op: 'step' }
  | { id: number; op: 'getState' }
  | { id: number; op: 'setState'; states: WorldState[] }
  | { id: number; op: 'perturb'; world: number; body: number; linvel: number[]; angvel: number[] }
  | { id: number; op: 'contacts'; world: number }
  | { id: number; op: 'dispose' };

/** A shard worker's answer. */
export type ShardResponse = { id: number; ok: true; result?: unknown } | { id: number; ok: false; error: string };
