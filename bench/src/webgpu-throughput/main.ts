import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatNumber, formatTable } from '@gripgen/runner';
import { formatAdapter, type GpuAdapterDescription, type PhysicsSettings } from '@gripgen/sim-core';
import { ChromeBench } from './chrome-bench.js';
import { formatSpread, roundsNote, roundsRecord } from '../rounds/format.js';
import { finishMachine, formatBenchMachine, startMachine } from '../rounds/machine.js';
import { ROUND_OPTIONS, roundPolicy, roundUsage } from '../rounds/options.js';
import { measureCase, type CaseResult, type ModeResult, type ReadbackMode, type RowTiming, type SimCase } from './measure-case.js';

/** World counts of the WebGPU rows (Node and Chrome) and of the Rapier rows. */
const FULL_WORLDS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536];
const FULL_RAPIER_WORLDS = [1, 4, 16, 64, 256, 1024, 4096];
const QUICK_WORLDS = [1, 64, 1024];
/** Rapier worker threads (the machine this was written on has 2 cores). */
const RAPIER_THREADS = 2;
/** The workgroup-size sweep (full run, Node): sizes at SWEEP_WORLDS worlds. */
const SWEEP_SIZES = [1, 32, 64, 128, 256];
const SWEEP_WORLDS = 4096;
const MODES: ReadbackMode[] = ['readback', 'no-readback'];
/** Episode length: every row whose steps cross a multiple of it includes masked resets. */
const EPISODE_STEPS = 50;
const QUICK_EPISODE_STEPS = 10;

/**
 * Per-row time bounds: every mode of a row measures at least 3 s in 3 rounds of at least one step
 * (SwiftShader steps 65,536 worlds in seconds, so those rows measure 3 steps).
 */
const FULL_TIMING: RowTiming = {
  minWarmupSteps: 1,
  minWarmupSeconds: 1,
  warmupWindowSeconds: 1,
  maxWarmupSeconds: 5,
  minSteps: 1,
  minSeconds: 3,
  minRounds: 3,
};
/** Rapier's fresh workers tier up for seconds (see the Rapier bench): a longer warm-up. */
const FULL_RAPIER_TIMING: RowTiming = { ...FULL_TIMING, minWarmupSteps: 3, maxWarmupSeconds: 10 };
const QUICK_TIMING: RowTiming = {
  minWarmupSteps: 1,
  minWarmupSeconds: 0.3,
  warmupWindowSeconds: 0.3,
  maxWarmupSeconds: 1,
  minSteps: 1,
  minSeconds: 1,
  minRounds: 3,
};
const QUICK_RAPIER_TIMING: RowTiming = { ...QUICK_TIMING, minWarmupSteps: 3, warmupWindowSeconds: 0.5, maxWarmupSeconds: 3 };

const USAGE = `Usage: npm run bench:webgpu [-- --quick] [--workgroup-size N] [--min-seconds S] [--min-rounds N]

Steps pick-place worlds with random actions on the WebGPU backend in Node (Dawn) and in
headless Chrome (Puppeteer, system Chromium), with and without per-step readback, and on
the Rapier backend (Node, ${RAPIER_THREADS} threads); prints world-steps/s and ratios.
  --quick               1, 64 and 1024 worlds, short rows, no workgroup sweep (~2-3 min)
  --workgroup-size N    worlds per workgroup of the WebGPU rows (1-256; default 64)
${roundUsage(FULL_TIMING)}; --quick: ${QUICK_TIMING.minSeconds} s
See bench/README.md.`;

/** Where a row ran. */
type Platform = 'node' | 'chrome';

/** One measured (or failed) row of the report. */
interface BenchRow {
  /** `main`: the comparison; `sweep`: the workgroup-size sweep. */
  section: 'main' | 'sweep';
  platform: Platform;
  backend: 'webgpu' | 'rapier';
  numWorlds: number;
  threads: number | null;
  workgroupSize: number | null;
  episodeSteps: number;
  timing: RowTiming;
  /** Present when the row ran. */
  result?: CaseResult;
  /** Present when the row failed (e.g. out of GPU memory): the error message. */
  error?: string;
}

