/** The small, valid dataset the damaged copies are made from, written with the dataset writer. */
import { createDatasetWriter, type DatasetManifest, type DatasetWriterOptions, type Episode } from '../../src/index.js';

/** Observation and action columns of the sound dataset. */
export const OBS_NAMES = ['eef_x', 'eef_y', 'eef_z', 'cube_x', 'cube_y'];
export const ACTION_NAMES = ['dx', 'dy', 'dz', 'rx', 'ry', 'rz', 'gripper'];
/** Attempts made (0–9); those ≡ 2 (mod 3) are discarded, so 7 episodes are kept, 3 per shard. */
export const SOUND_ATTEMPTS = 10;
/** Episodes per shard file. */
export const EPISODES_PER_SHARD = 3;

/** Episode of `attempt` in the sound dataset: 4–6 steps (or `length`), every float finite, even attempts succeed. */
export function soundEpisode(attempt: number, length = 4 + (attempt % 3)): Episode {
  const floats = (width: number, salt: number) => Float32Array.from({ length: length * width }, (_, i) => Math.sin(attempt * 12.9898 + i * 78.233 + salt));
  const success = attempt % 2 === 0;
  return {
    attempt,
    world: { seed: 7, episode: 0, worldId: attempt },
    length,
    obs: floats(OBS_NAMES.length, 1),
    actions: floats(ACTION_NAMES.length, 2),
    rewards: floats(1, 3),
    dones: Uint8Array.from({ length }, (_, t) => (t === length - 1 ? 1 : 0)),
    success,
    successStep: success ? length - 1 : -1,
    srcDemoIndices: [attempt % 2],
    srcDemoLabels: Int32Array.from({ length }, () => attempt % 2),
    subtaskStarts: [0],
    datagen: {
      eefPose: floats(7, 4),
      targetPose: floats(7, 5),
      objectPoses: { cube: floats(7, 6) },
      gripperAction: floats(1, 7),
      signals: { isGrasped: Uint8Array.from({ length }, (_, t) => (t > 1 ? 1 : 0)) },
    },
    certification: null,
  };
}

/** The dataset writer options the sound dataset is written with (a resuming writer passes the same). */
export const SOUND_WRITER_OPTIONS: DatasetWriterOptions = {
  config: { task: 'pick-place', vectors: 'damaged-datasets' },
  taskId: 'pick-place',
  seed: 7,
  obsNames: OBS_NAMES,
  actionNames: ACTION_NAMES,
  sourceDemoIds: ['demo-0', 'demo-1'],
  episodesPerShard: EPISODES_PER_SHARD,
};

/**
 * Writes the sound dataset to `dir` (which must not hold one yet) and returns its manifest;
 * `episodeOf` replaces {@link soundEpisode} (e.g. to plant a NaN).
 */
export async function writeSoundDataset(dir: string, episodeOf: (attempt: number) => Episode = soundEpisode): Promise<DatasetManifest> {
  const writer = await createDatasetWriter(dir, SOUND_WRITER_OPTIONS);
  for (let attempt = 0; attempt < SOUND_ATTEMPTS; attempt++) {
    if (attempt % 3 === 2) writer.discard(attempt, { success: attempt % 2 === 0 });
    else await writer.append(episodeOf(attempt));
  }
  return writer.close({ stats: { vectors: true } });
}

/** The sound episode of `attempt`, with NaN at step 1 of the `cube_x` observation of attempt 4. */
export function episodeWithNaN(attempt: number): Episode {
  const episode = soundEpisode(attempt);
  if (attempt === 4) episode.obs[OBS_NAMES.length + OBS_NAMES.indexOf('cube_x')] = Number.NaN;
  return episode;
}
