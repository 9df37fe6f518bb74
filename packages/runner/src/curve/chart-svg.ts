/**
 * The scaling-curve chart as a self-contained SVG: success (%) against N (or D, the distinct
 * scenes of a coverage law) on a log10 axis, one small dot per (N, seed), the pooled mean per N
 * with its Wilson 95 % interval, and every competing form fitted to the series (log-linear,
 * power law in the failure rate, logistic; `form-comparison.ts`) as its own line, with a legend
 * naming the form the criterion picks.
 */
import { MIN_SEEDS_FOR_INTERVAL } from './bootstrap.js';
import { fittedRate } from './curve-forms.js';
import type { CurveChartData, CurveFormName, CurveSeriesResult, CurveVariable, FormComparison, Uncertainty } from './curve-types.js';
import { variableAxisLabel, variableSymbol } from './curve-variable.js';
import { escapeXml } from './escape.js';
import { formLabel } from './form-comparison.js';
import { poolByN } from './stats.js';

/** Series colours, in order (a colour-blind-friendly palette); more series reuse them. */
export const SERIES_COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'];

/**
 * Fonts of the chart's text: widely installed sans-serif faces first (DejaVu Sans is what
 * resvg finds on Debian/Ubuntu), then the generic family. No font is embedded or fetched.
 */
export const CHART_FONT_FAMILY = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif";

/** Dash pattern of each form's line (`none`: solid); the series' colour says which series. */
export const FORM_DASHES: Readonly<Record<CurveFormName, string>> = {
  'log-linear': '8 4',
  'power-law': '2 3',
  logistic: 'none',
};

const WIDTH = 760;
const PLOT_LEFT = 72;
const PLOT_RIGHT = WIDTH - 24;
const PLOT_TOP = 52;
const PLOT_BOTTOM = PLOT_TOP + 340;
const LEGEND_TOP = PLOT_BOTTOM + 68;
const LEGEND_ROW = 18;
/** Points per fitted line, evenly spaced in log N. */
const LINE_SAMPLES = 64;

/**
 * Renders the chart as an SVG document (a string starting with `<svg`). Element classes are
 * stable for tools and tests: `point` (one per (N, seed)), `mean` (one per N and series),
 * `error-bar`, `form-fit` (one per fitted form and series, with `data-form` and, on the form the
 * criterion picks, `data-best="true"`), `saturation` (for each saturated series).
 */
export function renderCurveSvg(curve: CurveChartData): string {
  const height = LEGEND_TOP + LEGEND_ROW * (1 + 2 * curve.series.length) + 10;
  const x = logAxis(curve.series);
  const y = (rate: number) => PLOT_TOP + (1 - rate) * (PLOT_BOTTOM - PLOT_TOP);
  const symbol = variableSymbol(curve.variable);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ` +
      `font-family="${escapeXml(CHART_FONT_FAMILY)}" font-size="12" role="img">`,
    `<title>${escapeXml(curve.title)}</title>`,
    `<defs><clipPath id="plot-area"><rect x="${PLOT_LEFT}" y="${PLOT_TOP}" width="${PLOT_RIGHT - PLOT_LEFT}" height="${PLOT_BOTTOM - PLOT_TOP}"/></clipPath></defs>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${PLOT_LEFT}" y="30" font-size="${titleFontSize(curve.title)}" font-weight="bold" fill="#222222">${escapeXml(curve.title)}</text>`,
  );
  out.push(...yAxis(y), ...xAxis(x, curve.variable));
  out.push(`<rect x="${PLOT_LEFT}" y="${PLOT_TOP}" width="${PLOT_RIGHT - PLOT_LEFT}" height="${PLOT_BOTTOM - PLOT_TOP}" fill="none" stroke="#444444"/>`);

  const numSeries = curve.series.length;
  curve.series.forEach((series, index) => {
    const colour = SERIES_COLOURS[index % SERIES_COLOURS.length];
    const shift = (index - (numSeries - 1) / 2) * 6; // keeps series at the same N apart
    out.push(`<g class="series" data-series="${escapeXml(series.name)}">`);
    out.push(...saturationMark(series, index, colour, x, symbol));
    out.push(...formLines(series, colour, x, y));
    out.push(...seedPoints(series, colour, (n) => x(n) + shift, y, symbol));
    out.push(...pooledMeans(series, colour, (n) => x(n) + shift, y, symbol));
    out.push('</g>');
  });
  out.push(...legend(curve.series, symbol));
  out.push('</svg>');
  return out.join('\n');
}

