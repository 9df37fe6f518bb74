/**
 * The scaling-curve chart as a self-contained SVG: success (%) against N on a log10 axis, one
 * small dot per (N, seed), the pooled mean per N with its Wilson 95 % interval, and the
 * least-squares line `success = a + b·log10 N` of each series.
 */
import { MIN_SEEDS_FOR_INTERVAL } from './bootstrap.js';
import type { CurveChartData, CurveSeriesResult, LogLinearFit, Uncertainty } from './curve-types.js';
import { escapeXml } from './escape.js';
import { poolByN } from './stats.js';

/** Series colours, in order (a colour-blind-friendly palette); more series reuse them. */
export const SERIES_COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'];

/**
 * Fonts of the chart's text: widely installed sans-serif faces first (DejaVu Sans is what
 * resvg finds on Debian/Ubuntu), then the generic family. No font is embedded or fetched.
 */
export const CHART_FONT_FAMILY = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif";

const WIDTH = 760;
const PLOT_LEFT = 72;
const PLOT_RIGHT = WIDTH - 24;
const PLOT_TOP = 52;
const PLOT_BOTTOM = PLOT_TOP + 340;
const LEGEND_TOP = PLOT_BOTTOM + 68;
const LEGEND_ROW = 20;

/**
 * Renders the chart as an SVG document (a string starting with `<svg`). Element classes are
 * stable for tools and tests: `point` (one per (N, seed)), `mean` (one per N and series),
 * `error-bar`, `fit` (one per fitted series), `saturation` and `fit-unsaturated` (the fit up to
 * saturation, for each saturated series).
 */
export function renderCurveSvg(curve: CurveChartData): string {
  const height = LEGEND_TOP + LEGEND_ROW * (1 + curve.series.length) + 8;
  const x = logAxis(curve.series);
  const y = (rate: number) => PLOT_TOP + (1 - rate) * (PLOT_BOTTOM - PLOT_TOP);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ` +
      `font-family="${escapeXml(CHART_FONT_FAMILY)}" font-size="12" role="img">`,
    `<title>${escapeXml(curve.title)}</title>`,
    `<defs><clipPath id="plot-area"><rect x="${PLOT_LEFT}" y="${PLOT_TOP}" width="${PLOT_RIGHT - PLOT_LEFT}" height="${PLOT_BOTTOM - PLOT_TOP}"/></clipPath></defs>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${PLOT_LEFT}" y="30" font-size="16" font-weight="bold" fill="#222222">${escapeXml(curve.title)}</text>`,
  );
  out.push(...yAxis(y), ...xAxis(x));
  out.push(`<rect x="${PLOT_LEFT}" y="${PLOT_TOP}" width="${PLOT_RIGHT - PLOT_LEFT}" height="${PLOT_BOTTOM - PLOT_TOP}" fill="none" stroke="#444444"/>`);

  const numSeries = curve.series.length;
  curve.series.forEach((series, index) => {
    const colour = SERIES_COLOURS[index % SERIES_COLOURS.length];
    const shift = (index - (numSeries - 1) / 2) * 6; // keeps series at the same N apart
    out.push(`<g class="series" data-series="${escapeXml(series.name)}">`);
    out.push(...saturationMark(series, index, colour, x));
    out.push(...fitLine(series, colour, x, y));
    out.push(...seedPoints(series, colour, (n) => x(n) + shift, y));
    out.push(...pooledMeans(series, colour, (n) => x(n) + shift, y));
    out.push('</g>');
  });
  out.push(...legend(curve.series));
  out.push('</svg>');
  return out.join('\n');
}

type Scale = (value: number) => number;

/** The log10 x-scale over every series' N, padded so no point sits on the frame. */
interface LogAxis extends Scale {
  ticks: { n: number; label: boolean }[];
}

