/**
 * `npm run bench:generation-host`: host time per world-step of MimicGen generation on the webgpu
 * backend (the host's share of `generateDataset`, GPU waits excluded), this checkout against a
 * baseline commit, side by side. See bench/README.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatNumber, formatTable } from '@gripgen/runner';
import { finishMachine, formatBenchMachine, startMachine } from '../rounds/machine.js';
import { summarizeRates } from '../rounds/repeat.js';
import { runChild } from '../trees/run-child.js';
import { baselineTree, currentTree, REPO_ROOT, type ChildFiles, type SourceTree } from '../trees/source-trees.js';
import { SAMPLE_PREFIX, type HostCase, type HostSample } from './protocol.js';

const CHILD: ChildFiles = { files: ['bench/src/generation-host/protocol.ts', 'bench/src/generation-host/child.ts'], entry: 'bench/src/generation-host/child.ts' };

/**
 * Rows: one attempt per world. 1024 worlds run to the end (attempts finishing, trajectories
 * written); the larger sizes measure a window of steps that opens at the first progress report
 * after step 2 (SwiftShader needed 2–3 s per step at 8192 worlds and 7–12 s at 65,536 on a
 * 2-core machine). The GPU follower reports once per chunk (16 steps by default), so its window
 * opens at step 16 and spans whole chunks: 32 steps at 8192 worlds, 16 at 65,536.
 */
const FULL: readonly HostCase[] = [
  { worlds: 1024, attempts: 1024, warmSteps: 2, steps: null },
  { worlds: 8192, attempts: 8192, warmSteps: 2, steps: 32 },
  { worlds: 65536, attempts: 65536, warmSteps: 2, steps: 16 },
];
const QUICK: readonly HostCase[] = [{ worlds: 64, attempts: 64, warmSteps: 2, steps: null }];
/** A row runs more rounds (at most MAX_EXTRA_ROUNDS) until its windows add up to this many seconds. */
const MIN_SECONDS = 3;
const MAX_EXTRA_ROUNDS = 50;

const USAGE = `Usage: npm run bench:generation-host [-- options]

Host time per world-step of generateDataset on the webgpu backend (pick-place, wide worlds,
10 narrow expert source demos, one attempt per world): wall time of a window of batch steps
less the time spent waiting for the GPU (in GPUBuffer.mapAsync, and in GpuWait where the tree
has it). Rows: 1024 worlds to the end of the run;
8192 worlds, 32 steps; 65,536 worlds, 16 steps (both from the first progress report after
step 2: step 2 on the host follower, 16 on the GPU follower, which reports once per chunk).
Each row runs in its own child process per tree and round, old and new alternating.

  --baseline <ref>     also measure this commit (a git worktree under --work-dir)
  --rounds <n>         child processes per row and tree (default 2; more until a row's
                       windows add up to 3 s)
  --worlds <list>      only these rows, e.g. 1024,8192
  --work-dir <dir>     (default scratch/generation-host-bench)
  --quick              64 worlds to the end, one round`;

interface Row {
  variant: 'old' | 'new';
  case: HostCase;
  samples: HostSample[];
  error?: string;
}

