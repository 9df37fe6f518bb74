import type { SceneDesc } from '../../scene/scene-desc.js';
import type { CpuWorlds } from '../cpu-shards/cpu-world.js';
import { WorldShard, type CpuWorldState, type WorldShardInit } from '../cpu-shards/world-shard.js';
import type { PhysicsSettings } from './physics-settings.js';
import { loadRapier, type Rapier } from './rapier-module.js';
import { RapierWorld, type WorldHandles } from './rapier-world.js';
import { HEAP_BYTES_PER_WORLD, reserveRapierHeap } from './heap-reserve.js';

/** What a Rapier shard needs to know: the task, its randomization, and its slice of worlds. */
export type ShardInit = WorldShardInit;

/** A Rapier world's complete state: enough to continue it bit for bit (`snapshot`: `RapierWorld.snapshot()`). */
export type RapierWorldState = CpuWorldState<'snapshot', Uint8Array>;

/** A shard's Rapier worlds: a world is built anew for every episode and restored from its snapshot bytes. */
class RapierWorlds implements CpuWorlds<Uint8Array, RapierWorld> {
  /** Handles of the task's bodies, colliders and joints, found again in a restored world. */
  private handles: WorldHandles | undefined;

  constructor(
    private readonly rapier: Rapier,
    private readonly physics: PhysicsSettings,
  ) {}

  build(scene: SceneDesc, previous: RapierWorld | undefined): RapierWorld {
    previous?.free();
    const world = RapierWorld.build(this.rapier, scene, this.physics);
    this.handles ??= world.handles();
    return world;
  }

  restore(scene: SceneDesc, snapshot: Uint8Array, previous: RapierWorld | undefined, worldIndex: number): RapierWorld {
    if (!this.handles) {
      const probe = RapierWorld.build(this.rapier, scene, this.physics);
      this.handles = probe.handles();
      probe.free();
    }
    const world = RapierWorld.restore(this.rapier, snapshot, scene, this.physics, this.handles, worldIndex);
    previous?.free();
    return world;
  }

  dispose(): void {
    // The worlds share nothing but the Rapier module, which stays loaded in the thread.
  }
}

/** The Rapier worlds of one thread (see `WorldShard`). */
export const RapierShard = {
  /** Loads Rapier in this thread and creates the shard (worlds are built on reset). */
  create(init: ShardInit): Promise<WorldShard<'snapshot', Uint8Array, RapierWorld>> {
    return WorldShard.create(init, 'snapshot', async () => {
      const rapier = await loadRapier();
      reserveRapierHeap(rapier, init.worldCount * HEAP_BYTES_PER_WORLD);
      return new RapierWorlds(rapier, init.physics);
    });
  },
};
