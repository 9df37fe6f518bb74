/**
 * A worker's generation engine: units of one plan (and source) run back to back in one batch of
 * one Sim, the next unit's attempts taking the worlds the current unit's last attempts leave
 * (no Sim created, no source demos read, no batch drained per unit). The Sim and the demos are
 * kept for the next units of the same settings; the Sim is disposed after `idleMs` without units.
 *
 * Each unit still gets exactly its own attempts (attempt k depends only on (seed, k), not on
 * the slot or the batch that ran it), in order, into its own staging directory, committed by
 * rename as before. With a success target, a unit whose earlier units are known
 * (`prior-successes.ts`) stops at the attempt that completes the target (the rest would be past
 * the dataset's end) and a unit whose earlier units hold the target is not run at all.
 */
import { createSim, getTask, type Sim } from '@gripgen/sim-core';
import { generationFollowerFor, getDatagenTask, parseGenerateConfig, readSourceDemos, runBatchGeneration, type SourceDemo } from '@gripgen/trajgen';
import type { GenerationPlan, WorkUnit } from './plan.js';
import { PriorSuccesses } from './prior-successes.js';
import { UnitRecorder } from './unit-recorder.js';
import type { UnitSummary } from './unit-output.js';

/** Counters of a unit in progress. */
export interface UnitProgress {
  attempts: number;
  successes: number;
  total: number;
}

/** Options of one unit's run. */
export interface GenerateUnitOptions {
  /** Who generates it (`host:pid`), recorded in `unit.json`. */
  worker: string;
  /** Called after each finished attempt. */
  onProgress?: (progress: UnitProgress) => void;
}

/**
 * What a unit's run did: the summary and whether this run committed it (false: another worker
 * had), or (`summary` null) nothing, the earlier units holding the target (`unneededAfter`
 * successes). `cut`: the unit stopped at the target's last success.
 */
export type UnitOutcome = { summary: UnitSummary; committed: boolean; cut: boolean } | { summary: null; committed: false; unneededAfter: number };

/** Hooks of a {@link UnitPipeline}. */
export interface UnitPipelineOptions {
  /** Called when every attempt handed to the pipeline has started (more units would keep the worlds busy). */
  onHungry?: () => void;
  /** How long the Sim is kept without units (ms, default 60000). */
  idleMs?: number;
}

interface Request {
  plan: GenerationPlan;
  unit: WorkUnit;
  options: GenerateUnitOptions;
  resolve: (outcome: UnitOutcome) => void;
  reject: (error: unknown) => void;
}

interface Member {
  request: Request;
  /** Batch index of the unit's first attempt. */
  start: number;
  recorder: Promise<UnitRecorder>;
  admittedAt: number;
  steps: number;
  settled: boolean;
}

const batchKey = (r: Request) => `${r.plan.planId}\n${r.unit.source}`;

/** Reads and checks a plan's source demos (throws naming the unit, as a poisoned unit's error). */
async function loadDemos(plan: GenerationPlan, unit: WorkUnit): Promise<SourceDemo[]> {
  const demos = await readSourceDemos(unit.source);
  if (demos.length === 0) throw new Error(`unit ${unit.id}: ${unit.source} holds no source demos`);
  if (demos[0].task !== plan.task) throw new Error(`unit ${unit.id}: ${unit.source} holds demos of task "${demos[0].task}", the plan is for "${plan.task}"`);
  const ids = demos.map((d) => d.id);
  if (JSON.stringify(ids) !== JSON.stringify(plan.sourceDemoIds)) {
    throw new Error(`unit ${unit.id}: ${unit.source} holds source demos ${JSON.stringify(ids)}, the plan was made with ${JSON.stringify(plan.sourceDemoIds)}`);
  }
  return demos;
}

/** The Sim settings of a plan's units (the world count does not change an attempt). */
function simSettings(plan: GenerationPlan) {
  const config = parseGenerateConfig(plan.config);
  return {
    task: plan.task,
    numWorlds: Math.min(plan.worlds, plan.unitAttempts),
    backend: plan.backend,
    seed: plan.seed,
    randomization: plan.randomization ?? getTask(plan.task).defaultPreset,
    actionMode: 'delta' as const,
    maxEpisodeSteps: config.maxAttemptSteps + 1,
    ...(plan.threads !== null ? { threads: plan.threads } : {}),
  };
}

