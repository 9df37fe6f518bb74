/**
 * Training episodes packed into shared memory, so worker threads can train on prefixes of one
 * dataset without copying it.
 */
import type { TrainingEpisode } from './train.js';

/** Episodes as three shared arrays: every step's observations and actions, and episode offsets. */
export interface SharedEpisodes {
  readonly obsSize: number;
  readonly actionSize: number;
  /** `totalSteps × obsSize`, backed by a SharedArrayBuffer. */
  readonly obs: Float32Array;
  /** `totalSteps × actionSize`, backed by a SharedArrayBuffer. */
  readonly actions: Float32Array;
  /** `count + 1` step offsets: episode i is steps `offsets[i] … offsets[i + 1] − 1`. */
  readonly offsets: Int32Array;
}

function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * Float32Array.BYTES_PER_ELEMENT));
}

/** Packs episodes (all with the given sizes) into shared memory. */
export function shareEpisodes(episodes: readonly TrainingEpisode[], obsSize: number, actionSize: number): SharedEpisodes {
  const offsets = new Int32Array(new SharedArrayBuffer((episodes.length + 1) * Int32Array.BYTES_PER_ELEMENT));
  episodes.forEach((e, i) => {
    offsets[i + 1] = offsets[i] + e.length;
  });
  const steps = offsets[episodes.length];
  const obs = sharedFloat32(steps * obsSize);
  const actions = sharedFloat32(steps * actionSize);
  episodes.forEach((e, i) => {
    obs.set(e.obs.subarray(0, e.length * obsSize), offsets[i] * obsSize);
    actions.set(e.actions.subarray(0, e.length * actionSize), offsets[i] * actionSize);
  });
  return { obsSize, actionSize, obs, actions, offsets };
}

/** The first `count` episodes as views into the shared arrays (no copy). */
export function sharedEpisodePrefix(shared: SharedEpisodes, count: number): TrainingEpisode[] {
  const available = shared.offsets.length - 1;
  if (!Number.isInteger(count) || count < 1 || count > available) {
    throw new Error(`asked for ${count} episodes, ${available} are shared`);
  }
  const { obs, actions, offsets, obsSize, actionSize } = shared;
  return Array.from({ length: count }, (_, i) => ({
    obs: obs.subarray(offsets[i] * obsSize, offsets[i + 1] * obsSize),
    actions: actions.subarray(offsets[i] * actionSize, offsets[i + 1] * actionSize),
    length: offsets[i + 1] - offsets[i],
  }));
}