function logAxis(series: readonly CurveSeriesResult[]): LogAxis {
  const ns = series.flatMap((s) => s.points.map((p) => p.n)).filter((n) => n > 0 && Number.isFinite(n));
  let lo = ns.length > 0 ? Math.log10(Math.min(...ns)) : 1;
  let hi = ns.length > 0 ? Math.log10(Math.max(...ns)) : 4;
  if (hi - lo < 1e-9) {
    lo -= 0.5;
    hi += 0.5;
  }
  const pad = Math.max(0.1, 0.04 * (hi - lo));
  lo -= pad;
  hi += pad;
  const scale = ((n: number) => PLOT_LEFT + ((Math.log10(n) - lo) / (hi - lo)) * (PLOT_RIGHT - PLOT_LEFT)) as LogAxis;
  const ticks: { n: number; label: boolean }[] = [];
  const decades: number[] = [];
  for (let k = Math.floor(lo); k <= Math.ceil(hi); k++) {
    for (let m = 1; m <= 9; m++) {
      const n = m * 10 ** k;
      const log = Math.log10(n);
      if (log < lo || log > hi) continue;
      if (m === 1) decades.push(n);
      ticks.push({ n, label: m === 1 });
    }
  }
  if (decades.length < 2) {
    // Less than a decade of data: label the measured N instead of the (absent) powers of ten.
    ticks.length = 0;
    for (const n of [...new Set(ns)].sort((a, b) => a - b)) ticks.push({ n, label: true });
  }
  scale.ticks = ticks;
  return scale;
}

function yAxis(y: Scale): string[] {
  const out = ['<g class="y-axis">'];
  for (let percent = 0; percent <= 100; percent += 10) {
    const py = fmt(y(percent / 100));
    out.push(`<line x1="${PLOT_LEFT}" y1="${py}" x2="${PLOT_RIGHT}" y2="${py}" stroke="${percent % 50 === 0 ? '#cccccc' : '#e8e8e8'}"/>`);
    out.push(`<text x="${PLOT_LEFT - 8}" y="${fmt(y(percent / 100) + 4)}" text-anchor="end" fill="#333333">${percent}</text>`);
  }
  const midY = fmt((PLOT_TOP + PLOT_BOTTOM) / 2);
  out.push(`<text x="22" y="${midY}" text-anchor="middle" transform="rotate(-90 22 ${midY})" fill="#222222">success (%)</text>`);
  out.push('</g>');
  return out;
}

function xAxis(x: LogAxis): string[] {
  const out = ['<g class="x-axis">'];
  for (const tick of x.ticks) {
    const px = fmt(x(tick.n));
    if (tick.label) {
      out.push(`<line x1="${px}" y1="${PLOT_TOP}" x2="${px}" y2="${PLOT_BOTTOM}" stroke="#e8e8e8"/>`);
      out.push(`<line x1="${px}" y1="${PLOT_BOTTOM}" x2="${px}" y2="${PLOT_BOTTOM + 6}" stroke="#444444"/>`);
      out.push(`<text x="${px}" y="${PLOT_BOTTOM + 20}" text-anchor="middle" fill="#333333">${formatCount(tick.n)}</text>`);
    } else {
      out.push(`<line x1="${px}" y1="${PLOT_BOTTOM}" x2="${px}" y2="${PLOT_BOTTOM + 3}" stroke="#444444"/>`);
    }
  }
  out.push(
    `<text x="${fmt((PLOT_LEFT + PLOT_RIGHT) / 2)}" y="${PLOT_BOTTOM + 42}" text-anchor="middle" fill="#222222">` +
      'training trajectories N (log scale)</text>',
  );
  out.push('</g>');
  return out;
}

/** The fit over all points, solid, and, for a saturated series, the fit up to saturation, dotted. */
function fitLine(series: CurveSeriesResult, colour: string, x: Scale, y: Scale): string[] {
  if (!series.fit || series.points.length === 0) return [];
  const minN = Math.min(...series.points.map((p) => p.n));
  const maxN = Math.max(...series.points.map((p) => p.n));
  const segment = (fit: LogLinearFit, from: number, to: number) =>
    [from, to].map((n) => `${fmt(x(n))},${fmt(y(fit.a + fit.b * Math.log10(n)))}`).join(' ');
  const out = [
    `<polyline class="fit" points="${segment(series.fit, minN, maxN)}" fill="none" stroke="${colour}" stroke-width="2" clip-path="url(#plot-area)"/>`,
  ];
  const sat = series.saturation;
  if (sat?.fit && sat.saturatedFrom !== null) {
    out.push(
      `<polyline class="fit-unsaturated" points="${segment(sat.fit, sat.fitRange[0], sat.fitRange[1])}" fill="none" stroke="${colour}" ` +
        'stroke-width="1.5" stroke-dasharray="2 3" clip-path="url(#plot-area)"/>',
    );
  }
  return out;
}

