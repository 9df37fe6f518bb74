/** Number formatting for the panels. */

/** `value` with `digits` decimals, or `—` when not finite. */
export function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '—';
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * How a randomized parameter is shown, by the last word of its camel-case name (the naming of
 * the tasks' parameters: `cubeX`, `handYaw`, `cubeEdge`, `cubeMass`, `cubeFriction`, `cubeHue`,
 * `radius`, …). Other names show as plain numbers.
 */
const PARAM_FORMATS: [readonly string[], (v: number) => string][] = [
  [['X', 'Y', 'Z'], (v) => `${fixed(v * 100, 1)} cm`],
  [['Yaw', 'Pitch', 'Roll', 'Angle'], (v) => `${fixed((v * 180) / Math.PI, 1)}°`],
  [['Edge', 'Size', 'Radius', 'Height', 'Width', 'Length', 'Depth', 'Thickness'], (v) => `${fixed(v * 100, 2)} cm`],
  [['Mass'], (v) => `${fixed(v, 3)} kg`],
  [['Friction'], (v) => fixed(v, 2)],
  [['Hue'], (v) => fixed(v, 3)],
];

/** A parameter value with its unit. */
export function formatParam(name: string, value: number): string {
  const named = (word: string) => name.endsWith(word) || name === word.toLowerCase();
  const format = PARAM_FORMATS.find(([words]) => words.some(named))?.[1] ?? ((v: number) => fixed(v, 4));
  return format(value);
}
