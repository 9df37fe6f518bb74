import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatNumber, formatTable } from '@gripgen/runner';
import { formatMedian, formatSpread, roundsNote, roundsRecord } from '../rounds/format.js';
import { finishMachine, formatBenchMachine, startMachine } from '../rounds/machine.js';
import { roundPolicy } from '../rounds/options.js';
import { median, summarizeRates } from '../rounds/repeat.js';
import type { GripperCase, GripperSample, Workload } from './measure.js';
import { machineBusySeconds, SAMPLE_PREFIX } from './protocol.js';
import { runChild } from '../trees/run-child.js';
import { baselineTree, currentTree, ensurePackage, REPO_ROOT, SCALAR_PACKAGE, SCALAR_VERSION, scalarTree, type ChildFiles, type SourceTree } from '../trees/source-trees.js';

/** The bench files a child process runs (copied into the baseline and scalar trees). */
const CHILD: ChildFiles = {
  files: [
    'bench/src/step-loop.ts',
    'bench/src/rounds/repeat.ts',
    'bench/src/rapier-throughput/random-actions.ts',
    'bench/src/gripper-throughput/measure.ts',
    'bench/src/gripper-throughput/protocol.ts',
    'bench/src/gripper-throughput/child.ts',
  ],
  entry: 'bench/src/gripper-throughput/child.ts',
};

/** The variants, in the order of the table. */
export const VARIANTS = ['old', 'new', 'scalar', 'mujoco'] as const;
export type Variant = (typeof VARIANTS)[number];

/** What a variant runs: a tree and a backend. */
interface VariantPlan {
  variant: Variant;
  tree: SourceTree;
  backend: 'rapier' | 'mujoco';
  /** One-line description for the header. */
  label: string;
}

/** One child run: a sample, or why there is none. */
export interface Measurement {
  variant: Variant;
  workload: Workload;
  threads: number;
  round: number;
  /**
   * Earlier tries of this row, discarded because other processes used more than
   * `--max-others` cores during their measured steps (their `otherCpuPerWall`).
   */
  discarded?: number[];
  sample?: GripperSample & { sources?: { simCore: string; rapier: string } };
  error?: string;
}

const DEFAULT_BASELINE = 'ea36650';
/** Episode lengths: random actions as in bench:rapier; the expert gets time to finish (median success at ~70 steps). */
const EPISODE_STEPS: Record<Workload, number> = { random: 50, expert: 100 };
const QUICK_EPISODE_STEPS: Record<Workload, number> = { random: 10, expert: 20 };
const WARMUP = { minWarmupSteps: 3, minWarmupSeconds: 1, warmupWindowSeconds: 1, maxWarmupSeconds: 10 };
const QUICK_WARMUP = { minWarmupSteps: 2, minWarmupSeconds: 0.2, warmupWindowSeconds: 0.2, maxWarmupSeconds: 1 };
/** The issue's bar: the new gripper keeps at least this share of the old one's throughput. */
const MIN_NEW_OVER_OLD = 0.8;

const USAGE = `Usage: npm run bench:gripper [-- options]

Rapier throughput of the current gripper model ("new", this checkout) against a baseline
commit's ("old", a git worktree), side by side in one run: child processes per variant and
row, alternating old/new; random actions and the scripted expert; 1024 wide worlds on 1 and 2
threads. MuJoCo's figure (backend 'mujoco' of this checkout) joins when createSim accepts it.

  --baseline <ref>     baseline commit (default ${DEFAULT_BASELINE})
  --worlds <n>         worlds per Sim (default 1024)
  --threads <list>     worker threads, comma-separated (default 1,2)
  --seconds <s>        measured wall seconds per row and process after the warm-up (default 4; at least 3 for figures)
  --min-rounds <n>     … in at least n rounds of steps (default 3)
  --rounds <n>         run every row in n processes (alternating order; default 1); the table gives the
                       median and min–max of the rounds of all of them
  --scalar             add the current sources on Rapier's scalar build (${SCALAR_PACKAGE}@${SCALAR_VERSION},
                       installed into the work directory; sim-core runs on the SIMD build) as variant "scalar"
  --skip-mujoco        leave MuJoCo out
  --mujoco-timestep <s>  MuJoCo's timestep (default: the backend's, 0.01 s = 100 Hz; 0.025 = Rapier's 40 Hz)
  --max-load <x>       first wait (up to --wait-load seconds) until the 1-minute load average is below x
  --max-others <c>     before each row wait (up to --wait-load seconds) until other processes use less
                       than c cores (2 s sample of /proc/stat), and measure a row again (up to --retries
                       times) when they used more during its measured steps
  --wait-load <s>      (default 600)
  --retries <n>        (default 3)
  --work-dir <dir>     where the worktree and scratch copies live (default scratch/gripper-bench)
  --quick              smoke run: 64 worlds, short episodes, 1 s rows`;

