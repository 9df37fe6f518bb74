import type { SceneDesc } from '../../scene/scene-desc.js';
import { FINGER_SERVO_MAX_FORCE } from '../../agents/parallel-gripper/drive.js';
import type { CpuWorlds } from '../cpu-shards/cpu-world.js';
import { WorldShard, type CpuWorldState, type WorldShardInit } from '../cpu-shards/world-shard.js';
import { loadMujoco, type Mujoco } from './mujoco-module.js';
import { mujocoSubsteps, type MujocoSettings } from './mujoco-settings.js';
import { MujocoWorld } from './mujoco-world.js';
import { SceneModels } from './scene-model.js';

/** What a MuJoCo shard needs to know: the common shard init (only `physics.controlHz` applies) and MuJoCo's settings. */
export interface MujocoShardInit extends WorldShardInit {
  mujoco: MujocoSettings;
}

/** A MuJoCo world's complete state: enough to continue it bit for bit (`mujoco`: `mj_getState(mjSTATE_INTEGRATION)`). */
export type MujocoWorldState = CpuWorldState<'mujoco', Float64Array>;

/**
 * A shard's MuJoCo worlds: one `mjModel`/`mjData` per world, rebuilt in place for every
 * episode, made from the shard's template models (`SceneModels`).
 */
class MujocoWorlds implements CpuWorlds<Float64Array, MujocoWorld> {
  private readonly models: SceneModels;
  /** MuJoCo steps per control step. */
  private readonly substeps: number;

  constructor(
    private readonly mj: Mujoco,
    init: MujocoShardInit,
  ) {
    this.substeps = mujocoSubsteps(init.physics.controlHz, init.mujoco);
    this.models = new SceneModels(mj, {
      settings: init.mujoco,
      timestep: 1 / (init.physics.controlHz * this.substeps),
      servoForceLimit: () => FINGER_SERVO_MAX_FORCE,
    });
  }

  build(scene: SceneDesc, previous: MujocoWorld | undefined): MujocoWorld {
    if (!previous) return MujocoWorld.build(this.mj, this.models, scene, this.substeps);
    previous.rebuild(scene);
    return previous;
  }

  restore(scene: SceneDesc, snapshot: Float64Array, previous: MujocoWorld | undefined): MujocoWorld {
    const world = this.build(scene, previous);
    try {
      world.restore(snapshot);
    } catch (error) {
      // A world built here is not the shard's yet.
      if (world !== previous) world.free();
      throw error;
    }
    return world;
  }

  /** Frees the template models. */
  dispose(): void {
    this.models.free();
  }
}

/**
 * The MuJoCo worlds of one thread — the same protocol as the Rapier backend's shard (see
 * `WorldShard`).
 */
export const MujocoShard = {
  /** Loads MuJoCo in this thread and creates the shard (worlds are built on reset). */
  create(init: MujocoShardInit): Promise<WorldShard<'mujoco', Float64Array, MujocoWorld>> {
    return WorldShard.create(init, 'mujoco', async () => new MujocoWorlds(await loadMujoco(), init));
  },
};
