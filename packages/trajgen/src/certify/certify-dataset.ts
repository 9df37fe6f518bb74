/**
 * Certification of a dataset on another engine: every trajectory's recorded actions replayed
 * from its world key, the success and the final poses compared with the recording.
 */
import { createSim, quatAngleBetween, type SimConfigInput } from '@gripgen/sim-core';
import type { Dataset } from '../dataset/reader.js';
import type { Episode } from '../episode.js';
import { replayEpisodes } from '../generate/replay.js';

/** Options of {@link certifyDataset}. */
export interface CertifyOptions {
  /** The engine to replay on. */
  backend: NonNullable<SimConfigInput['backend']>;
  /** Trajectories replayed at once (worlds). */
  worlds?: number;
  /** Replay only the first `limit` trajectories. */
  limit?: number;
  /** Worker threads of the rapier backend. */
  threads?: number;
  /** Called after each batch with the trajectories done so far. */
  onProgress?: (done: number, total: number) => void;
}

/** One trajectory's replay. */
export interface CertifiedEpisode {
  attempt: number;
  /** The task's success was reached at some step of the replay. */
  success: boolean;
  /** Distance (m) between the recorded and the replayed cube position before the last step. */
  objectPositionError: number;
  /** Angle (rad) between the recorded and the replayed cube orientation before the last step. */
  objectAngleError: number;
  /** Distance (m) between the recorded and the replayed end-effector position before the last step. */
  effectorPositionError: number;
}

/** What {@link certifyDataset} reports. */
export interface CertificationReport {
  backend: string;
  /** The backend that generated the dataset (from its manifest), if it says. */
  generatedOn: string | null;
  checked: number;
  /** Trajectories that also succeed on `backend`. */
  agreed: number;
  agreementRate: number;
  /** Median and 95th percentile of the per-trajectory errors. */
  objectPositionError: { median: number; p95: number };
  objectAngleError: { median: number; p95: number };
  effectorPositionError: { median: number; p95: number };
  episodes: CertifiedEpisode[];
}

/**
 * Replays a dataset's trajectories on `backend` (same task, seed and randomization as the
 * manifest records) and reports the fraction still successful and how far the final poses
 * moved. A dataset whose manifest lacks its randomization is replayed on `wide`.
 */
export async function certifyDataset(dataset: Dataset, options: CertifyOptions): Promise<CertificationReport> {
  const config = dataset.manifest.config as { randomization?: unknown; backend?: unknown };
  const total = Math.min(dataset.count, options.limit ?? dataset.count);
  const worlds = Math.max(1, Math.min(options.worlds ?? 256, total));
  const sim = await createSim({
    task: dataset.manifest.taskId,
    numWorlds: worlds,
    backend: options.backend,
    seed: dataset.manifest.seed,
    randomization: config.randomization ?? 'wide',
    maxEpisodeSteps: 1_000_000,
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
  });
  const names = sim.spec.obsNames;
  const at = (name: string) => {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`certify: the task observes no ${name}`);
    return i;
  };
  const cube = at('cube_pos_x'), cubeQuat = at('cube_quat_x'), effector = at('ee_pos_x');
  const obsSize = sim.spec.obsSize;
  const episodes: CertifiedEpisode[] = [];
  try {
    let batch: Episode[] = [];
    const flush = async () => {
      const results = await replayEpisodes(sim, batch, true);
      batch.forEach((e, i) => {
        const last = (e.length - 1) * obsSize;
        const recorded = e.obs, replayed = results[i].obs!;
        const distance = (o: number) => Math.hypot(recorded[last + o] - replayed[last + o], recorded[last + o + 1] - replayed[last + o + 1], recorded[last + o + 2] - replayed[last + o + 2]);
        episodes.push({
          attempt: e.attempt,
          success: results[i].success,
          objectPositionError: distance(cube),
          objectAngleError: quatAngleBetween(recorded.subarray(last + cubeQuat, last + cubeQuat + 4), replayed.subarray(last + cubeQuat, last + cubeQuat + 4)),
          effectorPositionError: distance(effector),
        });
      });
      batch = [];
      options.onProgress?.(episodes.length, total);
    };
    for await (const e of dataset.subset(total)) {
      batch.push(e);
      if (batch.length === worlds) await flush();
    }
    if (batch.length > 0) await flush();
  } finally {
    await sim.dispose();
  }
  const agreed = episodes.filter((e) => e.success).length;
  const stats = (key: 'objectPositionError' | 'objectAngleError' | 'effectorPositionError') => {
    const sorted = episodes.map((e) => e[key]).sort((a, b) => a - b);
    const q = (p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
    return { median: q(0.5), p95: q(0.95) };
  };
  return {
    backend: options.backend,
    generatedOn: typeof config.backend === 'string' ? config.backend : null,
    checked: episodes.length,
    agreed,
    agreementRate: episodes.length === 0 ? NaN : agreed / episodes.length,
    objectPositionError: stats('objectPositionError'),
    objectAngleError: stats('objectAngleError'),
    effectorPositionError: stats('effectorPositionError'),
    episodes,
  };
}
