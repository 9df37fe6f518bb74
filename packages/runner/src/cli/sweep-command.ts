/**
 * `gripgen curve` and `gripgen coverage`: scaling sweeps from the command line, with progress
 * bars, a summary table, and the chart / report files. `gripgen coverage --diversity` is the
 * coverage law: success against the number of distinct scenes at a fixed N.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEFAULT_TASK_ID, getTask, taskIds } from '@gripgen/sim-core';
import { writeCurveArtifacts, type CurveArtifacts } from '../curve/curve-artifacts.js';
import { seriesLegendText } from '../curve/chart-svg.js';
import type { CurveReport } from '../curve/curve-types.js';
import { variableSymbol } from '../curve/curve-variable.js';
import { describeExtrapolation } from '../curve/extrapolation.js';
import { describeComparison, describeDispersion } from '../curve/form-comparison.js';
import { reanalyzeCurveReport } from '../curve/reanalyze.js';
import { poolByN } from '../curve/stats.js';
import { runSweep, type SweepEvent } from '../sweep/run-sweep.js';
import { COVERAGE_PRESETS, CURVE_PRESETS, DIVERSITY_PRESETS, parseSweepConfig, type SweepConfig } from '../sweep/sweep-config.js';
import { checkSweepTask } from '../sweep/sweep-task.js';
import { MAX_HISTORY } from '../policy/mlp.js';
import { formatMachine } from './machine.js';
import { enqueueSweepCommand } from './enqueue-sweep-command.js';
import { BACKENDS, parseChoice, parseIntOption, readJsonOption, UsageError, parseCommandArgs, taskUsage } from './options.js';
import { generationEta } from './generation-eta.js';
import { createProgress, type Progress } from './progress.js';
import { formatKeyValue, formatTable } from './table.js';

const COMMON_OPTIONS = `  --out <dir>             output folder: data, cached runs, policies, curve.* and report.html (required)
${taskUsage(taskIds())}
  --quick                 the quick preset (above): one seed, a [64, 64] net, 500 eval worlds
                          (minutes on a 2-core CPU); without it the full preset
  --counts <list>         comma-separated training-set sizes N, increasing (nested prefixes of one dataset)
  --seeds <n>             training seeds per N (full preset 3)
  --history <n>           observation history of the policies: the current observation and its
                          n-1 latest changes (default 1; the stacking tasks need 2: see
                          packages/runner/README.md, "Observation history")
  --eval-worlds <n>       held-out evaluation worlds per policy (full preset 1000)
  --backend <name>        rapier, webgpu, mujoco or auto, for generation and evaluation (default rapier)
  --threads <n>           Rapier worker threads (default: one per core)
  --config <json|file>    any sweep setting, camelCase (task, evalRandomization, series,
                          policy.hidden, policy.history, policy.chunk, policy.execution,
                          training.{epochs,minSteps,maxSteps,lr,lrSchedule,batchSize}, trainer,
                          trainWorkers, evalSeed, evalSteps, generation.{seed,worlds,config},
                          sourceDemos.{count,randomization,seed}: default 10 demos in the task's
                          demo preset, seed 0); the options given override it
  --json                  print the report (curve.json) instead of tables
  --queue <url>           redis://host:port/db: make the data here, then hand the (N, seed)
                          train-and-evaluate runs to gripgen worker processes (any machines that
                          see --out at the same path); the last one writes the report
  --reanalyze             train nothing: recompute the statistics of <out>/curve.json from its
                          stored points with this version (fits, uncertainties, extrapolation;
                          a curve.json of an older version included) and rewrite the artifacts
  -h, --help              show this help`;

/** Usage of `gripgen curve`. */
export const CURVE_USAGE = `Usage: gripgen curve --out <dir> [options]

Policy success versus number of training trajectories, for any task (--task): records source
demos with the task's scripted expert in its demo preset's worlds, generates one dataset of max
N trajectories (MimicGen-style) in the --randomization worlds, trains a behaviour-cloning
policy on the first N for each N and seed, evaluates each on the same held-out worlds of that
preset, and fits success = a + b·log10(N) by least squares, then compares log-linear,
power-law (in the failure rate) and logistic fits by AICc and leave-one-N-out error, and tests
each on held-out scale (fit on N ≤ N_max/10, predict N_max). 95 % intervals need 5 or more
seeds (2-4 seeds: the range over seeds; 1 seed: none). Writes curve.json, curve.csv, curve.svg,
curve.png and report.html.
Every (N, seed) result is cached under <out>/runs: re-running resumes an interrupted sweep.

Presets: --quick N = 10, 100, 1000 with one seed (about 2 minutes on a 2-core CPU); otherwise
N = 10, 30, 100, 300, 1000, 3000, 10000 with three seeds and 1000 eval worlds (about 25 minutes).

Options:
  --randomization <name>  randomization preset of training and evaluation worlds (default: the
                          task's evaluation preset, wide for the built-in tasks; gripgen tasks
                          lists each task's presets). pick-place also has narrow, wider, widest,
                          tight, graded and mixed (30 % narrow, 70 % tight worlds: a named
                          option on which its curve is near log-linear, not the default)
${COMMON_OPTIONS}`;

