import { addTaskWorld, SCENE_PALETTE, taskWorldBodies, type BoxBatch, type TaskWorldStyle, type ViewRegion } from '@gripgen/sim-core/render';
import type { WorldFrame } from '../motion/motion-source.js';
import type { GridLayout } from './grid-layout.js';

/** Fills `batch` with world `world` of `frame` as simulated (the whole table slab). */
export function buildFocusBoxes(batch: BoxBatch, frame: WorldFrame, world: number): void {
  batch.clear();
  addWorld(batch, frame, world, { table: 'slab' });
}

/** Fills `batch` with every world of `frame` on its grid tile; the focused world's tile is highlighted. */
export function buildGridBoxes(batch: BoxBatch, frame: WorldFrame, layout: GridLayout, focused: number): void {
  batch.clear();
  for (let w = 0; w < frame.numWorlds; w++) {
    const origin = layout.origin(w);
    const checker = (Math.floor(w / layout.columns) + (w % layout.columns)) % 2;
    const color = w === focused ? SCENE_PALETTE.tableFocused : checker === 0 ? SCENE_PALETTE.table : SCENE_PALETTE.tableAlt;
    addWorld(batch, frame, w, { origin, table: { min: layout.tileMin, max: layout.tileMax, color } });
  }
}

function addWorld(batch: BoxBatch, frame: WorldFrame, world: number, style: TaskWorldStyle): void {
  const obsSize = frame.obsNames.length;
  const numParams = frame.paramNames.length;
  const success = frame.signals[world * frame.signalNames.length] === 1;
  addTaskWorld(batch, frame.task, frame.obs, world * obsSize, frame.params, world * numParams, { ...style, success });
}

/** Half-size of the box around each thing of a world that the focus camera frames (m). */
const CONTENT_MARGIN = 0.12;

/**
 * Bounds of what matters in world `world` of `frame` — its objects, fixtures and the gripper
 * (every body but the table and the fingers, which stay by the hand) — with a margin: what the
 * focus camera frames.
 */
export function worldContentBounds(frame: WorldFrame, world: number): ViewRegion {
  const bodies = taskWorldBodies(frame.task, frame.obs, world * frame.obsNames.length, frame.params, world * frame.paramNames.length);
  const min: [number, number, number] = [Infinity, Infinity, 0];
  const max: [number, number, number] = [-Infinity, -Infinity, 0.15];
  for (const body of bodies) {
    if (body.role === 'table' || body.role === 'finger') continue;
    const p = body.position;
    for (let i = 0; i < 2; i++) {
      min[i] = Math.min(min[i], p[i] - CONTENT_MARGIN);
      max[i] = Math.max(max[i], p[i] + CONTENT_MARGIN);
    }
    max[2] = Math.max(max[2], p[2] + 0.08);
  }
  return { min, max };
}
