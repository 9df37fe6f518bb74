/**
 * A whole generation run: source demos in, a dataset out (successes in `out/`, kept failures
 * in `out/failed/`), resumable, optionally certified on the other backend.
 */
import { join } from 'node:path';
import { createSim, getTask, type BackendKind, type Sim, type SimConfigInput } from '@gripgen/sim-core';
import { createDatasetWriter, type DatasetWriter } from '../dataset/index.js';
import type { SourceDemo } from '../demos/source-demo.js';
import type { Episode } from '../episode.js';
import { getDatagenTask } from '../tasks/datagen-task.js';
import { runBatchGeneration, type AttemptResult, type GenerationFollower } from './batch-generator.js';
import { parseGenerateConfig, type GenerateConfigInput } from './generate-config.js';
import { replayEpisodes } from './replay.js';

/** Options of `generateDataset`. */
export interface GenerateDatasetOptions {
  demos: readonly SourceDemo[];
  /** Dataset directory (created, or resumed when it holds a dataset of the same run). */
  out: string;
  /** MimicGen knobs (see `generateConfigSchema`). */
  config?: GenerateConfigInput;
  /** Worlds stepped at once (attempts in flight). */
  worlds: number;
  backend?: SimConfigInput['backend'];
  /** Randomization of the generated worlds (default `wide`). */
  randomization?: unknown;
  /** Base seed of the generated worlds (default 1; keep it apart from evaluation seeds). */
  seed?: number;
  /** This run's slice of the seed space: attempts index, index + count, index + 2·count, … */
  shard?: { index: number; count: number };
  /**
   * Restricts the generated worlds to these scenes (episode indices of `seed`, distinct): attempt
   * k runs in the world (seed, scenes[k mod D]) instead of (seed, k), with the generation draws
   * of attempt k, so attempts in one scene are different trajectories; a world's randomization
   * still depends only on (seed, episode). With `guarantee`, each scene keeps at most an even
   * share of `numTrials` successes (⌊numTrials / D⌋, the first numTrials mod D scenes one more)
   * and the run goes on until every share is full, so a dataset of numTrials ≥ D trajectories
   * holds every scene. One shard only. Part of the dataset's identity.
   */
  scenes?: readonly number[];
  threads?: number;
  /**
   * The webgpu program and the scene solver's contact capacity of the generating Sim (see
   * `SimConfigInput`); the other backends ignore them. Part of the dataset's identity when set.
   */
  sim?: Pick<SimConfigInput, 'gpuProgram' | 'contactCapacity'>;
  /**
   * Where the waypoint follower runs (`BatchGenerationOptions.follower`): `auto` (default) takes
   * `gpu` on the webgpu backend's task kernel (the one that gives `sim.gpuAccess()`), `host`
   * elsewhere. `gpu` is part of the dataset's identity: its actions equal the host's up to f32
   * rounding, not bit for bit.
   */
  follower?: 'auto' | GenerationFollower;
  /** Control steps between two visits of the host with the GPU follower (default 16; the data does not depend on it). */
  gpuChunkSteps?: number;
  /** Replay each kept trajectory on this backend and record whether it succeeds there. */
  certify?: BackendKind | null;
  /** Keep every success (`all`) or only those that also succeed on the certifying backend. */
  keep?: 'all' | 'certified';
  /** Episodes per shard file (default: the writer's). */
  episodesPerShard?: number;
  /** Called after each batch step and each handed-out attempt. */
  onProgress?: (progress: GenerationProgress) => void;
  /**
   * Stops the run when aborted (e.g. on SIGINT/SIGTERM): what is complete is sealed, the
   * dataset is left incomplete and unlocked, and `generateDataset` rejects with a
   * {@link GenerationInterruptedError}; the same call later resumes it.
   */
  signal?: AbortSignal;
}

/** A run stopped by its abort signal; the dataset holds what was sealed and resumes from there. */
export class GenerationInterruptedError extends Error {
  override name = 'GenerationInterruptedError';
  constructor(
    /** The dataset directory. */
    readonly out: string,
    /** This run's counters when it stopped (kept includes a resumed dataset's). */
    readonly stats: GenerationStats,
  ) {
    super(
      `interrupted after ${stats.attempts} attempts of this run; ${stats.kept} trajectories are kept in ${out}. ` +
        `Run the same command again to resume (attempts in flight are redone; nothing is duplicated).`,
    );
  }
}