/**
 * The order of the variants for the row with index `row` of round `round`: old and new
 * alternate first (old first on even rows, new first on odd ones, swapped every round), then
 * the others, so that drifting machine load affects old and new alike.
 */
export function variantOrder(variants: readonly Variant[], row: number, round: number): Variant[] {
  const pair = variants.filter((v) => v === 'old' || v === 'new');
  const rest = variants.filter((v) => v !== 'old' && v !== 'new');
  if ((row + round) % 2 === 1) pair.reverse();
  return [...pair, ...rest];
}

/** Runs one child process and returns its sample (or throws with the end of its stderr). */
function runGripperChild(plan: VariantPlan, c: GripperCase): Promise<Measurement['sample']> {
  return runChild<Measurement['sample']>(plan.tree, { ...c, backend: plan.backend }, SAMPLE_PREFIX);
}

/** Waits until the 1-minute load average is below `max` or `waitSeconds` passed; returns the last reading. */
async function waitForLoad(max: number, waitSeconds: number): Promise<number> {
  const start = performance.now();
  let load = loadavg()[0]!;
  while (load >= max && performance.now() - start < waitSeconds * 1000) {
    console.error(`  1-minute load average ${load.toFixed(2)} ≥ ${max}: waiting…`);
    await new Promise((r) => setTimeout(r, 15_000));
    load = loadavg()[0]!;
  }
  return load;
}

/** CPU cores that all processes used over the next `seconds` (this one idles meanwhile). */
async function machineCores(seconds: number): Promise<number> {
  const start = machineBusySeconds();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  return (machineBusySeconds() - start) / ((performance.now() - t0) / 1000);
}

/** Waits until other processes use less than `max` cores or `waitSeconds` passed; returns the last reading. */
async function waitForQuiet(max: number, waitSeconds: number): Promise<number> {
  const start = performance.now();
  let cores = await machineCores(2);
  while (cores >= max && performance.now() - start < waitSeconds * 1000) {
    console.error(`  other processes use ${cores.toFixed(2)} cores ≥ ${max}: waiting…`);
    await new Promise((r) => setTimeout(r, 10_000));
    cores = await machineCores(2);
  }
  return cores;
}

/**
 * Table rows from the measurements: one per (workload, threads, variant), its rate the median and
 * min–max of the rounds of all its processes, the other figures medians over the processes.
 */
export function summarize(measurements: readonly Measurement[]) {
  const keys: { workload: Workload; threads: number; variant: Variant }[] = [];
  for (const m of measurements) {
    if (!keys.some((k) => k.workload === m.workload && k.threads === m.threads && k.variant === m.variant)) {
      keys.push({ workload: m.workload, threads: m.threads, variant: m.variant });
    }
  }
  keys.sort(
    (a, b) =>
      (a.workload === b.workload ? 0 : a.workload === 'random' ? -1 : 1) || a.threads - b.threads || VARIANTS.indexOf(a.variant) - VARIANTS.indexOf(b.variant),
  );
  const rows = keys.map((k) => {
    const ms = measurements.filter((m) => m.workload === k.workload && m.threads === k.threads && m.variant === k.variant);
    const samples = ms.flatMap((m) => (m.sample ? [m.sample] : []));
    const rate = summarizeRates(samples.flatMap((s) => s.rounds.rounds.map((r) => r.rate)));
    const med = (f: (s: GripperSample) => number) => median(samples.map(f));
    return {
      ...k,
      samples: samples.length,
      errors: ms.flatMap((m) => (m.error ? [m.error] : [])),
      rounds: samples.reduce((a, s) => a + s.rounds.rounds.length, 0),
      rate,
      worldStepsPerSecond: rate.median,
      simSecondsPerSecond: samples[0] ? rate.median / samples[0].physics.controlHz : NaN,
      msPerStep: samples[0] ? (samples[0].numWorlds * 1000) / rate.median : NaN,
      cpuPerWall: med((s) => s.cpuPerWall),
      otherCpuPerWall: samples.length ? Math.max(...samples.map((s) => s.otherCpuPerWall)) : NaN,
      graspedFraction: med((s) => s.graspedFraction),
      episodesEnded: samples.reduce((a, s) => a + s.episodesEnded, 0),
      episodesSucceeded: samples.reduce((a, s) => a + s.episodesSucceeded, 0),
      faults: samples.reduce((a, s) => a + s.faults, 0),
      threadsUsed: samples[0]?.threadsUsed ?? NaN,
      physicsHz: samples[0] ? physicsHz(samples[0]) : NaN,
      vsOld: NaN,
    };
  });
  for (const r of rows) {
    const old = rows.find((o) => o.variant === 'old' && o.workload === r.workload && o.threads === r.threads);
    r.vsOld = old ? r.worldStepsPerSecond / old.worldStepsPerSecond : NaN;
  }
  return rows;
}

