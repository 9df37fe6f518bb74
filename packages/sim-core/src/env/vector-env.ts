import { ACTION_SIZE, CONTROL_LIMITS } from '../controller/ee-controller.js';
import { Sim, type SimSpec, type StepResult } from '../sim/sim.js';
import { EPISODE_END } from './episode-end.js';
import { parseVectorEnvConfig, type VectorEnvConfigInput } from './vector-env-config.js';

/** A Gymnasium `Box`: `shape`, `dtype`, and per-entry bounds `low` / `high` (±Infinity where unbounded). */
export interface BoxSpace {
  shape: readonly number[];
  dtype: 'float32';
  low: Float32Array;
  high: Float32Array;
}

/**
 * Per-world information of a `reset` or `step` (Gymnasium's `infos`), one entry per world.
 * Views of the env's own arrays, rewritten by the next call: copy what you keep.
 */
export interface VectorEnvInfos {
  /** Why the episode ended at this step: an `EPISODE_END` code (0 `none` while it goes on). */
  endReason: Uint8Array;
  /** 1 where the task is solved in the returned observation. */
  success: Uint8Array;
  /** Episode index of the returned observation (its randomization is a function of seed, episode, world). */
  episode: Uint32Array;
  /** Steps taken in that episode (0 for a first observation). */
  episodeStep: Uint32Array;
  /** 1 where this step reset the world (next-step autoreset): the observation is a new episode's first. */
  autoreset: Uint8Array;
}

/** What `VectorEnv.reset` returns (Gymnasium: `obs, info`). */
export interface VectorEnvReset {
  /** Observations, `singleObservationSpace.shape[0]` floats per world. */
  obs: Float32Array;
  infos: VectorEnvInfos;
}

/** What `VectorEnv.step` returns (Gymnasium: `obs, rewards, terminations, truncations, infos`). */
export interface VectorEnvStep extends VectorEnvReset {
  rewards: Float32Array;
  /** 1 where the episode ended at this step by success, an object leaving the workspace, or a fault. */
  terminations: Uint8Array;
  /** 1 where the episode reached `maxEpisodeSteps` at this step without terminating. */
  truncations: Uint8Array;
}

/** Options of `VectorEnv.reset`. */
export interface VectorEnvResetOptions {
  /**
   * Base seed (u32). Given: every world starts episode 0 of this seed, so two runs from the
   * same seed and actions are identical (a seed other than the current one restarts the Sim).
   * Absent: every world starts its next episode under the current seed.
   */
  seed?: number;
}

/**
 * A Gymnasium 1.x vector env over a `Sim` (autoreset mode `next-step`). One rule ends every
 * episode, on every backend:
 *
 * - success, an object leaving the task's workspace, or a fault (a blown-up world) **terminate**
 *   it; reaching `maxEpisodeSteps` without terminating **truncates** it. Exactly one of the two
 *   flags is set for an ended episode; `infos.endReason` names the reason (`EPISODE_END`).
 * - The step that ends an episode returns its final observation and reward (for a fault: the last
 *   observation before the blow-up and reward 0).
 * - The next `step` resets that world: its action is ignored, and it returns the new episode's
 *   first observation, reward 0, both flags 0 and `infos.autoreset` 1.
 *
 * The arrays returned are the env's own, rewritten by the next call: copy what you keep.
 */
export class VectorEnv {
  /** Gymnasium's `metadata`. */
  readonly metadata = { autoresetMode: 'next-step' as const };
  /** The space of one world's observation (unbounded floats). */
  readonly singleObservationSpace: BoxSpace;
  /** The space of one world's action: position change, rotation vector, gripper command, within `CONTROL_LIMITS`. */
  readonly singleActionSpace: BoxSpace;

  private readonly out: VectorEnvStep;
  /** 1 where the last step ended the world's episode: the next step resets it. */
  private readonly pending: Uint8Array;
  private readonly resetMask: Uint8Array;
  private readonly nextEpisodes: Uint32Array;
  private started = false;
  private closed = false;

  private constructor(
    private current: Sim,
    private readonly simConfig: VectorEnvConfigInput,
  ) {
    const n = current.spec.numWorlds;
    const obsSize = current.spec.obsSize;
    this.singleObservationSpace = {
      shape: [obsSize],
      dtype: 'float32',
      low: new Float32Array(obsSize).fill(-Infinity),
      high: new Float32Array(obsSize).fill(Infinity),
    };
    const { maxDeltaPosition: dp, maxDeltaRotation: dr } = CONTROL_LIMITS;
    this.singleActionSpace = {
      shape: [ACTION_SIZE],
      dtype: 'float32',
      low: Float32Array.of(-dp, -dp, -dp, -dr, -dr, -dr, -1),
      high: Float32Array.of(dp, dp, dp, dr, dr, dr, 1),
    };
    this.out = {
      obs: new Float32Array(n * obsSize),
      rewards: new Float32Array(n),
      terminations: new Uint8Array(n),
      truncations: new Uint8Array(n),
      infos: {
        endReason: new Uint8Array(n),
        success: new Uint8Array(n),
        episode: new Uint32Array(n),
        episodeStep: new Uint32Array(n),
        autoreset: new Uint8Array(n),
      },
    };
    this.pending = new Uint8Array(n);
    this.resetMask = new Uint8Array(n);
    this.nextEpisodes = new Uint32Array(n);
  }