/** Usage of `gripgen coverage`. */
export const COVERAGE_USAGE = `Usage: gripgen coverage --out <dir> [options]
       gripgen coverage --diversity <list> [--n <N>] --out <dir> [options]

Coverage versus volume: at equal N, trains on trajectories generated in narrow worlds and in
wide worlds and evaluates both on the same held-out wide worlds. Same artifacts as 'gripgen
curve', one series per training randomization.
Presets: --quick N = 100, 1000 with one seed; otherwise N = 100, 300, 1000, 3000 with three.

With --diversity, the coverage law: every policy trains on the same N trajectories (--n),
generated in only D distinct scenes for each D of the list (the randomized worlds of the first
D trajectories of the ordinary dataset, each reused for about N / D trajectories; a world's
randomization still depends only on its seed and episode), and is evaluated on the task's
held-out evaluation worlds. Success is fitted against log10 D with the same competing forms,
intervals and extrapolation test as 'gripgen curve' (fit on D <= D_max / 10).
Presets: --quick N = 100, D = 1, 4, 16, 64, one seed; otherwise N = 1000, D = 1, 4, 16, 64, 256,
three seeds.

Options:
  --diversity <list>      numbers of distinct scenes D, comma-separated, increasing, each at most N
  --n <N>                 training trajectories of every policy with --diversity
  --train <list>          training randomizations, comma-separated (default: the task's demo and
                          evaluation presets, narrow,wide for the built-in tasks; with
                          --diversity, the evaluation preset)
  --eval <name>           randomization of the evaluation worlds (default: the task's evaluation
                          preset, wide)
${COMMON_OPTIONS}`;

/** Which sweep a command runs. */
export type SweepKind = 'curve' | 'coverage';

/** Runs `gripgen curve`. */
export function curveCommand(argv: string[]): Promise<number> {
  return sweepCommand('curve', argv);
}

