/**
 * The scaling-curve report as one self-contained HTML page: inline SVG chart and CSS, no
 * scripts, fonts or other external resources, every text escaped. Per series: the measured
 * points with their Wilson intervals, every competing fit with its residual at every (N, seed)
 * point, the extrapolation test, and the machine and time the run took.
 */
import { MIN_SEEDS_FOR_INTERVAL } from './bootstrap.js';
import { formatCount, formatPercent, renderCurveSvg, seriesLegendText } from './chart-svg.js';
import { fittedRate } from './curve-forms.js';
import type { CurvePoint, CurveReport, CurveSeriesResult, Extrapolation, Uncertainty } from './curve-types.js';
import { variableSymbol } from './curve-variable.js';
import { escapeXml } from './escape.js';
import { describeComparison, describeDispersion, formLabel } from './form-comparison.js';
import type { CurveRollout } from '../render/curve-rollouts.js';

const STYLE = `
body { font-family: system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', sans-serif; color: #222; margin: 2rem auto; max-width: 64rem; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.5rem; margin-bottom: 0.25rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
h3 { font-size: 1rem; margin-top: 1.25rem; }
.meta { color: #666; margin-top: 0; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 0.9rem; margin: 0.5rem 0; }
th, td { padding: 0.2rem 0.6rem; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
th { background: #f5f5f5; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.rollouts { display: flex; flex-wrap: wrap; gap: 0.75rem; }
.rollouts figure { margin: 0; }
.rollouts video { width: 320px; height: auto; background: #eee; }
.rollouts figcaption { font-size: 0.85rem; color: #555; }
pre { background: #f7f7f7; border: 1px solid #e4e4e4; padding: 0.75rem; overflow-x: auto; font-size: 0.85rem; }
`;

/**
 * Renders the report of a `gripgen curve` / `gripgen coverage` run as an HTML document; with
 * `rollouts` (`gripgen render --curve`), a section of their videos (paths relative to the report).
 */
