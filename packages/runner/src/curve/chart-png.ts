/**
 * SVG → PNG with resvg (`@resvg/resvg-js`, prebuilt native binaries). The native module is
 * loaded on first use, so importing `@gripgen/runner` does not need it.
 */
import { createRequire } from 'node:module';
import type { Resvg as ResvgClass, ResvgRenderOptions } from '@resvg/resvg-js';

/** Options of {@link svgToPng} and {@link rasterizeSvg}. */
export interface PngOptions {
  /** Width of the image in pixels; the height follows the SVG's aspect ratio. */
  width: number;
}

/** A rendered image: its PNG encoding and its RGBA pixels. */
export interface RasterImage {
  width: number;
  height: number;
  /** Non-premultiplied RGBA, 4 bytes per pixel, row by row. */
  pixels: Uint8Array;
  /** The PNG file. */
  png: Uint8Array;
}

/**
 * Fonts resvg uses: the system fonts (`/usr/share/fonts` on Linux; `scripts/setup.sh` installs
 * DejaVu), with DejaVu Sans for `sans-serif` and unnamed families. Without any system font,
 * resvg draws no text at all.
 */
export const RESVG_FONT_OPTIONS: NonNullable<ResvgRenderOptions['font']> = {
  loadSystemFonts: true,
  defaultFontFamily: 'DejaVu Sans',
  sansSerifFamily: 'DejaVu Sans',
};

/** Renders an SVG document to a PNG file `width` pixels wide. */
export function svgToPng(svg: string, options: PngOptions): Uint8Array {
  return new Uint8Array(render(svg, options).asPng());
}

/** Renders an SVG document once, returning both its pixels (for checks) and its PNG. */
export function rasterizeSvg(svg: string, options: PngOptions): RasterImage {
  const image = render(svg, options);
  return {
    width: image.width,
    height: image.height,
    pixels: new Uint8Array(image.pixels),
    png: new Uint8Array(image.asPng()),
  };
}

/** Number of distinct RGBA colours in `pixels`, counting no further than `stopAt`. */
export function countDistinctColours(pixels: Uint8Array, stopAt: number = Number.POSITIVE_INFINITY): number {
  const seen = new Set<number>();
  const words = new DataView(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  for (let i = 0; i + 3 < pixels.length && seen.size < stopAt; i += 4) seen.add(words.getUint32(i));
  return seen.size;
}

function render(svg: string, options: PngOptions) {
  if (!Number.isInteger(options.width) || options.width < 1) {
    throw new RangeError(`PNG width must be a positive integer, got ${options.width}`);
  }
  const renderer = new (loadResvg())(svg, {
    fitTo: { mode: 'width', value: options.width },
    font: RESVG_FONT_OPTIONS,
  });
  return renderer.render();
}

let resvgClass: typeof ResvgClass | undefined;

function loadResvg(): typeof ResvgClass {
  resvgClass ??= (createRequire(import.meta.url)('@resvg/resvg-js') as { Resvg: typeof ResvgClass }).Resvg;
  return resvgClass;
}
