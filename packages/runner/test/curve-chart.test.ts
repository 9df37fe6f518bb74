import { describe, it, expect } from 'vitest';
import { uniform01 } from '@gripgen/sim-core';
import { analyzeCurveSeries, curvePoint } from '../src/curve/analysis.js';
import { bestFormText, renderCurveSvg } from '../src/curve/chart-svg.js';
import { fittedRate } from '../src/curve/curve-forms.js';
import { escapeXml } from '../src/curve/escape.js';
import { describeComparison } from '../src/curve/form-comparison.js';
import { countDistinctColours, rasterizeSvg, svgToPng } from '../src/curve/chart-png.js';
import { renderReportHtml } from '../src/curve/report-html.js';
import { writeCsv, writeSeriesCsv, CSV_COLUMNS } from '../src/curve/curve-files.js';
import { CURVE_SCHEMA_VERSION, type CurvePoint, type CurveReport, type CurveSeriesResult } from '../src/curve/curve-types.js';

const NS = [10, 30, 100, 300, 1000, 3000, 10000];
const SEEDS = [0, 1, 2];

/** `seeds` seeds (default 3) × 7 N around `a + b·log10 N`, capped at `cap`, 50 evaluation episodes each. */
function syntheticSeries(name: string, a: number, b: number, cap: number, salt: number, seeds: readonly number[] = SEEDS): CurveSeriesResult {
  const points: CurvePoint[] = [];
  for (const n of NS) {
    for (const seed of seeds) {
      const rate = Math.min(cap, Math.max(0, a + b * Math.log10(n) + (uniform01(salt, n, seed, 0) - 0.5) * 0.1));
      const trials = 50;
      let successes = 0;
      for (let t = 0; t < trials; t++) if (uniform01(salt, n, seed, 1 + t) < rate) successes++;
      points.push(curvePoint({ n, seed, successes, trials, trainSeconds: n / 100, evalSeconds: 2.5, finalLoss: 0.1 / Math.sqrt(n) }));
    }
  }
  return analyzeCurveSeries({ name, points }, { bootstrapSeed: 1, resamples: 300 });
}

const XML_NAME = String.raw`[A-Za-z_:][-A-Za-z0-9_:.]*`;
const START_TAG = new RegExp(String.raw`<(${XML_NAME})((?:\s+${XML_NAME}\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(/?)>`, 'y');
const END_TAG = new RegExp(String.raw`</(${XML_NAME})\s*>`, 'y');
const ATTRIBUTE = new RegExp(String.raw`(${XML_NAME})\s*=\s*(?:"([^"]*)"|'([^']*)')`, 'g');
const BAD_REFERENCE = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;

/**
 * A small XML well-formedness check (no DTD, no namespaces): tags nest and match, attributes
 * are quoted and unique, `<` and `&` appear only as markup or valid references, one root
 * element. Returns the number of elements; throws on the first error.
 */
function checkWellFormedXml(text: string): number {
  const stack: string[] = [];
  let elements = 0;
  let roots = 0;
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`not well-formed at ${i}: ${why}: ${JSON.stringify(text.slice(i, i + 60))}`);
  };
  const checkText = (chunk: string) => {
    if (BAD_REFERENCE.test(chunk)) fail('bare & or unknown reference');
    if (stack.length === 0 && chunk.trim() !== '') fail('text outside the root element');
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      checkText(text.slice(i));
      break;
    }
    checkText(text.slice(i, lt));
    i = lt;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      if (end < 0) fail('unterminated processing instruction');
      i = end + 2;
    } else if (text.startsWith('<!DOCTYPE', i)) {
      if (elements > 0) fail('DOCTYPE after the root');
      i = text.indexOf('>', i) + 1;
    } else if (text.startsWith('</', i)) {
      END_TAG.lastIndex = i;
      const m = END_TAG.exec(text) ?? fail('malformed end tag');
      if (stack.pop() !== m[1]) fail(`</${m[1]}> does not close the open element`);
      i = END_TAG.lastIndex;
    } else {
      START_TAG.lastIndex = i;
      const m = START_TAG.exec(text) ?? fail('malformed start tag');
      const names = new Set<string>();
      for (const a of m[2].matchAll(ATTRIBUTE)) {
        if (names.has(a[1])) fail(`duplicate attribute ${a[1]}`);
        names.add(a[1]);
        if (BAD_REFERENCE.test(a[2] ?? a[3])) fail('bare & in an attribute');
      }
      if (stack.length === 0 && ++roots > 1) fail('second root element');
      elements++;
      if (m[3] !== '/') stack.push(m[1]);
      i = START_TAG.lastIndex;
    }
  }
  if (stack.length > 0) throw new Error(`not well-formed: unclosed <${stack.join('> <')}>`);
  if (roots !== 1) throw new Error('not well-formed: no root element');
  return elements;
}

