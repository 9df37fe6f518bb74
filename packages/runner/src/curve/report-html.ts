/**
 * The scaling-curve report as one self-contained HTML page: inline SVG chart and CSS, no
 * scripts, fonts or other external resources, every text escaped.
 */
import { MIN_SEEDS_FOR_INTERVAL } from './bootstrap.js';
import { formatCount, formatPercent, renderCurveSvg, seriesLegendText } from './chart-svg.js';
import type { CurvePoint, CurveReport, CurveSeriesResult, Extrapolation, Uncertainty } from './curve-types.js';
import { escapeXml } from './escape.js';
import { describeComparison, describeDispersion, formLabel } from './form-comparison.js';

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
pre { background: #f7f7f7; border: 1px solid #e4e4e4; padding: 0.75rem; overflow-x: auto; font-size: 0.85rem; }
`;

/** Renders the report of a `gripgen curve` run as an HTML document. */
export function renderReportHtml(report: CurveReport): string {
  const title = escapeXml(report.title);
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
    '<h2>Fit</h2>',
    summaryTable(report.series),
    `<figure>${renderCurveSvg({ title: report.title, series: report.series })}</figure>`,
    '<h2>Competing fits</h2>',
    `<p>${escapeXml(COMPETING_FITS_NOTE)}</p>`,
    ...report.series.map((s) => (report.series.length > 1 ? `<h3>${escapeXml(s.name)}</h3>` : '') + competingFits(s)),
    '<h2>Points</h2>',
    ...report.series.map((s) => (report.series.length > 1 ? `<h3>${escapeXml(s.name)}</h3>` : '') + pointsTable(s.points)),
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

function summaryTable(series: readonly CurveSeriesResult[]): string {
  const header = ['Series', 'Fit over all points', 'Saturation', 'Fit over the non-saturated range'];
  const rows = series.map((s) => {
    const sat = s.saturation;
    let saturationText = 'no points';
    let partialFit = '—';
    if (sat) {
      saturationText =
        sat.saturatedFrom === null
          ? `not saturated (gain ≥ ${formatPercent(sat.minGainPerDecade)} points per decade up to the largest N)`
          : `saturated from N = ${formatCount(sat.saturatedFrom)} (gain < ${formatPercent(sat.minGainPerDecade)} points per decade beyond)`;
      const range = `N ${formatCount(sat.fitRange[0])}–${formatCount(sat.fitRange[1])}`;
      partialFit = sat.fit
        ? `${range}: ${seriesLegendText({ name: '', fit: sat.fit, slope: null })}`
        : `${range}: a single N, no fit`;
    }
    return [s.name, seriesLegendText({ ...s, name: '' }), saturationText, partialFit].map((cell) => `<td>${escapeXml(cell)}</td>`);
  });
  return table(
    header.map((h) => `<th>${escapeXml(h)}</th>`),
    rows,
  );
}

const COMPETING_FITS_NOTE =
  'Each form is fitted by binomial maximum likelihood to the (N, seed) success counts (the chart\'s line is the ' +
  'least-squares fit). Lower AICc is better; a difference below 2 does not tell two forms apart. When seeds scatter ' +
  'more than binomially the criterion is QAICc. Leave-one-N-out: each N predicted by the form fitted to the other N. ' +
  `Intervals are bootstrap 95 % intervals (seeds and evaluation episodes resampled) only with ${MIN_SEEDS_FOR_INTERVAL} or ` +
  'more seeds; with fewer, the bracket is the range over single-seed fits, and with one seed there is none.';

/** Goal of the extrapolation test: prediction error within this many success-rate units. */
const EXTRAPOLATION_GOAL = 0.05;

function competingFits(series: CurveSeriesResult): string {
  const comparison = series.forms;
  if (!comparison) return '<p>No competing fits: fewer than 2 distinct N.</p>';
  const parts = [
    `<p>${escapeXml(capitalize(describeComparison(comparison)))}. ${escapeXml(capitalize(describeDispersion(comparison)))}.</p>`,
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
  const header = ['form', 'formula', 'parameters', 'ln L', 'AICc', `Δ${criterion}`, 'leave-one-N-out RMSE (points)'];
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
  parts.push(residualsTable(series), extrapolationSection(series.extrapolation));
  return parts.join('\n');
}

/** Mean residual over seeds per N and form, in percentage points. */
function residualsTable(series: CurveSeriesResult): string {
  const fits = series.forms?.fits ?? [];
  if (fits.length === 0) return '';
  const ns = [...new Set(series.points.map((p) => p.n))].sort((x, y) => x - y);
  const rows = ns.map((n) => {
    const indices = series.points.flatMap((p, i) => (p.n === n ? [i] : []));
    return [
      numberCell(formatCount(n)),
      ...fits.map((f) => numberCell(formatPercent(indices.reduce((s, i) => s + f.residuals[i], 0) / indices.length))),
    ];
  });
  const header = ['N', ...fits.map((f) => formLabel(f.form))].map((h) => `<th class="num">${escapeXml(h)}</th>`);
  return `<p>Residuals, measured − fitted (points), mean over seeds:</p>\n${table(header, rows, 'residual-row')}`;
}

function extrapolationSection(extrapolation: Extrapolation | null): string {
  if (!extrapolation) return '<p>No extrapolation test: fewer than 2 distinct N at or below a tenth of the largest N.</p>';
  const e = extrapolation;
  const m = e.measured;
  const measured = `${formatPercent(m.successRate)} (${m.successes} / ${m.trials})`;
  const wilson = `${formatPercent(m.wilson.lo)} – ${formatPercent(m.wilson.hi)}`;
  const intro =
    `Extrapolation on held-out scale: every form fitted on the ${e.fittedPoints} points at N ≤ ${formatCount(e.fittedMaxN)} ` +
    `only, predicting N = ${formatCount(e.targetN)}. On the fitted points ${e.criterion} picks ` +
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

/** One decimal, minus sign as U+2212. */
function formatFixed(value: number): string {
  return value.toFixed(1).replace('-', '−');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function pointsTable(points: readonly CurvePoint[]): string {
  const header = ['N', 'seed', 'successes / trials', 'success (%)', 'Wilson 95 % CI (%)', 'train (s)', 'eval (s)', 'final loss'];
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