function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300);
}

function progressLine(row: BenchRow, seconds: number): string {
  const what = `${row.backend} ${row.platform}${row.backend === 'rapier' ? ` x${row.threads}` : ''}${row.workgroupSize !== null ? ` wg ${row.workgroupSize}` : ''}`;
  const head = `  ${what.padEnd(22)} ${String(row.numWorlds).padStart(5)} worlds:`;
  if (!row.result) return `${head} FAILED: ${row.error} (${seconds.toFixed(0)} s)`;
  const r = row.result;
  const modes = r.modes.map((m) => `${m.mode} ${formatNumber(m.worldStepsPerSecond)} world-steps/s (${formatSpread(m.rounds)}; ${m.steps} steps)`).join(', ');
  return `${head} ${modes}; setup ${r.setupSeconds.toFixed(1)} s, warm-up ${r.warmupSteps} steps in ${r.warmupSeconds.toFixed(1)} s; row ${seconds.toFixed(0)} s`;
}

function modeOf(row: BenchRow | undefined, mode: ReadbackMode): ModeResult | undefined {
  return row?.result?.modes.find((m) => m.mode === mode);
}

/** Runs the benchmark, prints the tables and writes bench/results/webgpu-throughput[-quick].json. */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      'workgroup-size': { type: 'string' },
      ...ROUND_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const quick = values.quick;
  let workgroupSize: number | undefined;
  if (values['workgroup-size'] !== undefined) {
    workgroupSize = Number(values['workgroup-size']);
    if (!Number.isInteger(workgroupSize) || workgroupSize < 1 || workgroupSize > 256) {
      throw new Error(`--workgroup-size must be an integer in [1, 256], got "${values['workgroup-size']}"`);
    }
  }
  const worlds = quick ? QUICK_WORLDS : FULL_WORLDS;
  const rapierWorlds = quick ? QUICK_WORLDS : FULL_RAPIER_WORLDS;
  const policy = roundPolicy(values['min-seconds'], values['min-rounds'], quick ? QUICK_TIMING : FULL_TIMING);
  const timing = { ...(quick ? QUICK_TIMING : FULL_TIMING), ...policy };
  const rapierTiming = { ...(quick ? QUICK_RAPIER_TIMING : FULL_RAPIER_TIMING), ...policy };
  const episodeSteps = quick ? QUICK_EPISODE_STEPS : EPISODE_STEPS;
  const machine = startMachine();
  console.error(`webgpu throughput${quick ? ' (quick)' : ''} on ${formatBenchMachine(machine)}`);

  const benchStart = performance.now();
  const rows: BenchRow[] = [];
  const run = async (row: BenchRow, measure: (c: SimCase) => Promise<CaseResult>, modes: ReadbackMode[]) => {
    const c: SimCase = {
      backend: row.backend,
      numWorlds: row.numWorlds,
      ...(row.threads !== null && { threads: row.threads }),
      ...(row.workgroupSize !== null && { workgroupSize: row.workgroupSize }),
      seed: 0,
      episodeSteps: row.episodeSteps,
      modes,
      timing: row.timing,
    };
    const t0 = performance.now();
    try {
      row.result = await measure(c);
    } catch (e) {
      row.error = errorText(e);
    }
    rows.push(row);
    console.error(progressLine(row, (performance.now() - t0) / 1000));
  };
  const webgpuRow = (platform: Platform, numWorlds: number, section: BenchRow['section'] = 'main', size = workgroupSize): BenchRow => ({
    section,
    platform,
    backend: 'webgpu',
    numWorlds,
    threads: null,
    workgroupSize: size ?? null,
    episodeSteps,
    timing,
  });

  for (const n of worlds) await run(webgpuRow('node', n), measureCase, MODES);

  let chrome: { version: string; executablePath: string } | { error: string };
  try {
    const session = await ChromeBench.start();
    chrome = { version: session.version, executablePath: session.executablePath };
    try {
      for (const n of worlds) await run(webgpuRow('chrome', n), (c) => session.measure(c), MODES);
    } finally {
      await session.close();
    }
  } catch (e) {
    chrome = { error: errorText(e) };
    console.error(`  chrome: FAILED to start: ${chrome.error}`);
  }

  for (const n of rapierWorlds) {
    const row: BenchRow = {
      section: 'main',
      platform: 'node',
      backend: 'rapier',
      numWorlds: n,
      threads: RAPIER_THREADS,
      workgroupSize: null,
      episodeSteps,
      timing: rapierTiming,
    };
    await run(row, measureCase, ['readback']);
  }

  if (!quick) {
    for (const size of SWEEP_SIZES) await run(webgpuRow('node', SWEEP_WORLDS, 'sweep', size), measureCase, MODES);
  }
  const totalSeconds = (performance.now() - benchStart) / 1000;
  finishMachine(machine);

  const physics: PhysicsSettings | undefined = rows.find((r) => r.result)?.result?.physics;
  const adapterOf = (platform: Platform): GpuAdapterDescription | null =>
    rows.find((r) => r.platform === platform && r.backend === 'webgpu' && r.result?.adapter)?.result?.adapter ?? null;
  const adapters = { node: adapterOf('node'), chrome: adapterOf('chrome') };

  console.log(
    `\nWebGPU vs Rapier throughput, pick-place (wide), random actions, episodes of ${episodeSteps} steps; ` +
      (physics ? `physics ${physics.controlHz} Hz x ${physics.substeps} substeps, solver ${physics.solverIterations}` : 'no row ran'),
  );
  console.log(`webgpu node:   ${adapters.node ? formatAdapter(adapters.node) : 'no adapter'} (Dawn)`);
  console.log(`webgpu chrome: ${adapters.chrome ? formatAdapter(adapters.chrome) : 'no adapter'} (${'version' in chrome ? chrome.version : chrome.error})`);
  console.log(`rapier:        ${RAPIER_THREADS} worker threads; workgroup size ${workgroupSize ?? 64}`);
  console.log(formatBenchMachine(machine));
  console.log('');

  const find = (platform: Platform, backend: 'webgpu' | 'rapier', n: number) =>
    rows.find((r) => r.section === 'main' && r.platform === platform && r.backend === backend && r.numWorlds === n);
  const rate = (m: ModeResult | undefined) => (m ? formatNumber(m.worldStepsPerSecond) : '-');
  const simRate = (m: ModeResult | undefined) => (m ? formatNumber(m.simSecondsPerSecond, 1) : '-');
  const ratio = (a: ModeResult | undefined, b: ModeResult | undefined) =>
    a && b ? `${(a.worldStepsPerSecond / b.worldStepsPerSecond).toFixed(2)}x` : '-';
  const summary: (string | number)[][] = [];
  const ratios: Record<string, unknown>[] = [];
  for (const n of worlds) {
    for (const mode of MODES) {
      const rapier = modeOf(find('node', 'rapier', n), 'readback');
      const node = modeOf(find('node', 'webgpu', n), mode);
      const browser = modeOf(find('chrome', 'webgpu', n), mode);
      summary.push([
        n,
        mode,
        rate(rapier),
        rate(node),
        rate(browser),
        simRate(rapier),
        simRate(node),
        simRate(browser),
        ratio(node, rapier),
        ratio(browser, rapier),
        ratio(browser, node),
        `${node?.steps ?? '-'}/${browser?.steps ?? '-'}`,
      ]);
      const r = (a: ModeResult | undefined, b: ModeResult | undefined) => (a && b ? a.worldStepsPerSecond / b.worldStepsPerSecond : null);
      ratios.push({ numWorlds: n, mode, nodeVsRapier: r(node, rapier), chromeVsRapier: r(browser, rapier), chromeVsNode: r(browser, node) });
    }
  }
  console.log('world-steps/s, medians of the rounds (min–max: every row below); sim s/s = world-steps/s / 20; rapier always reads back');
  console.log(
    formatTable(summary, {
      header: ['worlds', 'readback', 'rapier', 'node', 'chrome', 'rapier sim s/s', 'node sim s/s', 'chrome sim s/s', 'node/rapier', 'chrome/rapier', 'chrome/node', 'steps n/c'],
      align: ['right', 'left'],
    }),
  );

  console.log('\nEvery row (ms/step: one step of the whole batch; setup: create + first reset, not in the rates)');
  const detail: (string | number)[][] = [];
  for (const row of rows) {
    const label = [row.backend, row.platform, row.section === 'sweep' ? `wg ${row.workgroupSize}` : ''].filter(Boolean).join(' ');
    if (!row.result) {
      detail.push([label, row.numWorlds, '', `FAILED: ${row.error}`]);
      continue;
    }
    for (const m of row.result.modes) {
      detail.push([
        label,
        row.numWorlds,
        m.mode,
        m.steps,
        m.wallSeconds.toFixed(1),
        m.msPerStep.toFixed(2),
        formatNumber(m.worldStepsPerSecond),
        formatSpread(m.rounds),
        m.rounds.rounds.length,
        m.readbacks,
        m.resets,
        row.result.setupSeconds.toFixed(1),
        `${row.result.warmupSteps}/${row.result.warmupSeconds.toFixed(1)}`,
      ]);
    }
  }
  console.log(
    formatTable(detail, {
      header: ['row', 'worlds', 'mode', 'steps', 'wall s', 'ms/step', 'world-steps/s', 'min–max', 'rounds', 'readbacks', 'resets', 'setup s', 'warm-up steps/s'],
      align: ['left', 'right', 'left'],
    }),
  );

  const sweepRows = rows.filter((r) => r.section === 'sweep');
  if (sweepRows.length > 0) {
    const base = sweepRows.find((r) => r.workgroupSize === 64);
    console.log(`\nWorkgroup size, webgpu node, ${SWEEP_WORLDS} worlds (1 = one world per workgroup)`);
    console.log(
      formatTable(
        sweepRows.map((r) => [
          r.workgroupSize ?? '-',
          Math.ceil(SWEEP_WORLDS / (r.workgroupSize ?? 64)),
          rate(modeOf(r, 'readback')),
          rate(modeOf(r, 'no-readback')),
          modeOf(r, 'readback')?.msPerStep.toFixed(1) ?? (r.error ? `FAILED: ${r.error}` : '-'),
          ratio(modeOf(r, 'readback'), modeOf(base, 'readback')),
        ]),
        { header: ['workgroup size', 'workgroups', 'readback', 'no-readback', 'ms/step', 'vs 64'], align: ['right'] },
      ),
    );
  }
  console.log(`\n${roundsNote(policy)} (every readback mode of a row)\ntotal ${totalSeconds.toFixed(0)} s`);

  const dir = new URL('../../results/', import.meta.url);
  const file = new URL(quick ? 'webgpu-throughput-quick.json' : 'webgpu-throughput.json', dir);
  await mkdir(dir, { recursive: true });
  const report = {
    benchmark: 'webgpu-throughput',
    date: new Date().toISOString(),
    quick,
    machine,
    rounds: roundsRecord(policy),
    adapters,
    chrome,
    physics: physics ? { ...physics, rateHz: physics.controlHz * physics.substeps } : null,
    task: 'pick-place',
    randomization: 'wide',
    actions: 'uniform random: position and rotation deltas in ±actionLimits, gripper in [-1, 1] (mulberry32, seed 0)',
    workgroupSize: workgroupSize ?? 64,
    rapierThreads: RAPIER_THREADS,
    episodeSteps,
    totalSeconds,
    ratios,
    rows,
  };
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${file.pathname}`);
}
