/** Writes a curve report's files: JSON, CSV, SVG and PNG chart, self-contained HTML report. */
import { join } from 'node:path';
import { makeDirectory, writeFileAtomic } from '@gripgen/trajgen';
import { svgToPng } from './chart-png.js';
import { renderCurveSvg } from './chart-svg.js';
import { writeSeriesCsv } from './curve-files.js';
import type { CurveReport } from './curve-types.js';
import { renderReportHtml } from './report-html.js';
import { readCurveRollouts } from '../render/curve-rollouts.js';

/** Paths of the files {@link writeCurveArtifacts} wrote. */
export interface CurveArtifacts {
  json: string;
  csv: string;
  svg: string;
  png: string;
  html: string;
}

/** Width of the PNG chart in pixels. */
export const CURVE_PNG_WIDTH = 1200;

/**
 * Writes `curve.json`, `curve.csv`, `curve.svg`, `curve.png` and `report.html` into `dir`, each
 * atomically (a reader never sees a half-written file). The report embeds the rollout videos
 * listed in `dir`'s rollouts.json (`gripgen render --curve`), if any.
 */
export async function writeCurveArtifacts(dir: string, report: CurveReport): Promise<CurveArtifacts> {
  await makeDirectory(dir, 'create the curve directory');
  const svg = renderCurveSvg({ title: report.title, series: report.series, variable: report.variable });
  const files: CurveArtifacts = {
    json: join(dir, 'curve.json'),
    csv: join(dir, 'curve.csv'),
    svg: join(dir, 'curve.svg'),
    png: join(dir, 'curve.png'),
    html: join(dir, 'report.html'),
  };
  const contents: [string, string | Uint8Array][] = [
    [files.json, `${JSON.stringify(report, null, 2)}\n`],
    [files.csv, writeSeriesCsv(report.series)],
    [files.svg, svg],
    [files.png, svgToPng(svg, { width: CURVE_PNG_WIDTH })],
    [files.html, renderReportHtml(report, await readCurveRollouts(dir))],
  ];
  for (const [file, data] of contents) await writeFileAtomic(file, data);
  return files;
}
