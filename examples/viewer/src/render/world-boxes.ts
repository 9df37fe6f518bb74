import { addPickPlaceWorld, PICK_PLACE_OBS, PICK_PLACE_PALETTE, type BoxBatch } from '@gripgen/sim-core/render';
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
    const color = w === focused ? PICK_PLACE_PALETTE.tableFocused : checker === 0 ? PICK_PLACE_PALETTE.table : PICK_PLACE_PALETTE.tableAlt;
    addWorld(batch, frame, w, { origin, table: { min: layout.tileMin, max: layout.tileMax, color } });
  }
}

function addWorld(batch: BoxBatch, frame: WorldFrame, world: number, style: Parameters<typeof addPickPlaceWorld>[5]): void {
  const obsSize = frame.obsNames.length;
  const numParams = frame.paramNames.length;
  const success = frame.signals[world * frame.signalNames.length] === 1;
  addPickPlaceWorld(batch, frame.obs, world * obsSize, frame.params, world * numParams, { ...style, success });
}

/** Half-size of the box around the cube, the gripper and the bin that the focus camera frames (m). */
const CONTENT_MARGIN = 0.12;

/** Bounds of what matters in world `world` of `frame` — cube, gripper, bin — with a margin: what the focus camera frames. */
export function worldContentBounds(frame: WorldFrame, world: number): { min: [number, number, number]; max: [number, number, number] } {
  const o = world * frame.obsNames.length;
  const points = [PICK_PLACE_OBS.cubePos, PICK_PLACE_OBS.eePos, PICK_PLACE_OBS.binPos].map((i) => [frame.obs[o + i], frame.obs[o + i + 1], frame.obs[o + i + 2]]);
  const min: [number, number, number] = [Infinity, Infinity, 0];
  const max: [number, number, number] = [-Infinity, -Infinity, 0.15];
  for (const p of points) {
    for (let i = 0; i < 2; i++) {
      min[i] = Math.min(min[i], p[i] - CONTENT_MARGIN);
      max[i] = Math.max(max[i], p[i] + CONTENT_MARGIN);
    }
    max[2] = Math.max(max[2], p[2] + 0.08);
  }
  return { min, max };
}