export function renderReportHtml(report: CurveReport, rollouts: readonly CurveRollout[] = []): string {
  const title = escapeXml(report.title);
  const variable = report.variable;
  const symbol = variableSymbol(variable);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8" />',
    '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    `<title>${title}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${title}</h1>`,
    `<p class="meta">Finished ${escapeXml(report.createdAt)}${report.reanalyzedAt ? `; statistics recomputed from the points ${escapeXml(report.reanalyzedAt)}` : ''}</p>`,
    `<p class="meta run">${escapeXml(runLine(report))}</p>`,
    ...(variable.kind === 'scenes' ? [`<p>${escapeXml(scenesNote(variable.trajectories))}</p>`] : []),
    '<h2>Fit</h2>',
    summaryTable(report.series, symbol),
    `<figure>${renderCurveSvg({ title: report.title, series: report.series, variable })}</figure>`,
    ...(rollouts.length > 0 ? ['<h2>Rollouts</h2>', rolloutsSection(rollouts, symbol)] : []),
    '<h2>Competing fits</h2>',
    `<p>${escapeXml(competingFitsNote(symbol))}</p>`,
    ...report.series.map((s) => (report.series.length > 1 ? `<h3>${escapeXml(s.name)}</h3>` : '') + competingFits(s, symbol)),
    '<h2>Points</h2>',
    ...report.series.map((s) => (report.series.length > 1 ? `<h3>${escapeXml(s.name)}</h3>` : '') + pointsTable(s.points, symbol)),
    '<h2>Configuration</h2>',
    `<pre>${escapeXml(JSON.stringify(report.config, null, 2) ?? 'none')}</pre>`,
    '<h2>Timings</h2>',
    timingsTable(report.timings),
    '<h2>Adapter</h2>',
    report.adapter ? keyValueTable(report.adapter) : '<p>None: nothing ran on a GPU.</p>',
    '<h2>Machine</h2>',
    keyValueTable(report.machine),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * How long the run took and where: `Ran 29 min 30 s (data 1 min 30 s, train 53 min 27 s summed
 * over parallel trainings, evaluate 11 min 25 s; cached points excluded) on Intel Xeon (2 cores,
 * 23.5 GiB), node v20.19.0, linux x64; no GPU.`
 */
function runLine(report: CurveReport): string {
  const seconds = (name: string) => (typeof report.timings[name] === 'number' ? formatDuration(report.timings[name]) : 'not recorded');
  const phases = ['data', 'train', 'evaluate'].filter((name) => typeof report.timings[name] === 'number');
  // Trainings run in parallel (worker threads), so their summed time can exceed the wall time.
  const phase = (name: string) => `${name} ${seconds(name)}${name === 'train' ? ' summed over parallel trainings' : ''}`;
  const split = phases.length > 0 ? ` (${phases.map(phase).join(', ')}; cached points excluded)` : '';
  const m = (report.machine ?? {}) as Partial<CurveReport['machine']>;
  const cpu = [m.cpuModel ?? 'an unrecorded CPU', [m.cores !== undefined ? `${m.cores} cores` : null, m.memoryGiB !== undefined ? `${m.memoryGiB} GiB` : null].filter(Boolean).join(', ')];
  const machine = `${cpu[0]}${cpu[1] ? ` (${cpu[1]})` : ''}${m.node ? `, node ${m.node}` : ''}${m.platform ? `, ${m.platform} ${m.arch ?? ''}`.trimEnd() : ''}`;
  const gpu = report.adapter ? `GPU ${[report.adapter.vendor, report.adapter.architecture, report.adapter.device].filter(Boolean).join(' ')}` : 'no GPU';
  return `Ran ${seconds('total')}${split} on ${machine}; ${gpu}.`;
}

/** What a coverage law holds fixed and what it varies. */
function scenesNote(trajectories: number): string {
  return (
    `Coverage law: every policy is trained on N = ${formatCount(trajectories)} generated trajectories; D is the number of ` +
    'distinct scenes (randomized worlds: object sizes, poses, layout) those trajectories were generated in, each scene ' +
    'reused for about N / D trajectories. Every policy is evaluated on the same held-out worlds.'
  );
}

function summaryTable(series: readonly CurveSeriesResult[], symbol: string): string {
  const header = ['Series', 'Fit over all points', 'Saturation', 'Fit over the non-saturated range'];
  const rows = series.map((s) => {
    const sat = s.saturation;
    let saturationText = 'no points';
    let partialFit = '—';
    if (sat) {
      saturationText =
        sat.saturatedFrom === null
          ? `not saturated (gain ≥ ${formatPercent(sat.minGainPerDecade)} points per decade up to the largest ${symbol})`
          : `saturated from ${symbol} = ${formatCount(sat.saturatedFrom)} (gain < ${formatPercent(sat.minGainPerDecade)} points per decade beyond)`;
      const range = `${symbol} ${formatCount(sat.fitRange[0])}–${formatCount(sat.fitRange[1])}`;
      partialFit = sat.fit
        ? `${range}: ${seriesLegendText({ name: '', fit: sat.fit, slope: null }, symbol)}`
        : `${range}: a single ${symbol}, no fit`;
    }
    return [s.name, seriesLegendText({ ...s, name: '' }, symbol), saturationText, partialFit].map((cell) => `<td>${escapeXml(cell)}</td>`);
  });
  return table(
    header.map((h) => `<th>${escapeXml(h)}</th>`),
    rows,
  );
}

function competingFitsNote(symbol: string): string {
  return (
    `Each form is fitted by binomial maximum likelihood to the (${symbol}, seed) success counts and drawn on the chart ` +
    '(the form the criterion picks as a thick line); the "Fit" table above is the least-squares line. Lower AICc is ' +
    'better; a difference below 2 does not tell two forms apart. When seeds scatter more than binomially the criterion ' +
    `is QAICc. Leave-one-${symbol}-out: each ${symbol} predicted by the form fitted to the other ${symbol}. ` +
    `Intervals are bootstrap 95 % intervals (seeds and evaluation episodes resampled) only with ${MIN_SEEDS_FOR_INTERVAL} or ` +
    'more seeds; with fewer, the bracket is the range over single-seed fits, and with one seed there is none.'
  );
}

/** Goal of the extrapolation test: prediction error within this many success-rate units. */
const EXTRAPOLATION_GOAL = 0.05;

function competingFits(series: CurveSeriesResult, symbol: string): string {
  const comparison = series.forms;
  if (!comparison) return `<p>No competing fits: fewer than 2 distinct ${symbol}.</p>`;
  const parts = [
    `<p>${escapeXml(capitalize(describeComparison(comparison, symbol)))}. ${escapeXml(capitalize(describeDispersion(comparison, symbol)))}.</p>`,
  ];
  const seeds = new Set(series.points.map((p) => p.seed)).size;
  if (seeds < MIN_SEEDS_FOR_INTERVAL) {
    parts.push(
      `<p>${escapeXml(
        seeds <= 1
          ? 'One training seed: no intervals (seed-to-seed variation is unmeasured).'
          : `${seeds} training seeds, fewer than ${MIN_SEEDS_FOR_INTERVAL}: no 95 % intervals; brackets are the range over single-seed fits.`,
      )}</p>`,
    );
  }
  const criterion = comparison.criterion;
  const header = ['form', 'formula', 'parameters', 'ln L', 'AICc', `Δ${criterion}`, `leave-one-${symbol}-out RMSE (points)`];
  const rows = comparison.fits.map((f) => {
    const uncertainty = series.formUncertainty.find((u) => u.form === f.form)?.parameters ?? {};
    const parameters = Object.entries(f.parameters)
      .map(([name, value]) => `${name} = ${formatNumber(value)}${bracket(uncertainty[name], formatNumber)}`)
      .join(', ');
    return [
      `<td>${escapeXml(formLabel(f.form))}${comparison.best === f.form ? ' (best)' : ''}</td>`,
      `<td>${escapeXml(f.formula)}</td>`,
      `<td>${escapeXml(parameters)}</td>`,
      numberCell(formatFixed(f.logLikelihood)),
      numberCell(f.aicc === null ? '—' : formatFixed(f.aicc)),
      numberCell(f.deltaCriterion === null ? '—' : formatFixed(f.deltaCriterion)),
      numberCell(f.leaveOneNOut ? formatPercent(f.leaveOneNOut.rmse, 2) : '—'),
    ];
  });
  parts.push(table(header.map((h) => `<th>${escapeXml(h)}</th>`), rows, 'form-row'));
  if (comparison.unfitted.length > 0) {
    parts.push(`<p>Not fitted: ${escapeXml(comparison.unfitted.map((u) => `${formLabel(u.form)} (${u.reason})`).join('; '))}.</p>`);
  }
  parts.push(residualsTable(series, symbol), extrapolationSection(series.extrapolation, symbol));
  return parts.join('\n');
}

/**
 * Every (N, seed) point against every fitted form: the measured rate, and per form the fitted
 * rate, the residual (measured − fitted, points) and the Pearson residual (in binomial standard
 * deviations).
 */
function residualsTable(series: CurveSeriesResult, symbol: string): string {
  const fits = series.forms?.fits ?? [];
  if (fits.length === 0) return '';
  const rows = series.points.map((p, i) => [
    numberCell(formatCount(p.n)),
    numberCell(String(p.seed)),
    numberCell(formatPercent(p.successRate)),
    ...fits.flatMap((f) => [
      numberCell(formatPercent(fittedRate(f, p.n))),
      numberCell(formatSigned(100 * f.residuals[i])),
      numberCell(formatSigned(f.pearsonResiduals[i], 2)),
    ]),
  ]);
  const header = [
    `<th class="num" rowspan="2">${symbol}</th><th class="num" rowspan="2">seed</th><th class="num" rowspan="2">measured (%)</th>`,
    ...fits.map((f) => `<th colspan="3">${escapeXml(formLabel(f.form))}</th>`),
    '</tr><tr>',
    ...fits.map(() => '<th class="num">fitted (%)</th><th class="num">residual (points)</th><th class="num">Pearson</th>'),
  ];
  return `<p>Residuals at every point: measured − fitted (percentage points), and the Pearson residual (measured − fitted in binomial standard deviations of the point's evaluation):</p>\n${table(header, rows, 'residual-row')}`;
}

function extrapolationSection(extrapolation: Extrapolation | null, symbol: string): string {
  if (!extrapolation) return `<p>No extrapolation test: fewer than 2 distinct ${symbol} at or below a tenth of the largest ${symbol}.</p>`;
  const e = extrapolation;
  const m = e.measured;
  const measured = `${formatPercent(m.successRate)} (${m.successes} / ${m.trials})`;
  const wilson = `${formatPercent(m.wilson.lo)} – ${formatPercent(m.wilson.hi)}`;
  const intro =
    `Extrapolation on held-out scale: every form fitted on the ${e.fittedPoints} points at ${symbol} ≤ ${formatCount(e.fittedMaxN)} ` +
    `only, predicting ${symbol} = ${formatCount(e.targetN)}. On the fitted points ${e.criterion} picks ` +
    `${e.selected ? formLabel(e.selected) : 'no form clearly'}. Goal: error within ${formatPercent(EXTRAPOLATION_GOAL, 0)} points.`;
  const header = ['form', 'predicted (%)', 'interval or seed range (%)', 'measured (%)', 'Wilson 95 % (%)', 'error (points)', 'within goal'];
  const rows = e.predictions.map((p) => [
    `<td>${escapeXml(formLabel(p.form))}${e.selected === p.form ? ' (picked)' : ''}</td>`,
    numberCell(formatPercent(p.predicted)),
    numberCell(intervalText(p.uncertainty, formatPercent) || '—'),
    numberCell(measured),
    numberCell(wilson),
    numberCell(formatPercent(p.error)),
    `<td>${Math.abs(p.error) <= EXTRAPOLATION_GOAL ? 'yes' : 'no'}</td>`,
  ]);
  const unfitted =
    e.unfitted.length > 0 ? `\n<p>Not fitted: ${escapeXml(e.unfitted.map((u) => `${formLabel(u.form)} (${u.reason})`).join('; '))}.</p>` : '';
  return `<p>${escapeXml(intro)}</p>\n${table(header.map((h) => `<th>${escapeXml(h)}</th>`), rows, 'extrapolation-row')}${unfitted}`;
}

/** `lo – hi` for a bootstrap interval, `3 seeds: lo – hi` for a seed range, empty without either. */
function intervalText(uncertainty: Uncertainty | undefined, format: (value: number) => string): string {
  if (uncertainty?.kind === 'bootstrap') return `${format(uncertainty.interval.lo)} – ${format(uncertainty.interval.hi)}`;
  if (uncertainty?.kind === 'seed-range') {
    return `${uncertainty.usableSeeds} seeds: ${format(uncertainty.range.lo)} – ${format(uncertainty.range.hi)}`;
  }
  return '';
}

/** {@link intervalText} in brackets after a value, or nothing. */
function bracket(uncertainty: Uncertainty | undefined, format: (value: number) => string): string {
  const text = intervalText(uncertainty, format);
  return text ? ` [${text}]` : '';
}

function numberCell(text: string): string {
  return `<td class="num">${escapeXml(text)}</td>`;
}

/** Four significant digits, minus sign as U+2212. */
function formatNumber(value: number): string {
  return Number.isFinite(value) ? value.toPrecision(4).replace('-', '−') : String(value);
}

/** A signed number with `digits` decimals: `+1.2`, `−0.4`, `0.0`. */
function formatSigned(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return String(value);
  const text = Math.abs(value).toFixed(digits);
  return Number(text) === 0 ? text : `${value < 0 ? '−' : '+'}${text}`;
}

/** `12.3 s`, `4 min 05 s`, `1 h 02 min`. */
function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`;
}

/** One decimal, minus sign as U+2212. */
function formatFixed(value: number): string {
  return value.toFixed(1).replace('-', '−');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function pointsTable(points: readonly CurvePoint[], symbol: string): string {
  const header = [symbol, 'seed', 'successes / trials', 'success (%)', 'Wilson 95 % CI (%)', 'train (s)', 'eval (s)', 'final loss'];
  const rows = points.map((p) =>
    [
      formatCount(p.n),
      String(p.seed),
      `${p.successes} / ${p.trials}`,
      formatPercent(p.successRate),
      `${formatPercent(p.wilson.lo)} – ${formatPercent(p.wilson.hi)}`,
      formatSeconds(p.trainSeconds),
      formatSeconds(p.evalSeconds),
      Number.isFinite(p.finalLoss) ? p.finalLoss.toPrecision(4) : String(p.finalLoss),
    ].map((cell) => `<td class="num">${escapeXml(cell)}</td>`),
  );
  return table(
    header.map((h) => `<th class="num">${escapeXml(h)}</th>`),
    rows,
    'point-row',
  );
}

function timingsTable(timings: Readonly<Record<string, number>>): string {
  const entries = Object.entries(timings);
  if (entries.length === 0) return '<p>None recorded.</p>';
  return table(
    ['<th>phase</th>', '<th class="num">seconds</th>'],
    entries.map(([name, seconds]) => [`<td>${escapeXml(name)}</td>`, `<td class="num">${escapeXml(formatSeconds(seconds))}</td>`]),
  );
}

/** One looping video per rollout, captioned with its series, N and seed. */
function rolloutsSection(rollouts: readonly CurveRollout[], symbol: string): string {
  const first = rollouts[0];
  const note = `The policy of each ${symbol} (the lowest training seed) driving ${first.worlds} ${escapeXml(first.preset)} worlds of ${escapeXml(first.task)} for ${first.steps} control steps, drawn by the viewer (gripgen render --curve).`;
  const figures = rollouts.map(
    (r) =>
      `<figure><video src="${escapeXml(r.video)}" controls loop muted autoplay playsinline></video>` +
      `<figcaption>${escapeXml(r.series)} · ${symbol} = ${escapeXml(formatCount(r.n))} · seed ${r.seed}</figcaption></figure>`,
  );
  return `<p>${note}</p>\n<div class="rollouts">\n${figures.join('\n')}\n</div>`;
}

function keyValueTable(record: object): string {
  return table(
    [],
    Object.entries(record).map(([key, value]) => [`<th>${escapeXml(key)}</th>`, `<td>${escapeXml(formatValue(value))}</td>`]),
  );
}

/** A table of pre-rendered cells; `rowClass` goes on every body row. */
function table(header: readonly string[], rows: readonly (readonly string[])[], rowClass?: string): string {
  const head = header.length > 0 ? `<thead><tr>${header.join('')}</tr></thead>` : '';
  const tr = rowClass ? `<tr class="${rowClass}">` : '<tr>';
  return `<table>${head}<tbody>${rows.map((r) => `${tr}${r.join('')}</tr>`).join('')}</tbody></table>`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return JSON.stringify(value);
}

/** Seconds with 2 decimals below 10 s, 1 decimal above. */
function formatSeconds(seconds: number): string {
  return Number.isFinite(seconds) ? seconds.toFixed(Math.abs(seconds) < 10 ? 2 : 1) : String(seconds);
}