function seedPoints(series: CurveSeriesResult, colour: string, x: Scale, y: Scale): string[] {
  const seeds = [...new Set(series.points.map((p) => p.seed))].sort((a, b) => a - b);
  const spacing = seeds.length > 1 ? Math.min(3, 18 / (seeds.length - 1)) : 0;
  return series.points.map((p) => {
    const jitter = (seeds.indexOf(p.seed) - (seeds.length - 1) / 2) * spacing;
    const label = `N=${formatCount(p.n)}, seed ${p.seed}: ${p.successes}/${p.trials} (${formatPercent(p.successRate)} %)`;
    return (
      `<circle class="point" cx="${fmt(x(p.n) + jitter)}" cy="${fmt(y(p.successRate))}" r="2.8" fill="${colour}" fill-opacity="0.4">` +
      `<title>${escapeXml(label)}</title></circle>`
    );
  });
}

function pooledMeans(series: CurveSeriesResult, colour: string, x: Scale, y: Scale): string[] {
  const out: string[] = [];
  for (const pooled of poolByN(series.points)) {
    const px = x(pooled.n);
    const lo = fmt(y(pooled.wilson.lo));
    const hi = fmt(y(pooled.wilson.hi));
    out.push(
      `<path class="error-bar" d="M${fmt(px)},${lo}V${hi}M${fmt(px - 4)},${lo}H${fmt(px + 4)}M${fmt(px - 4)},${hi}H${fmt(px + 4)}" ` +
        `stroke="${colour}" stroke-width="1.5" fill="none"/>`,
    );
    const label =
      `N=${formatCount(pooled.n)}: ${pooled.successes}/${pooled.trials} (${formatPercent(pooled.pooledSuccessRate)} %), ` +
      `Wilson 95 % [${formatPercent(pooled.wilson.lo)}, ${formatPercent(pooled.wilson.hi)}], ${pooled.count} seeds`;
    out.push(
      `<circle class="mean" cx="${fmt(px)}" cy="${fmt(y(pooled.pooledSuccessRate))}" r="4.5" fill="${colour}" stroke="#ffffff" stroke-width="1.5">` +
        `<title>${escapeXml(label)}</title></circle>`,
    );
  }
  return out;
}

function saturationMark(series: CurveSeriesResult, index: number, colour: string, x: Scale): string[] {
  const from = series.saturation?.saturatedFrom;
  if (from === null || from === undefined) return [];
  const px = fmt(x(from));
  const name = series.name ? ` (${series.name})` : '';
  const before = series.saturation?.fit
    ? `; ${formatPercent(series.saturation.fit.b)} points/decade before (dotted), R² = ${series.saturation.fit.r2.toFixed(3)}`
    : '';
  // Labels right of the line, or left of it when the line is in the right half of the plot.
  const right = x(from) < (PLOT_LEFT + PLOT_RIGHT) / 2;
  return [
    `<line class="saturation" x1="${px}" y1="${PLOT_TOP}" x2="${px}" y2="${PLOT_BOTTOM}" stroke="${colour}" stroke-dasharray="5 4" stroke-opacity="0.8"/>`,
    `<text x="${fmt(x(from) + (right ? 4 : -4))}" y="${PLOT_TOP + 14 + 14 * index}" font-size="11" fill="${colour}" stroke="#ffffff" stroke-width="3" paint-order="stroke" ` +
      `text-anchor="${right ? 'start' : 'end'}">${escapeXml(`saturated from N=${formatCount(from)}${name}${before}`)}</text>`,
  ];
}

