/**
 * Colours of the renderer: sRGB triples in [0, 1], HSV conversions (an object's colour is a
 * randomized hue) and the palette of everything else in a scene.
 */

/** An sRGB colour, components in [0, 1]. */
export type Rgb = [number, number, number];

/** HSV → sRGB. `hue` wraps (any real number; 1 is a full turn), `saturation` and `value` in [0, 1]. */
export function hsvToRgb(hue: number, saturation: number, value: number, dst: Rgb = [0, 0, 0]): Rgb {
  const h = (((hue % 1) + 1) % 1) * 6;
  const sector = Math.floor(h) % 6;
  const f = h - Math.floor(h);
  const p = value * (1 - saturation);
  const q = value * (1 - saturation * f);
  const t = value * (1 - saturation * (1 - f));
  const table: Rgb[] = [
    [value, t, p],
    [q, value, p],
    [p, value, t],
    [p, q, value],
    [t, p, value],
    [value, p, q],
  ];
  const [r, g, b] = table[sector];
  dst[0] = r;
  dst[1] = g;
  dst[2] = b;
  return dst;
}

/** sRGB → HSV: `[hue in [0, 1), saturation, value]` (hue 0 for greys). */
export function rgbToHsv(r: number, g: number, b: number): [number, number, number] {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const d = max - min;
  let hue = 0;
  if (d > 0) {
    if (max === r) hue = ((g - b) / d + 6) % 6;
    else if (max === g) hue = (b - r) / d + 2;
    else hue = (r - g) / d + 4;
    hue /= 6;
  }
  return [hue, max > 0 ? d / max : 0, max];
}

/** Distance between two hues on the colour circle (0 … 0.5). */
export function hueDistance(a: number, b: number): number {
  const d = Math.abs((((a - b) % 1) + 1) % 1);
  return Math.min(d, 1 - d);
}

/** Saturation of the object colours (`<body>Hue` parameters); everything else in the scene is far less saturated. */
export const CUBE_SATURATION = 0.78;
/** Value (brightness) of the object colours. */
export const CUBE_VALUE = 0.92;

/** An object's colour for its randomized hue parameter (`<body>Hue`, e.g. pick-place's `cubeHue`). */
export function cubeColor(hue: number, dst: Rgb = [0, 0, 0]): Rgb {
  return hsvToRgb(hue, CUBE_SATURATION, CUBE_VALUE, dst);
}

/**
 * Colours of the parts of a world that have no randomized hue. All have saturation below 0.3,
 * so a saturated pixel of an object's hue can only be that object.
 */
export const SCENE_PALETTE = {
  /** The table (the fixed box whose top face is the plane z = 0). */
  table: [0.74, 0.72, 0.68] as Rgb,
  /** Grid tiles alternate between `table` and this. */
  tableAlt: [0.66, 0.65, 0.62] as Rgb,
  /** The focused world's tile in a grid. */
  tableFocused: [0.86, 0.8, 0.64] as Rgb,
  /** The table of a world whose `success` signal is set, when the scene has no fixtures to tint. */
  tableSuccess: [0.62, 0.74, 0.63] as Rgb,
  /** Fixed bodies other than the table (pick-place's bin). */
  fixture: [0.42, 0.47, 0.55] as Rgb,
  /** The fixtures of a world whose `success` signal is set. */
  fixtureSuccess: [0.45, 0.62, 0.48] as Rgb,
  palm: [0.24, 0.24, 0.27] as Rgb,
  finger: [0.34, 0.34, 0.38] as Rgb,
  /** A moving body without a hue parameter. */
  object: [0.58, 0.52, 0.45] as Rgb,
} as const;
