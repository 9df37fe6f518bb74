/**
 * Observation history: what a policy with `history` H > 1 sees at step t — the current
 * observation and its H − 1 latest changes,
 *
 *   [o_t, o_t − o_{t−1}, o_{t−1} − o_{t−2}, …, o_{t−H+2} − o_{t−H+1}]   (obsSize × H values),
 *
 * with the observations before an episode's first step taken equal to the first (changes 0).
 * The commanded end-effector target moves by each delta action and is not observed, so one
 * observation does not tell where the controller is heading; its latest changes do (measured
 * on stack: packages/runner/README.md, "Observation history").
 * Changes rather than stacked observations: each gets its own normalization scale, and the
 * small motions are not drowned by the positions' spread.
 *
 * Training ({@link historyEpisode}) and acting ({@link ObservationHistory}) build the rows with
 * the same function, {@link writeHistoryRow}.
 */
import type { TrainingEpisode } from './train.js';

/**
 * Writes the history row of one step to `out` at `at`: `frame(k)` is the offset in `source` of
 * the observation k steps back (k = 0 the current one; the caller clamps at the episode start).
 */
export function writeHistoryRow(
  source: ArrayLike<number>,
  frame: (k: number) => number,
  obsSize: number,
  history: number,
  out: Float32Array,
  at: number,
): void {
  let newer = frame(0);
  for (let i = 0; i < obsSize; i++) out[at + i] = source[newer + i];
  for (let h = 1; h < history; h++) {
    const older = frame(h);
    const o = at + h * obsSize;
    for (let i = 0; i < obsSize; i++) out[o + i] = source[newer + i] - source[older + i];
    newer = older;
  }
}

/** An episode with each observation replaced by its history row (`obsSize × history` values); history 1 returns it as it is. */
export function historyEpisode(episode: TrainingEpisode, obsSize: number, history: number): TrainingEpisode {
  if (history === 1) return episode;
  const width = obsSize * history;
  const obs = new Float32Array(episode.length * width);
  for (let t = 0; t < episode.length; t++) {
    writeHistoryRow(episode.obs, (k) => Math.max(0, t - k) * obsSize, obsSize, history, obs, t * width);
  }
  return { obs, actions: episode.actions, length: episode.length };
}

/**
 * The last `history` observations of `numWorlds` worlds whose episodes start together (an
 * evaluation episode, the viewer's): {@link rows} pushes this step's observations and returns
 * every world's history row.
 */
export class ObservationHistory {
  /** Slot s holds the observations pushed `s` steps ago … as a ring: `history × numWorlds × obsSize`. */
  private readonly frames: Float32Array;
  private readonly out: Float32Array;
  /** Observations pushed since the episode began. */
  private pushed = 0;

  constructor(
    readonly obsSize: number,
    readonly history: number,
    readonly numWorlds: number,
  ) {
    this.frames = new Float32Array(history * numWorlds * obsSize);
    this.out = new Float32Array(numWorlds * obsSize * history);
  }

  /**
   * Pushes the observations of this step (`numWorlds × obsSize`, the first of a new episode
   * after construction) and returns the history rows, `numWorlds × obsSize × history` values
   * valid until the next call.
   */
  rows(obs: ArrayLike<number>): Float32Array {
    const { obsSize, history, numWorlds } = this;
    const block = numWorlds * obsSize;
    if (obs.length < block) throw new Error(`ObservationHistory: ${obs.length} observation values, ${numWorlds} worlds need ${block}`);
    const slot = this.pushed % history;
    for (let i = 0; i < block; i++) this.frames[slot * block + i] = obs[i];
    this.pushed++;
    // Slot of the observation k steps back, clamped at the episode's first: one closure per call, not per world.
    const oldest = Math.min(this.pushed, history) - 1;
    let world = 0;
    const frame = (k: number) => ((slot - Math.min(k, oldest) + history) % history) * block + world;
    const width = obsSize * history;
    for (let w = 0; w < numWorlds; w++) {
      world = w * obsSize;
      writeHistoryRow(this.frames, frame, obsSize, history, this.out, w * width);
    }
    return this.out;
  }
}