function legend(series: readonly CurveSeriesResult[]): string[] {
  const out = ['<g class="legend">'];
  const keyY = LEGEND_TOP;
  out.push(
    `<circle cx="${PLOT_LEFT + 6}" cy="${keyY - 4}" r="2.8" fill="#555555" fill-opacity="0.4"/>`,
    `<text x="${PLOT_LEFT + 16}" y="${keyY}" fill="#333333">one training seed</text>`,
    `<path d="M${PLOT_LEFT + 146},${keyY - 12}V${keyY + 4}M${PLOT_LEFT + 142},${keyY - 12}H${PLOT_LEFT + 150}M${PLOT_LEFT + 142},${keyY + 4}H${PLOT_LEFT + 150}" stroke="#555555" stroke-width="1.5" fill="none"/>`,
    `<circle cx="${PLOT_LEFT + 146}" cy="${keyY - 4}" r="4.5" fill="#555555" stroke="#ffffff" stroke-width="1.5"/>`,
    `<text x="${PLOT_LEFT + 158}" y="${keyY}" fill="#333333">all seeds pooled, Wilson 95 % interval</text>`,
    `<line x1="${PLOT_LEFT + 440}" y1="${keyY - 4}" x2="${PLOT_LEFT + 464}" y2="${keyY - 4}" stroke="#555555" stroke-width="2"/>`,
    `<text x="${PLOT_LEFT + 472}" y="${keyY}" fill="#333333">least-squares fit</text>`,
  );
  series.forEach((s, index) => {
    const rowY = keyY + LEGEND_ROW * (index + 1);
    const colour = SERIES_COLOURS[index % SERIES_COLOURS.length];
    out.push(
      `<line x1="${PLOT_LEFT}" y1="${rowY - 4}" x2="${PLOT_LEFT + 24}" y2="${rowY - 4}" stroke="${colour}" stroke-width="2"/>`,
      `<circle cx="${PLOT_LEFT + 12}" cy="${rowY - 4}" r="4.5" fill="${colour}" stroke="#ffffff" stroke-width="1.5"/>`,
      `<text x="${PLOT_LEFT + 32}" y="${rowY}" fill="#222222">${escapeXml(seriesLegendText(s))}</text>`,
    );
  });
  out.push('</g>');
  return out;
}

/**
 * The legend line of a series, in percentage points:
 * `wide: success (%) = 12.3 + 15.2·log10 N, R² = 0.981, b 95 % CI [13.1, 17.0]` with 5 or more
 * seeds; with 2 to 4 `b over 3 seeds 14.0–16.1 (< 5 seeds: no 95 % CI)`; with 1
 * `1 seed, no interval for b`.
 */
export function seriesLegendText(series: Pick<CurveSeriesResult, 'name' | 'fit' | 'slope'>): string {
  const name = series.name ? `${series.name}: ` : '';
  if (!series.fit) return `${name}no fit (fewer than 2 distinct N)`;
  const { a, b, r2 } = series.fit;
  const sign = b < 0 ? '−' : '+';
  const text = `${name}success (%) = ${formatPercent(a)} ${sign} ${formatPercent(Math.abs(b))}·log10 N, R² = ${r2.toFixed(3)}`;
  return series.slope ? `${text}, ${uncertaintyText('b', series.slope)}` : text;
}

/**
 * The uncertainty of a rate-valued statistic in percentage points, saying what kind it is:
 * `b 95 % CI [13.1, 17.0]`, `b over 3 seeds 14.0–16.1 (< 5 seeds: no 95 % CI)`,
 * `1 seed, no interval for b`. `format` turns a value into text (default: percentage points).
 */
export function uncertaintyText(label: string, uncertainty: Uncertainty, format: (value: number) => string = formatPercent): string {
  switch (uncertainty.kind) {
    case 'bootstrap':
      return `${label} ${formatPercent(uncertainty.level, 0)} % CI [${format(uncertainty.interval.lo)}, ${format(uncertainty.interval.hi)}]`;
    case 'seed-range':
      return (
        `${label} over ${uncertainty.usableSeeds} seeds ${format(uncertainty.range.lo)}–${format(uncertainty.range.hi)} ` +
        `(< ${MIN_SEEDS_FOR_INTERVAL} seeds: no 95 % CI)`
      );
    case 'none':
      return uncertainty.seeds <= 1 ? `1 seed, no interval for ${label}` : `no interval for ${label} (${uncertainty.reason})`;
  }
}

/** A rate (fraction) as a percentage with `digits` decimals, minus sign as U+2212: `−3.5`. */
export function formatPercent(rate: number, digits = 1): string {
  const text = (rate * 100).toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : text.replace('-', '−');
}

/** A count with thousands separators: `10,000`. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** An SVG coordinate with at most 2 decimals. */
function fmt(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return String(rounded === 0 ? 0 : rounded);
}