/** Runs `gripgen coverage`. */
export function coverageCommand(argv: string[]): Promise<number> {
  return sweepCommand('coverage', argv);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseCounts(value: string, name = 'counts'): number[] {
  const parts = value.split(',').map((s) => s.trim());
  return parts.map((part) => parseIntOption(name, part, 1, Number.MAX_SAFE_INTEGER));
}

/** `--diversity`: increasing positive integers, each at most `n` (the trajectories every policy trains on). */
function parseDiversity(value: string, n: number): number[] {
  const parts = value.split(',').map((s) => s.trim());
  const list = parts.map((part) => {
    const d = /^\d+$/.test(part) ? Number(part) : NaN;
    if (!Number.isSafeInteger(d) || d < 1) {
      throw new UsageError(`--diversity must be a comma-separated list of scene counts, integers >= 1 (e.g. 1,4,16,64); got "${part}" in "${value}"`);
    }
    return d;
  });
  if (list.some((d, i) => i > 0 && d <= list[i - 1])) throw new UsageError(`--diversity must be strictly increasing; got ${list.join(',')}`);
  const tooMany = list.filter((d) => d > n);
  if (tooMany.length > 0) {
    throw new UsageError(`--diversity: every D must be at most the ${n} trajectories each policy trains on (--n); got ${tooMany.join(', ')}`);
  }
  return list;
}

/** Options of `gripgen curve` / `gripgen coverage`. */
const SWEEP_OPTIONS = {
  out: { type: 'string' },
  task: { type: 'string' },
  quick: { type: 'boolean', default: false },
  counts: { type: 'string' },
  seeds: { type: 'string' },
  'eval-worlds': { type: 'string' },
  history: { type: 'string' },
  randomization: { type: 'string' },
  train: { type: 'string' },
  eval: { type: 'string' },
  diversity: { type: 'string' },
  n: { type: 'string' },
  backend: { type: 'string' },
  threads: { type: 'string' },
  config: { type: 'string' },
  queue: { type: 'string' },
  json: { type: 'boolean', default: false },
  reanalyze: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/**
 * The sweep configuration a `gripgen curve` / `gripgen coverage` command line asks for: the
 * preset (`--quick` or full), then `--config`, then the other options, each overriding the one
 * before; what none of them sets follows the task (`--task`, else the config's `task`, else
 * pick-place): the evaluation preset is the task's `defaultPreset`, the source demos' its
 * `demoPreset`, and a curve's one series trains on the evaluation preset. Throws a
 * {@link UsageError} naming the bad option or field and the valid names.
 */
export async function sweepConfigFromArgs(kind: SweepKind, argv: string[]): Promise<SweepConfig> {
  return sweepConfigFromValues(kind, parseCommandArgs(argv, SWEEP_OPTIONS));
}

async function sweepConfigFromValues(kind: SweepKind, values: SweepValues): Promise<SweepConfig> {
  const fromFile = values.config !== undefined ? await readJsonOption('config', values.config) : {};
  if (kind === 'curve') {
    if (values.diversity !== undefined || values.n !== undefined) {
      throw new UsageError(`--${values.diversity !== undefined ? 'diversity' : 'n'} is an option of gripgen coverage (the coverage law); gripgen curve varies N with --counts`);
    }
    if (fromFile.diversity !== undefined) throw new UsageError('--config: diversity is a setting of gripgen coverage (the coverage law); gripgen curve varies N with counts');
  }
  const law = kind === 'coverage' && (values.diversity !== undefined || fromFile.diversity !== undefined);
  if (values.n !== undefined && !law) throw new UsageError('--n goes with --diversity (the N of the coverage law); without it, give training-set sizes with --counts');
  if (law && values.counts !== undefined) {
    throw new UsageError('--counts: with --diversity every policy trains on one N; give it with --n');
  }
  const task = getTask(sweepTaskId(values.task, fromFile.task));
  const presets = Object.keys(task.presets);
  const presetOf = (option: string, name: string) => {
    if (!presets.includes(name)) throw new UsageError(`--${option}: task ${task.id} has no preset "${name}"; its presets: ${presets.join(', ')}`);
    return name;
  };
  const evalOption = kind === 'curve' ? 'randomization' : 'eval';
  const evalFlag = kind === 'curve' ? values.randomization : values.eval;
  const evalRandomization =
    evalFlag !== undefined ? presetOf(evalOption, evalFlag) : typeof fromFile.evalRandomization === 'string' ? fromFile.evalRandomization : task.defaultPreset;
  const seriesFlag = kind === 'curve' ? values.randomization : values.train;
  const series =
    seriesFlag === undefined && fromFile.series !== undefined
      ? fromFile.series
      : kind === 'curve' || (law && values.train === undefined)
        ? [{ name: evalRandomization, trainRandomization: evalRandomization }]
        : (values.train ?? `${task.demoPreset},${task.defaultPreset}`).split(',').map((name) => {
            const trainRandomization = presetOf('train', name.trim());
            return { name: trainRandomization, trainRandomization };
          });
  const sweepPresets = kind === 'curve' ? CURVE_PRESETS : law ? DIVERSITY_PRESETS : COVERAGE_PRESETS;
  const preset: Record<string, unknown> = sweepPresets[values.quick ? 'quick' : 'full'];
  // The coverage law's one N: --n, else the config's counts, else the preset's.
  const lawN = values.n !== undefined ? parseIntOption('n', values.n, 1, 1 << 24) : undefined;
  const lawCounts = lawN !== undefined ? [lawN] : undefined;
  const nForDiversity = lawN ?? (Array.isArray(fromFile.counts) && fromFile.counts.length === 1 ? Number(fromFile.counts[0]) : (preset.counts as number[])[0]);
  const input: Record<string, unknown> = {
    ...preset,
    ...fromFile,
    policy: {
      ...(preset.policy as object),
      ...(fromFile.policy as object),
      ...(values.history !== undefined && { history: parseIntOption('history', values.history, 1, MAX_HISTORY) }),
    },
    training: { ...(preset.training as object), ...(fromFile.training as object) },
    // The task's own demo preset unless the config names one (a malformed value is left to the schema).
    sourceDemos: fromFile.sourceDemos === undefined || isPlainObject(fromFile.sourceDemos) ? { randomization: task.demoPreset, ...fromFile.sourceDemos } : fromFile.sourceDemos,
    task: task.id,
    series,
    evalRandomization,
    ...(values.backend !== undefined && { backend: parseChoice('backend', values.backend, BACKENDS) }),
    ...(values.counts !== undefined && { counts: parseCounts(values.counts) }),
    ...(lawCounts !== undefined && { counts: lawCounts }),
    ...(values.diversity !== undefined && { diversity: parseDiversity(values.diversity, nForDiversity) }),
    ...(values.seeds !== undefined && { seeds: parseIntOption('seeds', values.seeds, 1, 1000) }),
    ...(values['eval-worlds'] !== undefined && { evalWorlds: parseIntOption('eval-worlds', values['eval-worlds'], 1, 1 << 20) }),
    ...(values.threads !== undefined && { threads: parseIntOption('threads', values.threads, 0, 1024) }),
  };
  try {
    const config = parseSweepConfig(input);
    checkSweepTask(config);
    return config;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The task of a sweep: `--task`, else the config's `task`, else the default task; checked against the registry. */
function sweepTaskId(option: string | undefined, fromConfig: unknown): string {
  if (option !== undefined) return parseChoice('task', option, taskIds());
  if (fromConfig === undefined) return DEFAULT_TASK_ID;
  if (typeof fromConfig !== 'string' || !taskIds().includes(fromConfig)) {
    throw new UsageError(`--config: task: unknown task ${JSON.stringify(fromConfig)}; registered tasks: ${taskIds().join(', ')}`);
  }
  return fromConfig;
}

/** Parsed options of a sweep command. */
type SweepValues = ReturnType<typeof parseCommandArgs<typeof SWEEP_OPTIONS>>;

async function sweepCommand(kind: SweepKind, argv: string[]): Promise<number> {
  const values = parseCommandArgs(argv, SWEEP_OPTIONS);
  const usage = kind === 'curve' ? CURVE_USAGE : COVERAGE_USAGE;
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (!values.out) throw new UsageError('--out <dir> is required');
  if (values.reanalyze) {
    const sweepOptions = ['task', 'quick', 'counts', 'seeds', 'history', 'eval-worlds', 'randomization', 'train', 'eval', 'diversity', 'n', 'backend', 'threads', 'config', 'queue'] as const;
    const given = sweepOptions.filter((name) => values[name] !== undefined && values[name] !== false);
    if (given.length > 0) throw new UsageError(`--reanalyze runs nothing, so it takes only --out and --json; got ${given.map((name) => `--${name}`).join(', ')}`);
    return reanalyzeCommand(resolve(values.out), values.json);
  }
  const config = await sweepConfigFromValues(kind, values);
  const out = resolve(values.out);
  const title = config.diversity
    ? `${config.task}: success vs. distinct scenes D, N = ${config.counts[0].toLocaleString('en-US')} (${config.evalRandomization} worlds)`
    : kind === 'curve'
      ? `${config.task}: success vs. trajectories (${config.evalRandomization} worlds)`
      : `${config.task}: coverage vs. volume (evaluated on ${config.evalRandomization} worlds)`;
  if (values.queue !== undefined) return enqueueSweepCommand(values.queue, { out, config, title, jobAttempts: 3, ...(values.json ? {} : { onEvent: progressPrinter(config.diversity ? 'D' : 'N') }) }, values.json);
  const report = await runSweep({ out, config, title, onEvent: values.json ? undefined : progressPrinter(config.diversity ? 'D' : 'N') });
  const files = await writeCurveArtifacts(out, report);
  process.stdout.write(values.json ? `${JSON.stringify({ ...report, files })}\n` : `${summarize(report, files)}\n`);
  return 0;
}

/** `--reanalyze`: the statistics of `<out>/curve.json` recomputed from its points, artifacts rewritten. */
async function reanalyzeCommand(out: string, json: boolean): Promise<number> {
  const file = join(out, 'curve.json');
  let stored: unknown;
  try {
    stored = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--reanalyze: cannot read ${file}: ${(error as Error).message}`);
  }
  let report: CurveReport;
  try {
    report = reanalyzeCurveReport(stored);
  } catch (error) {
    throw new UsageError(`--reanalyze: ${file}: ${(error as Error).message}`);
  }
  const files = await writeCurveArtifacts(out, report);
  process.stdout.write(json ? `${JSON.stringify({ ...report, files })}\n` : `${summarize(report, files)}\n`);
  return 0;
}

/**
 * Progress on stderr: a bar for the source demos and one per generated dataset, then one bar
 * over the sweep's points whose detail names the jobs in flight (trainings run concurrently),
 * and one line per finished point.
 */
function progressPrinter(symbol: 'N' | 'D'): (event: SweepEvent) => void {
  let bar: Progress | null = null;
  let barKey = '';
  const open = (key: string, total: number, label: string) => {
    if (barKey === key && bar) return bar;
    bar?.finish();
    barKey = key;
    bar = createProgress({ total, label });
    return bar;
  };
  const etas = new Map<string, ReturnType<typeof generationEta>>();
  const inFlight = new Map<string, string>();
  let pointsDone = 0;
  const sweepBar = (total: number) => {
    const detail = [...inFlight.values()].join(' · ');
    open('sweep', total, 'sweep').update(pointsDone, detail);
  };
  let sweepTotal = 0;
  return (event) => {
    switch (event.stage) {
      case 'plan':
        sweepTotal = event.total;
        pointsDone = event.cached;
        break;
      case 'demos':
        open('demos', event.total, 'source demos').update(event.done);
        break;
      case 'generate': {
        const p = event.progress;
        if (!etas.has(event.series)) etas.set(event.series, generationEta(event.worlds, event.longestDemoSteps));
        open(`generate ${event.series}`, p.target, `generate ${event.series}`).update(
          p.kept,
          `step ${p.steps}, ${p.attempts} attempts, ${p.attempts > 0 ? ((100 * p.successes) / p.attempts).toFixed(1) : '0'} % success`,
          etas.get(event.series)!(p),
        );
        break;
      }
      case 'train':
      case 'evaluate': {
        const job = `${event.series} ${symbol}=${event.n} seed ${event.seed}`;
        const [done, total] = event.stage === 'train' ? [event.step, event.steps] : [event.done, event.total];
        const extra = event.stage === 'train' ? ` loss ${event.loss.toFixed(3)}` : '';
        inFlight.set(`${event.stage} ${job}`, `${event.stage} ${job} ${Math.floor((100 * done) / total)}%${extra}`);
        if (done === total) inFlight.delete(`${event.stage} ${job}`);
        if (sweepTotal > 0) sweepBar(sweepTotal);
        break;
      }
      case 'point': {
        const p = event.point;
        sweepTotal = event.total;
        pointsDone = event.index;
        bar?.finish();
        process.stderr.write(
          `[${event.index}/${event.total}] ${event.series} ${symbol}=${p.n} seed ${p.seed}: success ${(100 * p.successRate).toFixed(1)} % ` +
            `(${p.successes}/${p.trials}, 95 % CI ${(100 * p.wilson.lo).toFixed(1)}–${(100 * p.wilson.hi).toFixed(1)} %)` +
            `${event.cached ? ' (cached)' : `, train ${p.trainSeconds.toFixed(1)} s, eval ${p.evalSeconds.toFixed(1)} s`}\n`,
        );
        // The sweep bar lives on (its clock and eta span the whole sweep); other bars are done.
        if (barKey !== 'sweep') {
          bar = null;
          barKey = '';
        }
        break;
      }
    }
  };
}

/** The per-N table, each series' fit and saturation, the timings and the files. */
export function summarize(report: CurveReport, files: CurveArtifacts): string {
  const symbol = variableSymbol(report.variable);
  const rows: string[][] = [];
  for (const s of report.series) {
    for (const pooled of poolByN(s.points)) {
      rows.push([
        s.name,
        String(pooled.n),
        String(pooled.count),
        `${pooled.successes}/${pooled.trials}`,
        (100 * pooled.meanSuccessRate).toFixed(1),
        `${(100 * pooled.wilson.lo).toFixed(1)}–${(100 * pooled.wilson.hi).toFixed(1)}`,
      ]);
    }
  }
  const table = formatTable(rows, { header: ['series', symbol, 'seeds', 'successes', 'success %', 'Wilson 95 % CI'] });
  const fits = report.series.map((s) => {
    const sat = s.saturation?.saturatedFrom;
    const lines = [`${seriesLegendText(s, symbol)}; ${sat === null || sat === undefined ? 'not saturated' : `saturated from ${symbol} = ${sat}`}`];
    if (s.forms) lines.push(`  forms: ${describeComparison(s.forms, symbol)}; ${describeDispersion(s.forms, symbol)}`);
    if (s.extrapolation) lines.push(`  extrapolation: ${describeExtrapolation(s.extrapolation, symbol)}`);
    return lines.join('\n');
  });
  // A re-analysed report carries the timings its run recorded, whatever they were.
  const seconds = (name: string) => (typeof report.timings[name] === 'number' ? `${report.timings[name].toFixed(1)} s` : 'not recorded');
  const info = formatKeyValue([
    ...(report.variable.kind === 'scenes' ? ([['trajectories', `N = ${report.variable.trajectories} per policy; D distinct scenes`]] as [string, string][]) : []),
    ['wall time', `${seconds('total')} (data ${seconds('data')}, train ${seconds('train')}, evaluate ${seconds('evaluate')}; cached points excluded)`],
    ['machine', formatMachine(report.machine)],
    ['report', files.html],
    ['chart', `${files.svg}, ${files.png}`],
    ['data', `${files.json}, ${files.csv}`],
  ]);
  return `${table}\n\n${fits.join('\n')}\n\n${info}`;
}
