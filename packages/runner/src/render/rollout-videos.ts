/** Rollout videos: frames from the viewer (headless Chrome), encoded by ffmpeg. */
import { DEFAULT_PHYSICS } from '@gripgen/sim-core';
import { startVideoEncoder, type VideoEncoder } from './ffmpeg-video.js';
import { loadRolloutSession, type RolloutFramesOptions } from './viewer-frames.js';

/** One video to render: what to draw and where to write it (format from the extension). */
export type RolloutVideoJob = Omit<RolloutFramesOptions, 'onReady' | 'onFrame'> & { out: string };

/** Reports of {@link renderRolloutVideos}. */
export interface RolloutVideoHooks {
  /** The viewer is built and Chrome started: job `index` starts stepping. */
  onStart?: (job: RolloutVideoJob, index: number) => void;
  /** Frame `step` of job `index` is encoded. */
  onFrame?: (step: number, job: RolloutVideoJob, index: number) => void;
}

/**
 * Renders the jobs in order in one viewer session (built and started once), each to its video
 * at the control rate (one frame per control step). Check ffmpeg first (`checkFfmpeg`).
 */
export async function renderRolloutVideos(jobs: readonly RolloutVideoJob[], hooks: RolloutVideoHooks = {}): Promise<void> {
  const openSession = await loadRolloutSession();
  const session = await openSession();
  try {
    for (const [index, job] of jobs.entries()) {
      const { out, ...frames } = job;
      let encoder: VideoEncoder | undefined;
      let finished = false;
      try {
        await session.render({
          ...frames,
          onReady: () => {
            encoder = startVideoEncoder(out, DEFAULT_PHYSICS.controlHz);
            hooks.onStart?.(job, index);
          },
          onFrame: async (png, step) => {
            await encoder!.write(png);
            hooks.onFrame?.(step, job, index);
          },
        });
        await encoder!.finish();
        finished = true;
      } finally {
        if (!finished) encoder?.abort();
      }
    }
  } finally {
    await session.close();
  }
}
