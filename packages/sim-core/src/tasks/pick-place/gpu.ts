import { CONTROL_LIMITS } from '../../controller/ee-controller.js';
import { FAULT_LIMITS } from '../../sim/fault-limits.js';
import type { GpuTaskProgram } from '../task.js';
import { SUCCESS_THRESHOLDS } from './evaluate.js';
import { PICK_PLACE_GEOMETRY as G, WORKSPACE } from './geometry.js';
import { P } from './params.js';

/** `cubeEdge` → `CUBE_EDGE`. */
function upperSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

function f32(v: number): string {
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

function constant(name: string, value: number | readonly number[]): string {
  if (typeof value === 'number') return `const ${name}: f32 = ${f32(value)};`;
  return `const ${name}: vec${value.length}f = vec${value.length}f(${value.map(f32).join(', ')});`;
}

/**
 * WGSL `const` declarations of every TS constant the kernels use — geometry (`G_*`),
 * workspace, control limits (`CTRL_*`), parameter columns (`P_*`), success thresholds
 * (`SUCCESS_*`) and fault limits (`FAULT_*`) — so the TS values stay the one source of truth.
 * Append to an assembled module (WGSL declarations are order-independent).
 */
export function pickPlaceWgslConstants(): string {
  const lines = ['// ---- generated from the TS constants (tasks/pick-place/gpu.ts) ----'];
  for (const [k, v] of Object.entries(G)) lines.push(constant(`G_${upperSnake(k)}`, v as number | readonly number[]));
  lines.push(constant('G_WORKSPACE_MIN', WORKSPACE.min), constant('G_WORKSPACE_MAX', WORKSPACE.max));
  for (const [k, v] of Object.entries(CONTROL_LIMITS)) lines.push(constant(`CTRL_${upperSnake(k)}`, v));
  for (const [k, v] of Object.entries(SUCCESS_THRESHOLDS)) lines.push(constant(`SUCCESS_${upperSnake(k)}`, v));
  for (const [k, v] of Object.entries(FAULT_LIMITS)) lines.push(constant(`FAULT_${upperSnake(k)}`, v));
  for (const [k, v] of Object.entries(P)) lines.push(`const P_${upperSnake(k)}: u32 = ${v}u;`);
  return lines.join('\n') + '\n';
}

/** Pick-place on the GPU: the `sim-step` kernels (the WGSL gripper world) and their constants. */
export const PICK_PLACE_GPU: GpuTaskProgram = { shader: 'sim-step', wgslConstants: pickPlaceWgslConstants };