/** The steps a row's windows spanned, e.g. "steps 16–48" (from its first sample; "–end": to the end of the run). */
function windowLabel(r: Row): string {
  const s = r.samples[0];
  if (!s) return r.case.steps === null ? 'to the end' : `${r.case.steps} steps`;
  return `steps ${s.fromStep}–${r.case.steps === null ? 'end' : s.fromStep + s.windowSteps}`;
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      baseline: { type: 'string' },
      rounds: { type: 'string', default: '2' },
      worlds: { type: 'string' },
      'work-dir': { type: 'string', default: join(REPO_ROOT, 'scratch', 'generation-host-bench') },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const rounds = values.quick ? 1 : Number(values.rounds);
  if (!(Number.isInteger(rounds) && rounds >= 1)) throw new Error(`--rounds must be a whole number ≥ 1, got ${values.rounds}`);
  let cases = values.quick ? QUICK : FULL;
  if (values.worlds !== undefined) {
    const wanted = values.worlds.split(',').map(Number);
    const unknown = wanted.filter((w) => !cases.some((c) => c.worlds === w));
    if (unknown.length) throw new Error(`--worlds: no row of ${unknown.join(', ')} worlds; the rows are ${cases.map((c) => c.worlds).join(', ')}`);
    cases = cases.filter((c) => wanted.includes(c.worlds));
  }
  const machine = startMachine();
  const current = currentTree(CHILD);
  const trees: { variant: Row['variant']; tree: SourceTree; label: string }[] = [{ variant: 'new', tree: current, label: `this checkout, HEAD ${current.head.slice(0, 12)}` }];
  if (values.baseline) {
    const base = baselineTree(values.baseline, values['work-dir'], CHILD);
    trees.unshift({ variant: 'old', tree: base, label: `${base.commit.slice(0, 12)} ${base.subject.slice(0, 60)}` });
  }
  console.error(`generation host time on ${formatBenchMachine(machine)}`);
  for (const t of trees) console.error(`  ${t.variant}: ${t.label}`);
  const rows: Row[] = cases.flatMap((c) => trees.map((t) => ({ variant: t.variant, case: c, samples: [] })));
  // At least `rounds` rounds, and more for a row whose windows add up to less than MIN_SECONDS
  // (on a fast GPU the 1024-world run may take about a second).
  const measured = (r: Row) => r.samples.reduce((a, x) => a + x.windowSeconds, 0);
  const wanted = (r: Row, round: number) => r.error === undefined && (round < rounds || (measured(r) < MIN_SECONDS && round < rounds + MAX_EXTRA_ROUNDS));
  for (let round = 0; rows.some((r) => wanted(r, round)); round++) {
    for (const [i, c] of cases.entries()) {
      const order = (i + round) % 2 === 0 ? trees : [...trees].reverse();
      for (const t of order) {
        const row = rows.find((r) => r.case === c && r.variant === t.variant)!;
        if (!wanted(row, round)) continue;
        try {
          const s = await runChild<HostSample>(t.tree, c, SAMPLE_PREFIX);
          if (s.windowSteps === 0) throw new Error(`the run ended within its first ${c.warmSteps} steps: no window to measure`);
          row.samples.push(s);
          console.error(`  round ${round + 1} ${t.variant} ${c.worlds} worlds: ${formatNumber(s.hostNsPerWorldStep)} ns/world-step (host ${s.hostSeconds.toFixed(2)} s, GPU wait ${s.gpuWaitSeconds.toFixed(1)} s, ${s.windowSteps} steps)`);
        } catch (e) {
          row.error = (e as Error).message;
          console.error(`  ${t.variant} ${c.worlds} worlds: ${row.error}`);
        }
      }
    }
  }
  finishMachine(machine);
  const summary = (r: Row) => summarizeRates(r.samples.map((s) => s.hostNsPerWorldStep));
  const table = rows.map((r) => {
    const s = summary(r);
    const old = rows.find((o) => o.case === r.case && o.variant === 'old');
    const ratio = old && r.variant === 'new' && old.samples.length && r.samples.length ? `${(summary(old).median / s.median).toFixed(2)}× less` : '';
    const mean = (f: (x: HostSample) => number) => (r.samples.length ? r.samples.reduce((a, x) => a + f(x), 0) / r.samples.length : NaN);
    return [
      r.case.worlds,
      windowLabel(r),
      r.variant,
      r.error !== undefined ? `error: ${r.error.slice(0, 60)}` : formatNumber(s.median),
      r.samples.length ? `${formatNumber(s.min)}–${formatNumber(s.max)}` : '-',
      r.samples.length,
      mean((x) => x.hostSeconds).toFixed(2),
      mean((x) => x.gpuWaitSeconds).toFixed(1),
      ratio,
    ];
  });
  console.log(formatTable([['worlds', 'window', 'tree', 'host ns / world-step', 'min–max', 'rounds', 'host s', 'GPU wait s', 'new vs old'], ...table]));
  console.log('host ns / world-step: (window wall time − time waiting for the GPU: in mapAsync, and in GpuWait where the tree has it) ÷ (steps × worlds); median and min–max over the rounds (one child process each)');
  const adapters = [...new Set(rows.flatMap((r) => r.samples.map((s) => s.adapter)).filter((a) => a !== null))];
  console.log(`webgpu adapter: ${adapters.join('; ') || 'none'}`);
  for (const t of trees) console.log(`${t.variant}: ${t.label}`);
  console.log(`machine: ${formatBenchMachine(machine)}`);
  await mkdir('bench/results', { recursive: true });
  const file = `bench/results/generation-host${values.quick ? '-quick' : ''}.json`;
  await writeFile(
    file,
    `${JSON.stringify({ benchmark: 'generation-host', date: new Date().toISOString(), machine, adapters, trees: trees.map((t) => ({ variant: t.variant, label: t.label, root: t.tree.root })), rows }, null, 2)}\n`,
  );
  console.error(`wrote ${file}`);
}