const countClass = (svg: string, name: string) => svg.split(`class="${name}"`).length - 1;

describe('checkWellFormedXml (the test helper)', () => {
  it('rejects what it should', () => {
    expect(checkWellFormedXml('<svg a="1"><g/><text>x &amp; y</text></svg>')).toBe(3);
    expect(() => checkWellFormedXml('<svg><g></svg>')).toThrow(/does not close/);
    expect(() => checkWellFormedXml('<svg>a & b</svg>')).toThrow(/bare &/);
    expect(() => checkWellFormedXml('<svg a="<"></svg>')).toThrow(/malformed/);
    expect(() => checkWellFormedXml('<svg a="1" a="2"></svg>')).toThrow(/duplicate/);
    expect(() => checkWellFormedXml('<svg></svg><svg></svg>')).toThrow(/second root/);
    expect(() => checkWellFormedXml('<svg><g>')).toThrow(/unclosed/);
  });
});

describe('renderCurveSvg', () => {
  const narrow = syntheticSeries('narrow', -0.05, 0.28, 0.8, 1);
  const wide = syntheticSeries('wide', -0.15, 0.2, 1, 2);

  it('draws one point per (N, seed), one mean and error bar per N, every fitted form per series', () => {
    const svg = renderCurveSvg({ title: 'pick-cube', series: [narrow, wide] });
    checkWellFormedXml(svg);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(countClass(svg, 'point')).toBe(2 * NS.length * SEEDS.length);
    expect(countClass(svg, 'mean')).toBe(2 * NS.length);
    expect(countClass(svg, 'error-bar')).toBe(2 * NS.length);
    expect(countClass(svg, 'form-fit')).toBe(2 * 3);
    for (const form of ['log-linear', 'power-law', 'logistic']) expect(svg.split(`data-form="${form}"`).length - 1).toBe(2);
    for (const label of ['>10<', '>100<', '>1,000<', '>10,000<', '>0<', '>50<', '>100<']) expect(svg).toContain(label);
    expect(svg).toContain('training trajectories N (log scale)');
    // The legend names the forms by their line style and, per series, the best one.
    for (const name of ['>log-linear<', '>power law<', '>logistic<']) expect(svg).toContain(name);
    expect(countClass(svg, 'best-form')).toBe(2);
    // Three seeds: the range of the single-seed slopes, said to be no 95 % interval.
    expect(svg).toMatch(/least squares: success \(%\) = −?[\d.]+ [+−] [\d.]+·log10 N, R² = [\d.]+, b over 3 seeds [\d.−]+–[\d.−]+ \(&lt; 5 seeds: no 95 % CI\)/);
    expect(svg).not.toContain('b 95 % CI');
    expect(svg).not.toMatch(/url\((?!#)|href=|<image|@import|@font-face/);
  });

  it('draws each form through its fitted rates, the best one thick, and names the best form in the legend', () => {
    const svg = renderCurveSvg({ title: 't', series: [wide] });
    const lines = [...svg.matchAll(/<polyline class="form-fit" data-form="([a-z-]+)"( data-best="true")? points="([^"]+)"/g)];
    expect(lines).toHaveLength(3);
    for (const [, form, , coordinates] of lines) {
      const fit = wide.forms!.fits.find((f) => f.form === form)!;
      const ys = coordinates.split(' ').map((xy) => Number(xy.split(',')[1]));
      // y = 52 + (1 − rate)·340 (PLOT_TOP, plot height): the first and last samples are the fitted rates at the smallest and largest N.
      expect(ys[0]).toBeCloseTo(52 + (1 - fittedRate(fit, NS[0])) * 340, 1);
      expect(ys[ys.length - 1]).toBeCloseTo(52 + (1 - fittedRate(fit, NS[NS.length - 1])) * 340, 1);
    }
    const best = wide.forms!.best;
    const thick = lines.filter((l) => l[2] !== undefined).map((l) => l[1]);
    expect(thick).toEqual(best ? [best] : []);
    const text = bestFormText(wide);
    expect(svg).toContain(escapeXml(text));
    if (best) expect(text).toMatch(new RegExp(`^wide: best fit ${best === 'power-law' ? 'power law' : best} \\(thick line; Q?AICc, next .* at Δ [\\d.]+\\)$`));
    else expect(text).toMatch(/^wide: no form clearly best by Q?AICc \(.* within 2\)$/);
  });

  it('names a clear winner: data drawn from a logistic with 5 seeds and many trials', () => {
    const points: CurvePoint[] = [];
    for (const n of NS) {
      for (const seed of [0, 1, 2, 3, 4]) {
        const p = 0.9 / (1 + Math.exp(-2.5 * (Math.log10(n) - 2)));
        const trials = 2000;
        let successes = 0;
        for (let t = 0; t < trials; t++) if (uniform01(7, n, seed, t) < p) successes++;
        points.push(curvePoint({ n, seed, successes, trials, trainSeconds: 1, evalSeconds: 1, finalLoss: 0.1 }));
      }
    }
    const series = analyzeCurveSeries({ name: 'logistic', points }, { resamples: 200 });
    expect(series.forms!.best).toBe('logistic');
    const svg = renderCurveSvg({ title: 't', series: [series] });
    expect(svg).toContain('logistic: best fit logistic (thick line;');
    expect(svg).toMatch(/data-form="logistic" data-best="true"/);
  });

  it('says which fitted forms the criterion could not rank (4 points: no AICc for the 3-parameter logistic)', () => {
    const four = analyzeCurveSeries({ name: 'four', points: wide.points.filter((p) => p.seed === 0 && p.n <= 1000 && p.n >= 30) }, { resamples: 50 });
    expect(four.forms!.fits.map((f) => [f.form, f.criterion === null])).toEqual([['log-linear', false], ['power-law', false], ['logistic', true]]);
    expect(bestFormText(four)).toMatch(/; logistic unranked: no AICc from 4 points\)$/);
    expect(describeComparison(four.forms!)).toContain('; logistic not compared (no AICc from 4 points)');
    expect(describeComparison(wide.forms!)).not.toContain('not compared');
  });

  it('labels the axis, points and fits in D for a coverage law', () => {
    const scenes = analyzeCurveSeries(
      { name: 'wide', points: wide.points.filter((p) => p.n <= 1000).map((p) => ({ ...p, n: p.n / 10 })) },
      { resamples: 100, variable: { kind: 'scenes', trajectories: 1000 } },
    );
    expect(scenes.forms!.fits.map((f) => f.formula)).toEqual(['s = a + b·log10 D', '1 − s = c·D^(−α)', 's = L / (1 + exp(−k·(log10 D − x0)))']);
    const svg = renderCurveSvg({ title: 't', series: [scenes], variable: { kind: 'scenes', trajectories: 1000 } });
    checkWellFormedXml(svg);
    expect(svg).toContain('distinct scenes D (log scale; N = 1,000 trajectories each)');
    expect(svg).toContain('<title>D=1, seed 0:');
    expect(svg).toMatch(/least squares: success \(%\) = .*·log10 D/);
    expect(svg).not.toContain('training trajectories N');
  });

  it('labels the slope interval a 95 % CI only from 5 seeds, and gives none from 1', () => {
    const five = syntheticSeries('five', -0.05, 0.28, 0.8, 3, [0, 1, 2, 3, 4]);
    expect(renderCurveSvg({ title: 't', series: [five] })).toMatch(/least squares: success .*, b 95 % CI \[[\d.−]+, [\d.−]+\]/);
    const one = syntheticSeries('one', -0.05, 0.28, 0.8, 4, [0]);
    const svg = renderCurveSvg({ title: 't', series: [one] });
    expect(svg).toContain('1 seed, no interval for b');
    expect(svg).not.toMatch(/CI|range/);
  });

  it('marks saturation', () => {
    expect(narrow.saturation?.saturatedFrom).not.toBeNull();
    const svg = renderCurveSvg({ title: 't', series: [narrow] });
    expect(countClass(svg, 'saturation')).toBe(1);
    expect(svg).toContain(`saturated from N=${narrow.saturation!.saturatedFrom!.toLocaleString('en-US')} (narrow)`);
  });

  it('escapes the title and series names', () => {
    const nasty = `<b>"A & B"</b> 'q' ]]>`;
    const svg = renderCurveSvg({ title: nasty, series: [{ ...narrow, name: nasty }] });
    checkWellFormedXml(svg);
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;b&gt;&quot;A &amp; B&quot;&lt;/b&gt; &#39;q&#39; ]]&gt;');
  });

  it('stays well-formed without a fit or without data', () => {
    const oneN = analyzeCurveSeries({ name: 'one', points: narrow.points.filter((p) => p.n === 100) });
    const svg = renderCurveSvg({ title: 'one N', series: [oneN] });
    checkWellFormedXml(svg);
    expect(countClass(svg, 'point')).toBe(SEEDS.length);
    expect(countClass(svg, 'mean')).toBe(1);
    expect(countClass(svg, 'form-fit')).toBe(0);
    expect(svg).toContain('no fit (fewer than 2 distinct N)');
    expect(svg).toContain('one: no fitted forms');
    const empty = renderCurveSvg({ title: 'empty', series: [] });
    checkWellFormedXml(empty);
    expect(countClass(empty, 'point')).toBe(0);
  });
});

describe('svgToPng', () => {
  const svg = renderCurveSvg({ title: 'pick-cube', series: [syntheticSeries('narrow', -0.05, 0.28, 0.8, 1)] });
  const svgWidth = Number(/width="(\d+)"/.exec(svg)![1]);
  const svgHeight = Number(/height="(\d+)"/.exec(svg)![1]);

  it('writes a PNG of the requested width', () => {
    const png = svgToPng(svg, { width: 900 });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const header = new DataView(png.buffer, png.byteOffset, png.byteLength);
    expect(new TextDecoder().decode(png.subarray(12, 16))).toBe('IHDR');
    expect(header.getUint32(16)).toBe(900);
    expect(header.getUint32(20)).toBe(Math.round((900 * svgHeight) / svgWidth));
  });

  it('draws a non-blank image, and the same PNG as rasterizeSvg', () => {
    const image = rasterizeSvg(svg, { width: 600 });
    expect(image.width).toBe(600);
    expect(image.pixels.length).toBe(image.width * image.height * 4);
    expect(countDistinctColours(image.pixels)).toBeGreaterThan(10);
    expect(image.png).toEqual(svgToPng(svg, { width: 600 }));
  });

  it('finds a font: text alone changes pixels', () => {
    const page = (body: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="#fff"/>${body}</svg>`;
    const blank = rasterizeSvg(page(''), { width: 200 });
    const text = rasterizeSvg(page('<text x="10" y="28" font-family="sans-serif" font-size="20">N = 1,000</text>'), { width: 200 });
    expect(countDistinctColours(blank.pixels)).toBe(1);
    expect(countDistinctColours(text.pixels)).toBeGreaterThan(1);
  });

  it('rejects a bad width', () => {
    expect(() => svgToPng(svg, { width: 0 })).toThrow(RangeError);
  });
});

describe('renderReportHtml', () => {
  const series = [syntheticSeries('narrow', -0.05, 0.28, 0.8, 1), syntheticSeries('wide', -0.15, 0.2, 1, 2)];
  const report: CurveReport = {
    schemaVersion: CURVE_SCHEMA_VERSION,
    variable: { kind: 'trajectories' },
    title: 'pick-cube <curve> & "coverage"',
    createdAt: '2025-01-02T03:04:05.000Z',
    config: { task: 'pick-cube', ns: NS, seeds: SEEDS, note: '</pre><script>alert(1)</script>' },
    series,
    timings: { total: 754.2, data: 12.5, train: 431.25, evaluate: 80.1 },
    adapter: null,
    machine: { cpuModel: 'Test CPU <x>', cores: 2, memoryGiB: 8, node: 'v20.19.0', platform: 'linux', arch: 'x64' },
  };
  const html = renderReportHtml(report);

  it('is one self-contained, well-formed page', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    checkWellFormedXml(html);
    expect(html).not.toMatch(/<script|<link|<img|src=|href=|@import|url\((?!#)/);
    expect(html.match(/https?:\/\/[^"\s]*/g)).toEqual(['http://www.w3.org/2000/svg']);
    expect(countClass(html, 'point')).toBe(2 * NS.length * SEEDS.length);
  });

  it('holds every point, the fit, the configuration, timings, adapter and machine, escaped', () => {
    expect(countClass(html, 'point-row')).toBe(2 * NS.length * SEEDS.length);
    expect(html).toContain('<h1>pick-cube &lt;curve&gt; &amp; &quot;coverage&quot;</h1>');
    expect(html).toContain('&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;task&quot;: &quot;pick-cube&quot;');
    expect(html).toMatch(/success \(%\) = −?[\d.]+ [+−] [\d.]+·log10 N, R² = [\d.]+, b over 3 seeds/);
    expect(html).toContain('saturated from N = ');
    expect(html).toContain('431.3');
    expect(html).toContain('None: nothing ran on a GPU.');
    expect(html).toContain('Test CPU &lt;x&gt;');
    const p = series[0].points[4];
    expect(html).toContain(`<td class="num">${p.successes} / ${p.trials}</td>`);
  });

  it('says how long the run took and on what machine, at the top', () => {
    expect(html).toContain(
      '<p class="meta run">Ran 12 min 34 s (data 12.5 s, train 7 min 11 s summed over parallel trainings, evaluate 1 min 20 s; cached points excluded) on Test CPU &lt;x&gt; (2 cores, 8 GiB), node v20.19.0, linux x64; no GPU.</p>',
    );
    expect(html.indexOf('class="meta run"')).toBeLessThan(html.indexOf('<h2>Fit</h2>'));
  });

  it('shows the competing fits, every point\'s residual per form, and the extrapolation test per series', () => {
    expect(html).toContain('<h2>Competing fits</h2>');
    expect(countClass(html, 'form-row')).toBe(2 * 3);
    // One residual row per (N, seed) point, with the fitted rate, residual and Pearson residual of each form.
    expect(countClass(html, 'residual-row')).toBe(2 * NS.length * SEEDS.length);
    const rows = [...html.matchAll(/<tr class="residual-row">(.*?)<\/tr>/g)].map((m) => [...m[1].matchAll(/<td class="num">([^<]*)<\/td>/g)].map((c) => c[1]));
    const [first] = series;
    const p = first.points[4];
    const row = rows[4];
    expect(row.slice(0, 3)).toEqual([p.n.toLocaleString('en-US'), String(p.seed), (100 * p.successRate).toFixed(1)]);
    first.forms!.fits.forEach((f, k) => {
      expect(Number(row[3 + 3 * k])).toBeCloseTo(100 * fittedRate(f, p.n), 1);
      expect(Number(row[4 + 3 * k].replace('−', '-'))).toBeCloseTo(100 * f.residuals[4], 1);
      expect(Number(row[5 + 3 * k].replace('−', '-'))).toBeCloseTo(f.pearsonResiduals[4], 2);
    });
    expect(countClass(html, 'extrapolation-row')).toBe(series.reduce((s, x) => s + x.extrapolation!.predictions.length, 0));
    for (const formula of ['s = a + b·log10 N', '1 − s = c·N^(−α)', 's = L / (1 + exp(−k·(log10 N − x0)))']) expect(html).toContain(formula);
    expect(html).toMatch(/(fits best by Q?AICc|no form is clearly better by Q?AICc)/);
    expect(html).toContain('3 training seeds, fewer than 5: no 95 % intervals; brackets are the range over single-seed fits.');
    expect(html).toContain('every form fitted on the 15 points at N ≤ 1,000 only, predicting N = 10,000');
    const measured = series[0].extrapolation!.measured;
    expect(html).toContain(`${(100 * measured.successRate).toFixed(1)} (${measured.successes} / ${measured.trials})`);
  });

  it('shows the adapter when there is one', () => {
    const withGpu = renderReportHtml({
      ...report,
      adapter: { vendor: 'nvidia', architecture: 'hopper', device: 'H100', description: '', isSoftware: false },
    });
    expect(withGpu).toContain('<th>architecture</th><td>hopper</td>');
  });
});

describe('writeCsv', () => {
  const points = [
    curvePoint({ n: 10, seed: 0, successes: 3, trials: 10, trainSeconds: 1.5, evalSeconds: 0.25, finalLoss: 0.125 }),
    curvePoint({ n: 100, seed: 1, successes: 10, trials: 10, trainSeconds: 15, evalSeconds: 0.5, finalLoss: 0.0625 }),
  ];

  it('writes a header row and one row per point', () => {
    const lines = writeCsv(points).split('\n');
    expect(lines).toHaveLength(4); // header, 2 rows, trailing empty
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines[0]).toBe('n,seed,successes,trials,success_rate,wilson_lo,wilson_hi,train_seconds,eval_seconds,final_loss');
    expect(lines[2]).toBe(`100,1,10,10,1,${points[1].wilson.lo},1,15,0.5,0.0625`);
    expect(lines[3]).toBe('');
    expect(Number(lines[1].split(',')[5])).toBe(points[0].wilson.lo);
  });

  it('quotes series names that need it', () => {
    const csv = writeSeriesCsv([{ name: 'wide, "v2"', points: [points[0]] }]);
    expect(csv.split('\n')[0]).toBe(`series,${CSV_COLUMNS.join(',')}`);
    expect(csv.split('\n')[1].startsWith('"wide, ""v2""",10,0,3,10,0.3,')).toBe(true);
  });
});
