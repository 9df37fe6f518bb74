/** Number formatting for the panels. */

/** `value` with `digits` decimals, or `—` when not finite. */
export function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '—';
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** How a randomized parameter is shown: its unit and a formatter. Unknown names show as plain numbers. */
const PARAM_FORMATS: Record<string, (v: number) => string> = {
  cubeX: (v) => `${fixed(v * 100, 1)} cm`,
  cubeY: (v) => `${fixed(v * 100, 1)} cm`,
  cubeYaw: (v) => `${fixed((v * 180) / Math.PI, 1)}°`,
  cubeEdge: (v) => `${fixed(v * 100, 2)} cm`,
  cubeMass: (v) => `${fixed(v, 3)} kg`,
  cubeFriction: (v) => fixed(v, 2),
  binX: (v) => `${fixed(v * 100, 1)} cm`,
  binY: (v) => `${fixed(v * 100, 1)} cm`,
  handX: (v) => `${fixed(v * 100, 1)} cm`,
  handY: (v) => `${fixed(v * 100, 1)} cm`,
  handZ: (v) => `${fixed(v * 100, 1)} cm`,
  handYaw: (v) => `${fixed((v * 180) / Math.PI, 1)}°`,
  cubeHue: (v) => fixed(v, 3),
};

/** A parameter value with its unit. */
export function formatParam(name: string, value: number): string {
  return (PARAM_FORMATS[name] ?? ((v: number) => fixed(v, 4)))(value);
}