/** Live counters of a run (this process's part; `kept` includes a resumed dataset's). */
export interface GenerationProgress {
  attempts: number;
  successes: number;
  kept: number;
  target: number;
  guarantee: boolean;
  wallSeconds: number;
  /** Failed attempts cut short, by why (as in {@link GenerationStats}). */
  faults: number;
  tooLong: number;
  objectBelowTable: number;
  objectOutsideWorkspace: number;
  /** Control steps of the batch so far, and the worlds with an attempt in flight at the last one. */
  steps: number;
  active: number;
}

/** What a run did. Written into the dataset's manifest as `stats`. */
export interface GenerationStats {
  task: string;
  backend: BackendKind;
  /** Where the waypoint follower ran. */
  follower: GenerationFollower;
  adapter: string | null;
  worlds: number;
  seed: number;
  shard: { index: number; count: number };
  /** Attempts made by this process (a resumed run counts only its own). */
  attempts: number;
  successes: number;
  successRate: number;
  /** Successful trajectories kept in the dataset in total (resumed ones included). */
  kept: number;
  failuresKept: number;
  /** Failed attempts by the subtask they failed in. */
  failuresBySubtask: Record<string, number>;
  /** Attempts cut because a world blew up, or ran past `maxAttemptSteps`. */
  faults: number;
  tooLong: number;
  /** Attempts ended as failures because an object left the task's workspace: below the table top, or out over its sides or ceiling. */
  objectBelowTable: number;
  objectOutsideWorkspace: number;
  /** World-steps in which a world found more contacts than the webgpu solver keeps (its `contactCapacity`); always 0 on the CPU backends. */
  contactOverflowSteps: number;
  /** Successful trajectories per hour of this process's wall time. */
  trajectoriesPerHour: number;
  wallSeconds: number;
  controlSteps: number;
  resumed: boolean;
  certification: { backend: BackendKind; checked: number; agreed: number; agreementRate: number } | null;
}

/** Episodes replayed per certification batch. */
const CERTIFY_BATCH = 64;

/**
 * Generates trajectories from source demos with MimicGen's semantics, `worlds` attempts at a
 * time, until `numTrials` attempts (or, with `guarantee`, `numTrials` kept successes).
 * Successes are written in attempt order; a killed run restarted with the same options
 * continues where the dataset's last sealed shard ended and produces the same dataset.
 */
