/**
 * The scaling-curve report as one self-contained HTML page: inline SVG chart and CSS, no
 * scripts, fonts or other external resources, every text escaped.
 */
import { formatCount, formatPercent, renderCurveSvg, seriesLegendText } from './chart-svg.js';
import type { CurvePoint, CurveReport, CurveSeriesResult } from './curve-types.js';
import { escapeXml } from './escape.js';

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
    `<p class="meta">Finished ${escapeXml(report.createdAt)}</p>`,
    '<h2>Fit</h2>',
    summaryTable(report.series),
    `<figure>${renderCurveSvg({ title: report.title, series: report.series })}</figure>`,
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
        ? `${range}: ${seriesLegendText({ ...s, name: '', fit: sat.fit, slopeInterval: null })}`
        : `${range}: a single N, no fit`;
    }
    return [s.name, seriesLegendText({ ...s, name: '' }), saturationText, partialFit].map((cell) => `<td>${escapeXml(cell)}</td>`);
  });
  return table(
    header.map((h) => `<th>${escapeXml(h)}</th>`),
    rows,
  );
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
