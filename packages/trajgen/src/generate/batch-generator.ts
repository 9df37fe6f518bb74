/**
 * Batched MimicGen generation: every world of a Sim runs its own attempt, each at its own
 * subtask and step; a world whose attempt ends starts the next attempt at once.
 *
 * Attempt k of a run is the world (seed, episode = attemptId(k), world key 0): its
 * randomization and every random draw of generation (boundary offsets, source selection,
 * action noise) are functions of (seed, attempt) only, so an attempt's trajectory does not
 * depend on the batch size or on which slot ran it. With `worldEpisode`, the attempt runs in
 * the world (seed, worldEpisode(attempt), 0) instead; its draws stay those of the attempt. Finished attempts are handed out in
 * attempt order.
 */
import type { Sim } from '@gripgen/sim-core';
import type { SourceDemo } from '../demos/source-demo.js';
import type { Episode } from '../episode.js';
import type { DatagenTask } from '../tasks/datagen-task.js';
import type { GenerateConfig } from './generate-config.js';
import { GenerationSlots } from './generation-slots.js';
import { followOnGpu } from './gpu/gpu-follow-loop.js';
import { followOnHost } from './host-follow-loop.js';

/** The Sim's termination reasons for an object that left the task's workspace. */
export type LeftWorkspaceReason = 'objectBelowTable' | 'objectOutsideWorkspace';

/**
 * Why an attempt ended: its plan ran out (`completed`: a success or not), its world blew up
 * (`fault`), it ran past `maxAttemptSteps` (`tooLong`), or its world terminated because an
 * object left the task's workspace (the Sim's reason): the last three are failures.
 */
export type AttemptEnd = 'completed' | 'fault' | 'tooLong' | LeftWorkspaceReason;

/** A finished attempt: the episode, how it ended and (if it failed) the subtask it failed in. */
export interface AttemptResult {
  /** Position of the attempt in the run (0, 1, 2, …). */
  index: number;
  episode: Episode;
  end: AttemptEnd;
  /** Name of the first subtask whose end signal never rose, for failed attempts; else null. */
  failedSubtask: string | null;
  /** For an attempt ended by an object leaving the workspace: which object, and where it was (m); else null. */
  leftWorkspace: { object: string; position: [number, number, number] } | null;
}

/** Options of `runBatchGeneration`. */
export interface BatchGenerationOptions {
  /** A Sim in `delta` action mode; its worlds are the generation slots. */
  sim: Sim;
  task: DatagenTask;
  demos: readonly SourceDemo[];
  config: GenerateConfig;
  /** Attempt id of run index k (e.g. the shard's slice of the seed space). */
  attemptId: (k: number) => number;
  /**
   * The episode index of the world attempt `attempt` runs in (default: the attempt id itself).
   * Several attempts may share a world (a restricted set of scenes); their generation draws
   * (boundary offsets, source selection, noise) still differ, being keyed by the attempt.
   */
  worldEpisode?: (attempt: number) => number;
  /** First run index to attempt (resuming). */
  startIndex?: number;
  /** Whether to start attempt `k` (checked before each start, in order). */
  wantAttempt: (k: number) => boolean;
  /** Receives finished attempts in run order; return true to stop the run. */
  onResult: (result: AttemptResult) => boolean | Promise<boolean>;
  /** Called after every control step of the batch with the steps run so far (the GPU follower: after every chunk of steps). */
  onStep?: (stats: { steps: number; active: number }) => void;
  /**
   * Stops the run when aborted: attempts not yet handed to `onResult` are dropped (a resumed
   * run redoes them; each attempt depends only on its id), those handed out stay.
   */
  signal?: AbortSignal;
  /**
   * Who follows the waypoints: `host` computes every world's action in JavaScript at every
   * step (any backend); `gpu` runs the follower and the recording as WGSL beside the physics
   * and plans on the host only at subtask boundaries (webgpu backend; see `followOnGpu`).
   * Default `host`. The two compute the same actions up to f32 rounding, not bit for bit.
   */
  follower?: GenerationFollower;
  /** Control steps the GPU follower runs between two visits of the host (default 16). */
  gpuChunkSteps?: number;
}

/** Where generation's waypoint follower runs (`BatchGenerationOptions.follower`). */
export type GenerationFollower = 'host' | 'gpu';

/**
 * Runs attempts until `wantAttempt` declines and every started attempt has been handed
 * out, or until `onResult` returns true. Returns the number of control steps run.
 */
export async function runBatchGeneration(options: BatchGenerationOptions): Promise<number> {
  const slots = new GenerationSlots(options);
  const follower = options.follower ?? 'host';
  const chunk = options.gpuChunkSteps;
  if (chunk !== undefined && !(Number.isInteger(chunk) && chunk >= 1 && chunk <= 1024)) throw new Error(`gpuChunkSteps must be an integer in [1, 1024], got ${chunk}`);
  if (follower === 'gpu') return followOnGpu(slots, options);
  if (follower !== 'host') throw new Error(`generation follower must be "host" or "gpu", got ${JSON.stringify(follower)}`);
  return followOnHost(slots, options);
}