/** 16 px, smaller for a title that would not fit across the plot (about 0.62 em per bold character), at least 10 px. */
function titleFontSize(title: string): number {
  return fittingFontSize(title, PLOT_RIGHT - PLOT_LEFT + 16, 16, 0.62);
}

/** The largest font size up to `max` (at least 9 px) at which `text` fits `width`, at about `em` of the size per character. */
function fittingFontSize(text: string, width: number, max: number, em = 0.56): number {
  return Math.max(9, Math.min(max, Math.floor((10 * width) / (em * Math.max(1, text.length))) / 10));
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

function xAxis(x: LogAxis, variable: CurveVariable | undefined): string[] {
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
      `${escapeXml(variableAxisLabel(variable))}</text>`,
  );
  out.push('</g>');
  return out;
}

/**
 * One line per fitted form over the series' range of N, in the series' colour and the form's
 * dash pattern; the form the criterion picks is drawn thicker.
 */
function formLines(series: CurveSeriesResult, colour: string, x: Scale, y: Scale): string[] {
  const fits = series.forms?.fits ?? [];
  if (fits.length === 0 || series.points.length === 0) return [];
  const lo = Math.log10(Math.min(...series.points.map((p) => p.n)));
  const hi = Math.log10(Math.max(...series.points.map((p) => p.n)));
  const out: string[] = [];
  for (const fit of fits) {
    const coordinates: string[] = [];
    for (let i = 0; i < LINE_SAMPLES; i++) {
      const n = 10 ** (lo + ((hi - lo) * i) / (LINE_SAMPLES - 1));
      const rate = fittedRate(fit, n);
      if (Number.isFinite(rate)) coordinates.push(`${fmt(x(n))},${fmt(y(rate))}`);
    }
    if (coordinates.length < 2) continue;
    const best = series.forms!.best === fit.form;
    const dash = FORM_DASHES[fit.form] === 'none' ? '' : ` stroke-dasharray="${FORM_DASHES[fit.form]}"`;
    out.push(
      `<polyline class="form-fit" data-form="${fit.form}"${best ? ' data-best="true"' : ''} points="${coordinates.join(' ')}" fill="none" ` +
        `stroke="${colour}" stroke-width="${best ? 2.6 : 1.4}"${dash} stroke-opacity="${best ? 1 : 0.85}" clip-path="url(#plot-area)">` +
        `<title>${escapeXml(`${series.name ? `${series.name}: ` : ''}${formLabel(fit.form)} ${fit.formula}`)}</title></polyline>`,
    );
  }
  return out;
}

function seedPoints(series: CurveSeriesResult, colour: string, x: Scale, y: Scale, symbol: string): string[] {
  const seeds = [...new Set(series.points.map((p) => p.seed))].sort((a, b) => a - b);
  const spacing = seeds.length > 1 ? Math.min(3, 18 / (seeds.length - 1)) : 0;
  return series.points.map((p) => {
    const jitter = (seeds.indexOf(p.seed) - (seeds.length - 1) / 2) * spacing;
    const label = `${symbol}=${formatCount(p.n)}, seed ${p.seed}: ${p.successes}/${p.trials} (${formatPercent(p.successRate)} %)`;
    return (
      `<circle class="point" cx="${fmt(x(p.n) + jitter)}" cy="${fmt(y(p.successRate))}" r="2.8" fill="${colour}" fill-opacity="0.4">` +
      `<title>${escapeXml(label)}</title></circle>`
    );
  });
}