  /** Validates the config (an error names the field, its value and what is allowed) and creates the Sim. */
  static async create(input: VectorEnvConfigInput): Promise<VectorEnv> {
    const { sim } = parseVectorEnvConfig(input);
    return new VectorEnv(await Sim.create(sim), sim);
  }

  /** Number of sub-environments (worlds). */
  get numEnvs(): number {
    return this.current.spec.numWorlds;
  }

  /** The Sim's sizes and names (`obsNames`, `actionNames`, `maxEpisodeSteps`, `seed`, backend, …). */
  get spec(): SimSpec {
    return this.current.spec;
  }

  /**
   * The Sim underneath, for what Gymnasium has no word for (`params`, `terminationInfo`,
   * `perturb`). Stepping or resetting it directly breaks the env's bookkeeping. A `reset` with
   * a new seed replaces it.
   */
  get sim(): Sim {
    return this.current;
  }

  /** Resets every world (see {@link VectorEnvResetOptions}); returns the first observations. */
  async reset(options: VectorEnvResetOptions = {}): Promise<VectorEnvReset> {
    this.checkOpen('reset');
    const { seed } = options;
    if (seed !== undefined && (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)) {
      throw new Error(`reset: seed must be an integer in [0, 4294967295]; got ${String(seed)}`);
    }
    if (seed !== undefined && seed !== this.current.spec.seed) {
      const next = await Sim.create({ ...this.simConfig, seed });
      await this.current.dispose();
      this.current = next;
    }
    const n = this.numEnvs;
    const episode = this.out.infos.episode;
    for (let w = 0; w < n; w++) this.nextEpisodes[w] = seed !== undefined || !this.started ? 0 : episode[w] + 1;
    const r = await this.current.reset({ episodes: this.nextEpisodes });
    this.started = true;
    this.pending.fill(0);
    for (let w = 0; w < n; w++) this.writeFirst(r, w);
    return { obs: this.out.obs, infos: this.out.infos };
  }

  /**
   * Steps every world with `actions` (`numEnvs × 7` floats; entries of worlds being reset are
   * ignored but must be finite). Worlds whose episode ended at the previous step are reset
   * instead (next-step autoreset).
   */
  async step(actions: ArrayLike<number>): Promise<VectorEnvStep> {
    this.checkOpen('step');
    if (!this.started) throw new Error('step: call reset() before the first step()');
    const n = this.numEnvs;
    const size = this.current.spec.obsSize;
    const r = await this.current.step(actions);
    const out = this.out;
    const infos = out.infos;
    let resets = 0;
    for (let w = 0; w < n; w++) {
      infos.autoreset[w] = 0;
      if (this.pending[w]) {
        resets++;
        continue;
      }
      infos.episodeStep[w] += 1;
      let reason: number;
      if (r.fault[w]) {
        // The Sim already started a new episode in this world; report the old one's end, keep its last observation.
        reason = EPISODE_END.fault;
        out.rewards[w] = 0;
        infos.success[w] = 0;
      } else {
        out.obs.set(r.obs.subarray(w * size, (w + 1) * size), w * size);
        out.rewards[w] = r.reward[w];
        infos.success[w] = r.success[w];
        const limit = infos.episodeStep[w] >= this.current.spec.maxEpisodeSteps;
        reason = r.terminated[w] ? r.terminationReason[w] : limit ? EPISODE_END.timeLimit : EPISODE_END.none;
      }
      infos.endReason[w] = reason;
      out.terminations[w] = reason !== EPISODE_END.none && reason !== EPISODE_END.timeLimit ? 1 : 0;
      out.truncations[w] = reason === EPISODE_END.timeLimit ? 1 : 0;
    }
    if (resets > 0) {
      for (let w = 0; w < n; w++) {
        this.resetMask[w] = this.pending[w];
        this.nextEpisodes[w] = infos.episode[w] + (this.pending[w] ? 1 : 0);
      }
      const rr = await this.current.reset({ mask: this.resetMask, episodes: this.nextEpisodes });
      for (let w = 0; w < n; w++) {
        if (!this.pending[w]) continue;
        this.writeFirst(rr, w);
        infos.autoreset[w] = 1;
      }
    }
    for (let w = 0; w < n; w++) this.pending[w] = infos.endReason[w] !== EPISODE_END.none ? 1 : 0;
    return out;
  }

  /** Frees the Sim. Further calls throw. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.current.dispose();
  }

  /** Writes world `w`'s first observation of a new episode from reset result `r`. */
  private writeFirst(r: StepResult, w: number): void {
    const size = this.current.spec.obsSize;
    const out = this.out;
    out.obs.set(r.obs.subarray(w * size, (w + 1) * size), w * size);
    out.rewards[w] = 0;
    out.terminations[w] = 0;
    out.truncations[w] = 0;
    out.infos.endReason[w] = EPISODE_END.none;
    out.infos.success[w] = r.success[w];
    out.infos.episode[w] = r.episode[w];
    out.infos.episodeStep[w] = 0;
    out.infos.autoreset[w] = 0;
  }

  private checkOpen(method: string): void {
    if (this.closed) throw new Error(`${method}: this VectorEnv was closed`);
  }
}

/**
 * Creates a Gymnasium-style vector env (see {@link VectorEnv}):
 * `await createVectorEnv({ task: 'pick-place', numWorlds: 64, backend: 'rapier', seed: 0 })`.
 */
export function createVectorEnv(config: VectorEnvConfigInput): Promise<VectorEnv> {
  return VectorEnv.create(config);
}