export async function generateDataset(options: GenerateDatasetOptions): Promise<GenerationStats> {
  const config = parseGenerateConfig(options.config ?? {});
  if (options.demos.length === 0) throw new Error('generate: no source demos');
  const taskId = options.demos[0].task;
  const task = getDatagenTask(taskId);
  const seed = options.seed ?? 1;
  const shard = options.shard ?? { index: 0, count: 1 };
  if (!Number.isInteger(shard.count) || shard.count < 1 || !Number.isInteger(shard.index) || shard.index < 0 || shard.index >= shard.count) {
    throw new Error(`generate: shard must be i/n with 0 <= i < n (got ${shard.index}/${shard.count})`);
  }
  if (!Number.isInteger(options.worlds) || options.worlds < 1) throw new Error(`generate: worlds must be a positive integer (got ${options.worlds})`);
  const scenes = options.scenes ? checkScenes(options.scenes, shard) : null;
  const randomization = options.randomization ?? getTask(taskId).defaultPreset;
  const keep = options.keep ?? 'all';
  const certifyOn = options.certify ?? null;
  if (keep === 'certified' && !certifyOn) throw new Error('generate: keep "certified" needs certify rapier, webgpu or mujoco');

  const simOptions = Object.fromEntries(Object.entries(options.sim ?? {}).filter(([, v]) => v !== undefined));
  const simOn = (backend: SimConfigInput['backend'], numWorlds: number, own: Record<string, unknown> = {}) =>
    createSim({
      ...own,
      task: taskId,
      numWorlds,
      backend,
      seed,
      randomization,
      actionMode: 'delta',
      maxEpisodeSteps: config.maxAttemptSteps + 1,
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
    });
  const sim = await simOn(options.backend ?? 'auto', options.worlds, simOptions);
  let follower: GenerationFollower;
  try {
    follower = generationFollowerFor(sim, options.follower ?? 'auto');
  } catch (e) {
    await sim.dispose();
    throw e;
  }
  const certifier = certifyOn ? await simOn(certifyOn, CERTIFY_BATCH) : null;
  // What makes the dataset what it is (the batch size does not: attempts are slot-independent).
  const runConfig = {
    generate: config,
    randomization,
    backend: sim.spec.backend,
    ...(follower === 'gpu' && { follower }),
    certify: certifyOn,
    keep,
    ...(scenes && { scenes }),
    ...(Object.keys(simOptions).length > 0 && { sim: simOptions }),
  } as Record<string, unknown>;
  const identity = {
    config: runConfig,
    taskId,
    seed,
    shard,
    obsNames: sim.spec.obsNames,
    actionNames: sim.spec.actionNames,
    sourceDemoIds: options.demos.map((d) => d.id),
    ...(options.episodesPerShard !== undefined ? { episodesPerShard: options.episodesPerShard } : {}),
  };
  let writer: DatasetWriter | null = null;
  let failedWriter: DatasetWriter | null = null;
  try {
    writer = await createDatasetWriter(options.out, identity);
    failedWriter = config.keepFailed ? await createDatasetWriter(join(options.out, 'failed'), identity) : null;
    const doneMain = writer.resume.nextAttempt;
    const doneFailed = failedWriter ? failedWriter.resume.nextAttempt : doneMain;
    const firstAttempt = Math.min(doneMain, doneFailed);
    const startIndex = Math.max(0, Math.ceil((firstAttempt - shard.index) / shard.count));
    const attemptId = (k: number) => shard.index + shard.count * k;
    // Restricted scenes: the scene of an attempt, and each scene's kept count against its share.
    const sceneOf = (attempt: number) => attempt % scenes!.length;
    const sceneShare = (scene: number) => Math.floor(config.numTrials / scenes!.length) + (scene < config.numTrials % scenes!.length ? 1 : 0);
    const keptPerScene = scenes ? new Array<number>(scenes.length).fill(0) : null;
    if (keptPerScene) for (const attempt of writer.resume.keptAttempts) keptPerScene[sceneOf(attempt)]++;

    const stats: GenerationStats = {
      task: taskId,
      backend: sim.spec.backend,
      follower,
      adapter: sim.spec.adapter ? sim.spec.adapter.description : null,
      worlds: options.worlds,
      seed,
      shard,
      attempts: 0,
      successes: 0,
      successRate: 0,
      kept: writer.resume.counts.episodes,
      failuresKept: failedWriter?.resume.counts.episodes ?? 0,
      failuresBySubtask: Object.fromEntries(task.subtasks.map((s) => [s.name, 0])),
      faults: 0,
      tooLong: 0,
      objectBelowTable: 0,
      objectOutsideWorkspace: 0,
      contactOverflowSteps: 0,
      trajectoriesPerHour: 0,
      wallSeconds: 0,
      controlSteps: 0,
      resumed: writer.resume.resumed,
      certification: certifyOn ? { backend: certifyOn, checked: 0, agreed: 0, agreementRate: 0 } : null,
    };
    const start = performance.now();
    let batch = { steps: 0, active: 0 };
    const progress = (step?: { steps: number; active: number }) => {
      if (step) batch = { steps: step.steps, active: step.active };
      stats.wallSeconds = (performance.now() - start) / 1000;
      options.onProgress?.({
        attempts: stats.attempts,
        successes: stats.successes,
        kept: stats.kept,
        target: config.numTrials,
        guarantee: config.guarantee,
        wallSeconds: stats.wallSeconds,
        faults: stats.faults,
        tooLong: stats.tooLong,
        objectBelowTable: stats.objectBelowTable,
        objectOutsideWorkspace: stats.objectOutsideWorkspace,
        steps: batch.steps,
        active: batch.active,
      });
    };
    const enough = () => (config.guarantee ? stats.kept >= config.numTrials : false);

    // Successes wait here for certification, in attempt order.
    let queue: Episode[] = [];
    const drain = async () => {
      if (queue.length === 0) return;
      const batch = queue;
      queue = [];
      if (certifier) {
        const results = await replayEpisodes(certifier, batch);
        batch.forEach((e, i) => (e.certification = { backend: certifyOn!, success: results[i].success }));
        stats.certification!.checked += batch.length;
        stats.certification!.agreed += results.filter((r) => r.success).length;
      }
      for (const e of batch) {
        if (config.guarantee && (stats.kept >= config.numTrials || (keptPerScene && keptPerScene[sceneOf(e.attempt)] >= sceneShare(sceneOf(e.attempt))))) {
          writer!.discard(e.attempt, { success: true });
          continue;
        }
        if (keep === 'certified' && !e.certification!.success) writer!.discard(e.attempt, { success: true });
        else {
          await writer!.append(e);
          stats.kept++;
          if (keptPerScene) keptPerScene[sceneOf(e.attempt)]++;
        }
      }
    };

    const onResult = async (result: AttemptResult): Promise<boolean> => {
      const e = result.episode;
      stats.attempts++;
      if (e.success) stats.successes++;
      else {
        stats.failuresBySubtask[result.failedSubtask!] = (stats.failuresBySubtask[result.failedSubtask!] ?? 0) + 1;
        if (result.end === 'fault') stats.faults++;
        else if (result.end === 'tooLong') stats.tooLong++;
        else if (result.end === 'objectBelowTable') stats.objectBelowTable++;
        else if (result.end === 'objectOutsideWorkspace') stats.objectOutsideWorkspace++;
      }
      if (e.success && e.attempt >= doneMain) {
        queue.push(e);
        if (queue.length >= (certifier ? CERTIFY_BATCH : 1)) await drain();
      } else if (!e.success && e.attempt >= doneMain) {
        // Order the main dataset's bookkeeping behind any queued successes.
        await drain();
        writer!.discard(e.attempt, { success: false });
      }
      if (!e.success && failedWriter && e.attempt >= doneFailed) {
        if (stats.failuresKept < config.maxNumFailures) {
          await failedWriter.append(e);
          stats.failuresKept++;
        } else failedWriter.discard(e.attempt, { success: false });
      } else if (e.success && failedWriter && e.attempt >= doneFailed) failedWriter.discard(e.attempt, { success: true });
      progress();
      return enough();
    };

    stats.controlSteps = await runBatchGeneration({
      sim,
      task,
      demos: options.demos,
      config,
      attemptId,
      ...(scenes && { worldEpisode: (attempt: number) => scenes[sceneOf(attempt)] }),
      startIndex,
      wantAttempt: (k) => (config.guarantee ? !enough() : k < config.numTrials),
      onResult,
      onStep: progress,
      signal: options.signal,
      follower,
      ...(options.gpuChunkSteps !== undefined && { gpuChunkSteps: options.gpuChunkSteps }),
    });
    await drain();
    if (options.signal?.aborted) {
      stats.wallSeconds = (performance.now() - start) / 1000;
      throw new GenerationInterruptedError(options.out, stats);
    }
    stats.wallSeconds = (performance.now() - start) / 1000;
    stats.successRate = stats.attempts > 0 ? stats.successes / stats.attempts : 0;
    stats.contactOverflowSteps = sim.contactOverflowSteps;
    stats.trajectoriesPerHour = stats.wallSeconds > 0 ? (stats.successes / stats.wallSeconds) * 3600 : 0;
    if (stats.certification) stats.certification.agreementRate = stats.certification.checked > 0 ? stats.certification.agreed / stats.certification.checked : 0;
    await writer.close({ stats: stats as unknown as Record<string, unknown> });
    writer = null;
    if (failedWriter) await failedWriter.close({ stats: { failuresKept: stats.failuresKept } });
    failedWriter = null;
    return stats;
  } finally {
    // Seal what is complete and unlock, leaving the dataset resumable.
    if (writer) await writer.release().catch(() => {});
    if (failedWriter) await failedWriter.release().catch(() => {});
    await sim.dispose();
    await certifier?.dispose();
  }
}