function pooledMeans(series: CurveSeriesResult, colour: string, x: Scale, y: Scale, symbol: string): string[] {
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
      `${symbol}=${formatCount(pooled.n)}: ${pooled.successes}/${pooled.trials} (${formatPercent(pooled.pooledSuccessRate)} %), ` +
      `Wilson 95 % [${formatPercent(pooled.wilson.lo)}, ${formatPercent(pooled.wilson.hi)}], ${pooled.count} seeds`;
    out.push(
      `<circle class="mean" cx="${fmt(px)}" cy="${fmt(y(pooled.pooledSuccessRate))}" r="4.5" fill="${colour}" stroke="#ffffff" stroke-width="1.5">` +
        `<title>${escapeXml(label)}</title></circle>`,
    );
  }
  return out;
}

function saturationMark(series: CurveSeriesResult, index: number, colour: string, x: Scale, symbol: string): string[] {
  const from = series.saturation?.saturatedFrom;
  if (from === null || from === undefined) return [];
  const px = fmt(x(from));
  const name = series.name ? ` (${series.name})` : '';
  // Labels right of the line, or left of it when the line is in the right half of the plot.
  const right = x(from) < (PLOT_LEFT + PLOT_RIGHT) / 2;
  return [
    `<line class="saturation" x1="${px}" y1="${PLOT_TOP}" x2="${px}" y2="${PLOT_BOTTOM}" stroke="${colour}" stroke-dasharray="5 4" stroke-opacity="0.6"/>`,
    `<text x="${fmt(x(from) + (right ? 4 : -4))}" y="${PLOT_BOTTOM - 10 - 14 * index}" font-size="11" fill="${colour}" stroke="#ffffff" stroke-width="3" paint-order="stroke" ` +
      `text-anchor="${right ? 'start' : 'end'}">${escapeXml(`saturated from ${symbol}=${formatCount(from)}${name}`)}</text>`,
  ];
}

/**
 * The key (seed dot, pooled mean with its interval, one dash pattern per form), then two lines
 * per series: which form fits best, and the least-squares slope with its uncertainty.
 */
function legend(series: readonly CurveSeriesResult[], symbol: string): string[] {
  const out = ['<g class="legend">'];
  const keyY = LEGEND_TOP;
  const grey = '#555555';
  out.push(
    `<circle cx="${PLOT_LEFT + 6}" cy="${keyY - 4}" r="2.8" fill="${grey}" fill-opacity="0.4"/>`,
    `<text x="${PLOT_LEFT + 14}" y="${keyY}" fill="#333333">one seed</text>`,
    `<path d="M${PLOT_LEFT + 86},${keyY - 12}V${keyY + 4}M${PLOT_LEFT + 82},${keyY - 12}H${PLOT_LEFT + 90}M${PLOT_LEFT + 82},${keyY + 4}H${PLOT_LEFT + 90}" stroke="${grey}" stroke-width="1.5" fill="none"/>`,
    `<circle cx="${PLOT_LEFT + 86}" cy="${keyY - 4}" r="4.5" fill="${grey}" stroke="#ffffff" stroke-width="1.5"/>`,
    `<text x="${PLOT_LEFT + 96}" y="${keyY}" fill="#333333">seeds pooled, Wilson 95 %</text>`,
  );
  let keyX = PLOT_LEFT + 290;
  for (const form of Object.keys(FORM_DASHES) as CurveFormName[]) {
    const dash = FORM_DASHES[form] === 'none' ? '' : ` stroke-dasharray="${FORM_DASHES[form]}"`;
    out.push(
      `<line x1="${keyX}" y1="${keyY - 4}" x2="${keyX + 26}" y2="${keyY - 4}" stroke="${grey}" stroke-width="1.6"${dash}/>`,
      `<text x="${keyX + 32}" y="${keyY}" fill="#333333">${escapeXml(formLabel(form))}</text>`,
    );
    keyX += 32 + 8 * formLabel(form).length + 18;
  }
  series.forEach((s, index) => {
    const rowY = keyY + LEGEND_ROW * (2 * index + 1) + 6;
    const colour = SERIES_COLOURS[index % SERIES_COLOURS.length];
    out.push(
      `<line x1="${PLOT_LEFT}" y1="${rowY - 4}" x2="${PLOT_LEFT + 24}" y2="${rowY - 4}" stroke="${colour}" stroke-width="2.6"/>`,
      `<circle cx="${PLOT_LEFT + 12}" cy="${rowY - 4}" r="4.5" fill="${colour}" stroke="#ffffff" stroke-width="1.5"/>`,
      legendText('best-form', bestFormText(s), rowY, 12, '#222222'),
      legendText('least-squares', `least squares: ${seriesLegendText({ ...s, name: '' }, symbol)}`, rowY + LEGEND_ROW - 2, 11, '#555555'),
    );
  });
  out.push('</g>');
  return out;
}