/** Physics steps per simulated second of a sample (MuJoCo: its own substeps). */
function physicsHz(s: GripperSample): number {
  const mj = s.mujoco as { substeps?: number } | null;
  return s.physics.controlHz * (mj?.substeps ?? s.physics.substeps);
}

/** Runs the benchmark, prints the table and writes bench/results/gripper-throughput[-quick].json. */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      baseline: { type: 'string', default: DEFAULT_BASELINE },
      worlds: { type: 'string' },
      threads: { type: 'string', default: '1,2' },
      seconds: { type: 'string' },
      'min-rounds': { type: 'string' },
      rounds: { type: 'string', default: '1' },
      scalar: { type: 'boolean', default: false },
      'skip-mujoco': { type: 'boolean', default: false },
      'mujoco-timestep': { type: 'string' },
      'max-load': { type: 'string' },
      'wait-load': { type: 'string', default: '600' },
      'max-others': { type: 'string' },
      retries: { type: 'string', default: '3' },
      'work-dir': { type: 'string', default: join(REPO_ROOT, 'scratch', 'gripper-bench') },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const quick = values.quick;
  const numWorlds = Number(values.worlds ?? (quick ? 64 : 1024));
  const threadList = values.threads.split(',').map(Number);
  const policy = roundPolicy(values.seconds, values['min-rounds'], { minSeconds: quick ? 1 : 4, minRounds: 3 }, ['--seconds', '--min-rounds']);
  const seconds = policy.minSeconds;
  const rounds = Number(values.rounds);
  const workDir = values['work-dir'];
  const maxOthers = values['max-others'] === undefined ? Infinity : Number(values['max-others']);
  const waitSeconds = Number(values['wait-load']);
  const retries = Number(values.retries);
  const episodeSteps = quick ? QUICK_EPISODE_STEPS : EPISODE_STEPS;
  const mujocoTimestep = values['mujoco-timestep'] === undefined ? undefined : Number(values['mujoco-timestep']);
  if (mujocoTimestep !== undefined && !(mujocoTimestep > 0 && mujocoTimestep <= 0.1)) throw new Error(`--mujoco-timestep: ${values['mujoco-timestep']}: a timestep in (0, 0.1] s`);
  for (const [name, v] of [['worlds', numWorlds], ['seconds', seconds], ['rounds', rounds], ...threadList.map((t) => ['threads', t] as const)] as const) {
    if (!Number.isFinite(v) || v < (name === 'threads' ? 0 : name === 'seconds' ? 0.01 : 1)) throw new Error(`--${name}: bad value`);
  }

  const machine = startMachine();
  console.error(`gripper throughput${quick ? ' (quick)' : ''} on ${formatBenchMachine(machine)}`);
  const maxLoad = values['max-load'] === undefined ? null : Number(values['max-load']);
  if (maxLoad !== null) machine.loadAverage1m.start = await waitForLoad(maxLoad, waitSeconds);

  // The trees.
  const current = currentTree(CHILD);
  const baseline = baselineTree(values.baseline, workDir, CHILD);
  console.error(`  old: ${baseline.commit.slice(0, 12)} ${baseline.subject}\n       worktree ${baseline.root}`);
  console.error(`  new: this checkout, HEAD ${current.head.slice(0, 12)}${current.dirty.length ? `, uncommitted: ${current.dirty.join(' ')}` : ''}`);
  const plans: VariantPlan[] = [
    { variant: 'old', tree: baseline, backend: 'rapier', label: `baseline ${baseline.commit.slice(0, 12)} (${baseline.subject})` },
    { variant: 'new', tree: current, backend: 'rapier', label: `this checkout (HEAD ${current.head.slice(0, 12)}${current.dirty.length ? ' + uncommitted edits' : ''})` },
  ];
  const skipped: Record<string, string> = {};
  if (values.scalar) {
    try {
      const tree = scalarTree(workDir, ensurePackage(workDir, SCALAR_PACKAGE, SCALAR_VERSION), CHILD);
      plans.push({ variant: 'scalar', tree, backend: 'rapier', label: "scratch copy of this checkout's sources, Rapier aliased to the scalar build" });
      console.error(`  scalar: ${tree.root}`);
    } catch (e) {
      skipped.scalar = (e as Error).message;
    }
  }
  const tiny = { numWorlds: 2, threads: 1, episodeSteps: 3, measureSeconds: 0.01, minRounds: 1, seed: 0, workload: 'random' as const, ...QUICK_WARMUP };
  if (values['skip-mujoco']) skipped.mujoco = '--skip-mujoco';
  else {
    const plan: VariantPlan = {
      variant: 'mujoco',
      tree: current,
      backend: 'mujoco',
      label: `this checkout, backend 'mujoco'${mujocoTimestep === undefined ? '' : `, timestep ${mujocoTimestep} s`}`,
    };
    try {
      await runGripperChild(plan, { ...tiny, backend: 'mujoco', ...(mujocoTimestep === undefined ? {} : { mujocoTimestep }) });
      plans.push(plan);
    } catch (e) {
      skipped.mujoco = `createSim({ backend: 'mujoco' }) failed: ${(e as Error).message}`;
      console.error(`  mujoco left out: ${skipped.mujoco}`);
    }
  }

  const measurements: Measurement[] = [];
  const benchStart = performance.now();
  const workloads: Workload[] = ['random', 'expert'];
  const variants = plans.map((p) => p.variant);
  for (let round = 0; round < rounds; round++) {
    let row = 0;
    for (const workload of workloads) {
      for (const threads of threadList) {
        for (const variant of variantOrder(variants, row, round)) {
          const plan = plans.find((p) => p.variant === variant)!;
          const c: GripperCase = {
            backend: plan.backend,
            workload,
            numWorlds,
            threads,
            episodeSteps: episodeSteps[workload],
            measureSeconds: seconds,
            minRounds: policy.minRounds,
            seed: 0,
            ...(mujocoTimestep === undefined ? {} : { mujocoTimestep }),
            ...(quick ? QUICK_WARMUP : WARMUP),
          };
          const m: Measurement = { variant, workload, threads, round };
          for (let attempt = 0; attempt <= retries; attempt++) {
            if (Number.isFinite(maxOthers)) await waitForQuiet(maxOthers, waitSeconds);
            try {
              const s = (await runGripperChild(plan, c))!;
              console.error(
                `  ${variant.padEnd(6)} ${workload.padEnd(6)} ${threads} thread(s): ${formatNumber(s.worldStepsPerSecond)} world-steps/s ` +
                  `(${formatSpread(s.rounds)}; ${s.steps} steps in ${s.rounds.rounds.length} rounds, ${s.wallSeconds.toFixed(1)} s after ${s.staggerSteps} staggering + ${s.warmupSteps} warm-up steps; ` +
                  `cpu/wall ${s.cpuPerWall.toFixed(2)}, others ${s.otherCpuPerWall.toFixed(2)}, load ${s.loadAverage1m.start.toFixed(2)})`,
              );
              if (m.sample) (m.discarded ??= []).push(m.sample.otherCpuPerWall);
              m.sample = s;
              if (!(s.otherCpuPerWall >= maxOthers)) break;
              if (attempt < retries) console.error(`    other processes used ${s.otherCpuPerWall.toFixed(2)} cores: measuring again`);
            } catch (e) {
              m.error = (e as Error).message;
              console.error(`  ${variant.padEnd(6)} ${workload.padEnd(6)} ${threads} thread(s): FAILED ${m.error}`);
              break;
            }
          }
          measurements.push(m);
        }
        row++;
      }
    }
  }
  const totalSeconds = (performance.now() - benchStart) / 1000;
  finishMachine(machine);

  const rows = summarize(measurements);
  const first = measurements.find((m) => m.sample)?.sample;
  const physics = first?.physics;
  console.log(
    `\nGripper throughput, old vs new: pick-place, ${numWorlds} worlds, wide randomization; episodes of ` +
      `${episodeSteps.random} (random) / ${episodeSteps.expert} (expert) steps, staggered; ≥ ${seconds} s measured per row` +
      `${rounds > 1 ? ` in each of ${rounds} processes` : ''}\n` +
      (physics
        ? `Rapier: ${physics.controlHz} Hz control × ${physics.substeps} substeps = ${physics.controlHz * physics.substeps} Hz, solver ${physics.solverIterations}, pgs ${physics.pgsIterations}\n`
        : '') +
      plans.map((p) => `${p.variant.padEnd(6)}: ${p.label}; ${p.backend === 'rapier' ? `${p.tree.rapier.name}@${p.tree.rapier.version}` : 'MuJoCo (@mujoco/mujoco)'}`).join('\n') +
      `\n${formatBenchMachine(machine)}\n`,
  );
  const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(0)} %` : '-');
  console.log(
    formatTable(
      rows.map((r) => [
        r.variant,
        r.workload,
        r.threadsUsed === r.threads || !Number.isFinite(r.threadsUsed) ? r.threads : `${r.threads} (${r.threadsUsed})`,
        r.samples ? formatMedian(r.rate) : 'FAILED',
        formatSpread(r.rate),
        r.rounds,
        r.samples ? formatNumber(r.simSecondsPerSecond, 1) : '-',
        r.variant === 'old' || !Number.isFinite(r.vsOld) ? '' : `${r.vsOld.toFixed(2)}x`,
        Number.isFinite(r.physicsHz) ? r.physicsHz : '-',
        r.samples ? r.msPerStep.toFixed(1) : '-',
        r.samples ? r.cpuPerWall.toFixed(2) : '-',
        r.samples ? r.otherCpuPerWall.toFixed(2) : '-',
        pct(r.graspedFraction),
        r.workload === 'expert' && r.episodesEnded ? `${pct(r.episodesSucceeded / r.episodesEnded)} of ${r.episodesEnded}` : '',
        r.samples ? r.faults : '-',
      ]),
      {
        header: [
          'variant', 'workload', 'threads', 'world-steps/s', 'min–max', 'rounds', 'sim s/s', 'vs old',
          'physics Hz', 'ms/step', 'cpu/wall', 'others', 'grasped', 'expert success', 'faults',
        ],
        align: ['left', 'left'],
      },
    ),
  );
  console.log(
    `${roundsNote(policy)} (per process)\n` +
      'vs old: world-steps/s ÷ old, same workload and threads. cpu/wall: CPU of the row\'s process per wall second; others: CPU of every\n' +
      'other process (cores, from /proc/stat) during the row — well above 0 means the row shared the machine. grasped: world-steps\n' +
      'with the cube grasped. expert success: episodes that ended during the measured steps and succeeded.',
  );
  const verdicts = rows
    .filter((r) => r.variant === 'new' && Number.isFinite(r.vsOld))
    .map((r) => `${r.workload} ${r.threads}t ${r.vsOld.toFixed(2)}x${r.vsOld >= MIN_NEW_OVER_OLD ? '' : ' BELOW'}`);
  if (verdicts.length) console.log(`new/old (bar ≥ ${MIN_NEW_OVER_OLD}x): ${verdicts.join(', ')}`);
  for (const [variant, why] of Object.entries(skipped)) console.log(`${variant}: not measured — ${why}`);
  for (const r of rows) for (const e of r.errors) console.log(`${r.variant} ${r.workload} ${r.threads}t FAILED: ${e}`);
  console.log(`\ntotal ${totalSeconds.toFixed(0)} s`);

  const dir = new URL('../../results/', import.meta.url);
  const file = new URL(quick ? 'gripper-throughput-quick.json' : 'gripper-throughput.json', dir);
  await mkdir(dir, { recursive: true });
  const report = {
    benchmark: 'gripper-throughput',
    date: new Date().toISOString(),
    quick,
    machine,
    task: 'pick-place',
    randomization: 'wide',
    numWorlds,
    threads: threadList,
    processRounds: rounds,
    rounds: roundsRecord(policy),
    episodeSteps,
    workloads: {
      random: 'uniform random: position and rotation deltas in ±actionLimits, gripper in [-1, 1] (mulberry32, seed 0)',
      expert: 'PickPlaceExpert (seed 0)',
    },
    variants: plans.map((p) => ({
      variant: p.variant,
      label: p.label,
      backend: p.backend,
      root: p.tree.root,
      rapier: p.backend === 'rapier' ? p.tree.rapier : null,
      physics: measurements.find((m) => m.variant === p.variant && m.sample)?.sample?.physics ?? null,
      mujoco: measurements.find((m) => m.variant === p.variant && m.sample)?.sample?.mujoco ?? null,
    })),
    baseline: { ref: values.baseline, commit: baseline.commit, subject: baseline.subject },
    current: { head: current.head, uncommitted: current.dirty },
    skipped,
    totalSeconds,
    maxLoad,
    maxOthers: Number.isFinite(maxOthers) ? maxOthers : null,
    rows,
    measurements,
  };
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${file.pathname}`);
}