/**
 * Where generation's follower runs on `sim` for `choice` (see `GenerateDatasetOptions.follower`):
 * `auto` takes `gpu` where the Sim gives `gpuAccess()`; throws for `gpu` where it cannot run.
 */
export function generationFollowerFor(sim: Sim, choice: 'auto' | GenerationFollower): GenerationFollower {
  if (choice !== 'auto' && choice !== 'host' && choice !== 'gpu') throw new Error(`generate: follower must be auto, host or gpu, got ${JSON.stringify(choice)}`);
  if (choice === 'host') return 'host';
  let onGpu = true;
  try {
    sim.gpuAccess();
  } catch (e) {
    if (choice === 'gpu') throw new Error(`generate: follower "gpu" needs the webgpu backend's task kernel: ${(e as Error).message}`);
    onGpu = false;
  }
  return onGpu ? 'gpu' : 'host';
}

/** Validates `scenes`: a non-empty list of distinct episode indices (non-negative integers), one shard. */
function checkScenes(scenes: readonly number[], shard: { index: number; count: number }): number[] {
  if (!Array.isArray(scenes) || scenes.length === 0) throw new Error('generate: scenes must be a non-empty list of episode indices');
  const bad = scenes.find((e) => !Number.isInteger(e) || e < 0 || e > 0xffffffff);
  if (bad !== undefined) throw new Error(`generate: scenes must hold episode indices (integers in [0, 2^32 − 1]), got ${JSON.stringify(bad)}`);
  if (new Set(scenes).size !== scenes.length) throw new Error(`generate: scenes must be distinct, got ${JSON.stringify(scenes)}`);
  if (shard.count !== 1) throw new Error(`generate: scenes needs a single shard (got shard ${shard.index}/${shard.count})`);
  return [...scenes];
}