/** Runs units; see the module comment. */
export class UnitPipeline {
  private readonly waiting: Request[] = [];
  private driving: Promise<void> | null = null;
  private sim: { key: string; sim: Sim } | null = null;
  private demos: { key: string; demos: SourceDemo[] } | null = null;
  private readonly priors = new Map<string, PriorSuccesses>();
  private idleTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: UnitPipelineOptions = {}) {}

  /** Runs (or skips, see {@link UnitOutcome}) one unit; resolves once it is committed. */
  run(plan: GenerationPlan, unit: WorkUnit, options: GenerateUnitOptions): Promise<UnitOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ plan, unit, options, resolve, reject });
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.idleTimer = null;
      this.driving ??= this.drive();
    });
  }

  /**
   * The successes of the units before `unit`, when they are known and hold the plan's target
   * (the unit is then not needed); else null. Reads committed units' summaries.
   */
  async unneededAfter(plan: GenerationPlan, unit: WorkUnit): Promise<number | null> {
    const prior = this.priorsOf(plan);
    const before = await prior.refresh(unit.index);
    return prior.reaches(before, 0) ? before : null;
  }

  /** Waits for the running units, then disposes the Sim. */
  async dispose(): Promise<void> {
    await this.driving;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    await this.dropSim();
  }

  private async drive(): Promise<void> {
    try {
      while (this.waiting.length > 0) await this.runBatch();
    } finally {
      this.driving = null;
      this.idleTimer = setTimeout(() => void (this.driving ? undefined : this.dropSim()), this.options.idleMs ?? 60_000);
      this.idleTimer.unref();
    }
  }

  private priorsOf(plan: GenerationPlan): PriorSuccesses {
    let prior = this.priors.get(plan.planId);
    if (!prior) {
      if (this.priors.size >= 8) this.priors.delete(this.priors.keys().next().value!);
      prior = new PriorSuccesses(plan);
      this.priors.set(plan.planId, prior);
    }
    return prior;
  }

  private async dropSim(): Promise<void> {
    const entry = this.sim;
    this.sim = null;
    await entry?.sim.dispose();
  }

  private async simFor(plan: GenerationPlan): Promise<Sim> {
    const settings = simSettings(plan);
    const key = JSON.stringify(settings);
    if (this.sim?.key === key) return this.sim.sim;
    await this.dropSim();
    const sim = await createSim(settings);
    this.sim = { key, sim };
    return sim;
  }

  private async demosFor(plan: GenerationPlan, unit: WorkUnit): Promise<SourceDemo[]> {
    const key = `${plan.planId}\n${unit.source}`;
    if (this.demos?.key === key) return this.demos.demos;
    this.demos = null;
    const demos = await loadDemos(plan, unit);
    this.demos = { key, demos };
    return demos;
  }

  /** Runs the units of the request at the head of the queue and those of the same plan that join. */
  private async runBatch(): Promise<void> {
    const head = this.waiting[0];
    const plan = head.plan;
    const key = batchKey(head);
    const prior = this.priorsOf(plan);
    const members: Member[] = [];
    let admitted = 0;
    const admit = () => {
      while (this.waiting.length > 0 && batchKey(this.waiting[0]) === key) {
        const request = this.waiting.shift()!;
        const before = prior.before(request.unit.index);
        if (prior.reaches(before, 0)) {
          request.resolve({ summary: null, committed: false, unneededAfter: before! });
          continue;
        }
        const recorder = UnitRecorder.open(request.plan, request.unit);
        recorder.catch(() => {});
        members.push({ request, start: admitted, recorder, admittedAt: performance.now(), steps: 0, settled: false });
        admitted += request.unit.attempts;
      }
    };
    admit();
    if (members.length === 0) return;
    const unsettled = () => members.filter((m) => !m.settled);
    let sim: Sim;
    let demos: SourceDemo[];
    try {
      demos = await this.demosFor(plan, head.unit);
      sim = await this.simFor(plan);
    } catch (error) {
      await fail(unsettled(), error);
      return;
    }
    const config = parseGenerateConfig(plan.config);
    // As `gripgen generate` chooses it, so that the merged dataset is the one it writes.
    const follower = generationFollowerFor(sim, 'auto');
    const layout = { obsSize: sim.spec.obsNames.length, actionSize: sim.spec.actionNames.length };
    let current = 0;
    let hungryAt = -1;
    let stepsSeen = 0;
    let overflowMark = sim.contactOverflowSteps;
    const memberAt = (k: number) => {
      let i = members.length - 1;
      while (members[i].start > k) i--;
      return members[i];
    };
    const settle = (m: Member, recorder: UnitRecorder, cut: boolean) => {
      m.settled = true;
      current++;
      prior.note(m.request.unit.index, recorder.successCount);
      const overflow = sim.contactOverflowSteps - overflowMark;
      overflowMark += overflow;
      const info = {
        backend: sim.spec.backend,
        follower,
        adapter: sim.spec.adapter ? sim.spec.adapter.description : null,
        obsNames: [...sim.spec.obsNames],
        actionNames: [...sim.spec.actionNames],
        sourceDemoIds: demos.map((d) => d.id),
        worker: m.request.options.worker,
        wallSeconds: (performance.now() - m.admittedAt) / 1000,
        controlSteps: m.steps,
        contactOverflowSteps: overflow,
      };
      // Committed while the batch goes on with the next unit.
      recorder.commit(info, cut).then(({ summary, committed }) => m.request.resolve({ summary, committed, cut }), m.request.reject);
    };
    // Learns of earlier units committed by other workers while a unit runs (for the cut).
    let refreshing = false;
    const poll = plan.target.guarantee
      ? setInterval(() => {
          const m = members[current];
          if (!m || refreshing || prior.before(m.request.unit.index) !== null) return;
          refreshing = true;
          void prior.refresh(m.request.unit.index).finally(() => (refreshing = false));
        }, 500)
      : null;
    try {
      await runBatchGeneration({
        sim,
        follower,
        task: getDatagenTask(plan.task),
        demos,
        config,
        attemptId: (k) => {
          const m = memberAt(k);
          return m.request.unit.firstAttempt + (k - m.start);
        },
        startIndex: 0,
        wantAttempt: (k) => {
          if (k >= admitted) admit();
          if (k < admitted) return true;
          if (hungryAt !== admitted) {
            hungryAt = admitted;
            this.options.onHungry?.();
          }
          return false;
        },
        onStep: ({ steps }) => {
          // The GPU follower reports once per chunk of steps.
          if (current < members.length) members[current].steps += steps - stepsSeen;
          stepsSeen = steps;
        },
        onResult: async (result) => {
          const m = memberAt(result.index);
          const recorder = await m.recorder;
          await recorder.add(result, layout, config);
          const unit = m.request.unit;
          m.request.options.onProgress?.({ attempts: recorder.attempts, successes: recorder.successCount, total: unit.attempts });
          const cut = recorder.attempts < unit.attempts && prior.reaches(prior.before(unit.index), recorder.successCount);
          if (recorder.attempts === unit.attempts || cut) settle(m, recorder, cut);
          return cut;
        },
      });
    } catch (error) {
      // The Sim's state is unknown after a failure: the next units get a new one.
      await this.dropSim();
      await fail(unsettled(), error);
      return;
    } finally {
      if (poll) clearInterval(poll);
    }
    // After a cut: the later units are past the target; back to the queue (they will be found unneeded).
    const rest = unsettled();
    await Promise.all(rest.map((m) => m.recorder.then((r) => r.abandon(), () => {})));
    this.waiting.unshift(...rest.map((m) => m.request));
  }
}

/** Rejects the members' requests and drops what they wrote. */
async function fail(members: Member[], error: unknown): Promise<void> {
  for (const m of members) {
    m.settled = true;
    await m.recorder.then((r) => r.abandon(), () => {});
    m.request.reject(error);
  }
}