/** A legend line right of the series key, shrunk to fit the chart's width. */
function legendText(className: string, text: string, y: number, size: number, colour: string): string {
  const size_ = fittingFontSize(text, WIDTH - 8 - (PLOT_LEFT + 32), size);
  return `<text class="${className}" x="${PLOT_LEFT + 32}" y="${y}" font-size="${size_}" fill="${colour}">${escapeXml(text)}</text>`;
}

/**
 * Which form fits a series best, for the chart's legend: `wide: best fit logistic (thick line;
 * QAICc, next power law at Δ 30.1)`, `wide: no form clearly best by AICc (log-linear, power law
 * within 2)`, or why there is no comparison.
 */
export function bestFormText(series: Pick<CurveSeriesResult, 'name' | 'forms'>): string {
  const name = series.name ? `${series.name}: ` : '';
  const comparison: FormComparison | null = series.forms;
  if (!comparison || comparison.fits.length === 0) return `${name}no fitted forms (fewer than 2 distinct points on the x axis)`;
  const { criterion, best, close } = comparison;
  const compared = comparison.fits.filter((f) => f.deltaCriterion !== null).sort((a, b) => a.deltaCriterion! - b.deltaCriterion!);
  const unranked = comparison.fits.filter((f) => f.criterion === null).map((f) => formLabel(f.form));
  const also = unranked.length > 0 ? `; ${unranked.join(', ')} unranked: no ${criterion} from ${comparison.points} points` : '';
  if (best) {
    const next = compared[1];
    return `${name}best fit ${formLabel(best)} (thick line; ${criterion}, next ${formLabel(next.form)} at Δ ${next.deltaCriterion!.toFixed(1)}${also})`;
  }
  if (close.length >= 2) return `${name}no form clearly best by ${criterion} (${close.map(formLabel).join(', ')} within 2${also})`;
  return `${name}forms not compared: too few points for ${criterion} (${comparison.points})`;
}

/**
 * The legend line of a series, in percentage points:
 * `wide: success (%) = 12.3 + 15.2·log10 N, R² = 0.981, b 95 % CI [13.1, 17.0]` with 5 or more
 * seeds; with 2 to 4 `b over 3 seeds 14.0–16.1 (< 5 seeds: no 95 % CI)`; with 1
 * `1 seed, no interval for b`. `symbol` names the x variable (default `N`; `D` for scenes).
 */
export function seriesLegendText(series: Pick<CurveSeriesResult, 'name' | 'fit' | 'slope'>, symbol: string = 'N'): string {
  const name = series.name ? `${series.name}: ` : '';
  if (!series.fit) return `${name}no fit (fewer than 2 distinct ${symbol})`;
  const { a, b, r2 } = series.fit;
  const sign = b < 0 ? '−' : '+';
  const text = `${name}success (%) = ${formatPercent(a)} ${sign} ${formatPercent(Math.abs(b))}·log10 ${symbol}, R² = ${r2.toFixed(3)}`;
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
