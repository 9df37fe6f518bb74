/**
 * The order and running of `bench:gpu`'s rows, cheapest and most GPU-bound first, so that a
 * budget cut drops the costly rows: for every world count its kernel and step rows on one Sim
 * (created for them, disposed after), then every size's generation row, then every size's
 * curve. A row starts only if the budget allows it (budget.ts). A batch refused with
 * GpuBufferLimitError marks that size's later rows refused with its message (they would create
 * the same batch).
 */
import { createSim, GpuBufferLimitError, type GpuAdapterDescription, type Sim } from '@gripgen/sim-core';
import type { SourceDemo } from '@gripgen/trajgen';
import type { RoundPolicy } from '../rounds/repeat.js';
import { budgetSkip, estimateSeconds, type RowCost } from './budget.js';
import { CURVE_MAX_WORLDS, runCurve } from './curve-time.js';
import { measureGeneration } from './generation-rate.js';
import { withHostShare, type HostTime } from './host-share.js';
import { kernelUnavailable, measureKernel } from './kernel-rate.js';
import { measured, MEASUREMENTS, unmeasured, type GpuBenchRow, type Measurement } from './report.js';
import { measureSimStep } from './step-rate.js';

/** Episode length of the Sim (truncated worlds are reset in the step row). */
const EPISODE_STEPS = 200;
/** Steps of a kernel round, at most (one command buffer). */
const KERNEL_MAX_STEPS = 1000;
/** The budget's record of one generation round (the mean of a generation row's). */
const GENERATION_ROUND = 'generation round';

/** What the rows share. */
export interface BenchRun {
  policy: RoundPolicy;
  budgetSeconds: number;
  /** performance.now() at the start. */
  startMs: number;
  demos: SourceDemo[];
  /** Scratch folder for datasets and sweeps. */
  dir: string;
  /** The adapter of the first Sim created (null until then). */
  adapter: GpuAdapterDescription | null;
  /** Called with each row as it is done. */
  onRow: (row: GpuBenchRow) => void;
}

/** A row's work, given the size's Sim (kernel and step) or null: its rounds (null for the curve) and detail, or why it is n/a. */
type RowWork = (sim: Sim | null) => Promise<{ rounds: GpuBenchRow['rounds']; detail?: Record<string, unknown> } | { na: string }>;

/** A Sim opened on first use; `created` says whether that call created it. */
type OpenSim = () => Promise<{ sim: Sim; created: boolean }>;

/** Runs every row; returns them ordered by world count, then measurement. */
export async function runRows(run: BenchRun, worldCounts: readonly number[]): Promise<GpuBenchRow[]> {
  const rows: GpuBenchRow[] = [];
  const costs: RowCost[] = [];
  const refused = new Map<number, string>();
  const next = async (worlds: number, m: Measurement, work: RowWork, openSim: OpenSim | null = null) => {
    const note = refused.get(worlds);
    const row =
      note !== undefined
        ? unmeasured(worlds, m, 'refused', note)
        : m === 'curve' && worlds > CURVE_MAX_WORLDS
          ? unmeasured(worlds, m, 'n/a', `n/a: above ${CURVE_MAX_WORLDS} worlds (more held-out worlds add nothing a curve needs)`)
          : await runRow(run, costs, worlds, m, openSim, work);
    if (row.status === 'refused') refused.set(worlds, row.note!);
    rows.push(row);
    run.onRow(row);
  };

  for (const worlds of worldCounts) {
    let sim: Sim | null = null;
    const openSim: OpenSim = async () => {
      if (sim) return { sim, created: false };
      sim = await createSim({ task: 'pick-place', numWorlds: worlds, backend: 'webgpu', randomization: 'wide', seed: 0, maxEpisodeSteps: EPISODE_STEPS, gpuFeatures: ['timestamp-query'] });
      run.adapter ??= sim.spec.adapter;
      await sim.reset();
      return { sim, created: true };
    };
    try {
      await next(worlds, 'kernel', async (s) => {
        const na = kernelUnavailable(s!);
        return na !== null ? { na } : { rounds: await measureKernel(s!, run.policy, KERNEL_MAX_STEPS) };
      }, openSim);
      await next(worlds, 'step', async (s) => ({ rounds: await measureSimStep(s!, run.policy) }), openSim);
    } finally {
      await (sim as Sim | null)?.dispose();
    }
  }
  for (const worlds of worldCounts) {
    await next(worlds, 'generation', async () => {
      const rounds = await measureGeneration(run.demos, worlds, run.dir, run.policy);
      return { rounds, detail: { attemptsPerRound: worlds, successRate: rounds.rounds.map((r) => r.successRate) } };
    });
  }
  for (const worlds of worldCounts) {
    await next(worlds, 'curve', async () => ({ rounds: null, detail: { ...(await runCurve(worlds, run.dir)) } }));
  }
  return rows.sort((a, b) => a.worlds - b.worlds || MEASUREMENTS.indexOf(a.measurement) - MEASUREMENTS.indexOf(b.measurement));
}

/** What a row threw: refused (GpuBufferLimitError) or failed, with its message. */
function thrownRow(worlds: number, m: Measurement, e: unknown, time: HostTime | null): GpuBenchRow {
  const message = e instanceof Error ? e.message : String(e);
  return unmeasured(worlds, m, e instanceof GpuBufferLimitError ? 'refused' : 'failed', message, time);
}

/**
 * Runs row `m` if the budget allows: the Sim first where it needs one (its setup time goes into
 * `detail.simSetupSeconds` and the budget, not into the row's wall and host share), then the work.
 */
async function runRow(run: BenchRun, costs: RowCost[], worlds: number, m: Measurement, openSim: OpenSim | null, work: RowWork): Promise<GpuBenchRow> {
  const elapsed = (performance.now() - run.startMs) / 1000;
  // A rate row measures at least minSeconds at any size; the curve has no such floor. The first
  // curve is taken as two generation rounds (it generates a batch and evaluates one).
  const estimate =
    m === 'curve' && !costs.some((c) => c.kind === 'curve')
      ? 2 * estimateSeconds(costs, GENERATION_ROUND, worlds, 0)
      : estimateSeconds(costs, m, worlds, m === 'curve' ? 0 : run.policy.minSeconds);
  const skip = budgetSkip(elapsed, estimate, run.budgetSeconds);
  if (skip !== null) return unmeasured(worlds, m, 'skipped', skip);
  const setupStart = performance.now();
  let opened: { sim: Sim; created: boolean } | null = null;
  try {
    opened = openSim && (await openSim());
  } catch (e) {
    costs.push({ kind: m, worlds, seconds: (performance.now() - setupStart) / 1000 });
    return thrownRow(worlds, m, e, null);
  }
  const setupSeconds = (performance.now() - setupStart) / 1000;
  const { value, time } = await withHostShare(async () => {
    try {
      return await work(opened?.sim ?? null);
    } catch (e) {
      return { error: e };
    }
  });
  costs.push({ kind: m, worlds, seconds: setupSeconds + time.wallSeconds });
  if (m === 'generation' && 'rounds' in value && value.rounds) costs.push({ kind: GENERATION_ROUND, worlds, seconds: value.rounds.seconds / value.rounds.rounds.length });
  if ('error' in value) return thrownRow(worlds, m, value.error, time);
  if ('na' in value) return unmeasured(worlds, m, 'n/a', value.na, time);
  return measured(worlds, m, value.rounds, time, { ...(opened?.created && { simSetupSeconds: setupSeconds }), ...value.detail });
}
