import { BOX_FLAGS } from '@gripgen/shaders';
import { quatRotate } from '../math/quat.js';
import { PICK_PLACE_GEOMETRY as G, WORKSPACE } from '../tasks/pick-place/geometry.js';
import { PICK_PLACE_OBS_NAMES } from '../tasks/pick-place/observe.js';
import { P } from '../tasks/pick-place/params.js';
import type { BoxBatch } from './box-batch.js';
import { cubeColor, PICK_PLACE_PALETTE, type Rgb } from './color.js';

const obsIndex = (name: (typeof PICK_PLACE_OBS_NAMES)[number]) => PICK_PLACE_OBS_NAMES.indexOf(name);

/** Where each quantity the renderer needs sits in a pick-place observation row. */
export const PICK_PLACE_OBS = {
  eePos: obsIndex('ee_pos_x'),
  eeQuat: obsIndex('ee_quat_x'),
  gripperOpening: obsIndex('gripper_opening'),
  cubePos: obsIndex('cube_pos_x'),
  cubeQuat: obsIndex('cube_quat_x'),
  binPos: obsIndex('bin_pos_x'),
} as const;

/** The part of a pick-place world where things happen (the controller's workspace, table to 35 cm). */
export const PICK_PLACE_VIEW_REGION = {
  min: [WORKSPACE.min[0], WORKSPACE.min[1], 0] as [number, number, number],
  max: [WORKSPACE.max[0], WORKSPACE.max[1], 0.35] as [number, number, number],
};

/** A rectangle of the table drawn as a thin tile instead of the whole slab (grid views). */
export interface TableTile {
  /** Corners of the tile in the world's own frame (m). */
  min: readonly [number, number];
  max: readonly [number, number];
  color: Rgb;
}

/** How {@link addPickPlaceWorld} draws a world. */
export interface PickPlaceWorldStyle {
  /** Where the world's origin lands in the drawing (m); default [0, 0, 0]. */
  origin?: ArrayLike<number>;
  /** The table: `slab` (as simulated: 1.6 m square, 10 cm thick; default) or a tile. */
  table?: 'slab' | TableTile;
  /** Tint the bin to show the world's `success` signal. */
  success?: boolean;
}

const IDENTITY = [0, 0, 0, 1] as const;
const scratch = { a: [0, 0, 0], b: [0, 0, 0], q: [0, 0, 0, 1], color: [0, 0, 0] as Rgb };

/**
 * Adds the boxes of one pick-place world — table (or tile), the bin's four walls, the gripper's
 * palm and two fingers, the cube — from its observation row (`obs` at `obsOffset`, see
 * `PICK_PLACE_OBS_NAMES`) and its randomized parameters (`params` at `paramsOffset`: cube edge
 * and hue). Fingers are placed symmetrically at half the observed opening. The same inputs
 * come from a live Sim (`StepResult.obs`, `Sim.paramTable`) or from a recorded dataset.
 */
export function addPickPlaceWorld(
  batch: BoxBatch,
  obs: ArrayLike<number>,
  obsOffset: number,
  params: ArrayLike<number>,
  paramsOffset: number,
  style: PickPlaceWorldStyle = {},
): void {
  const origin = style.origin ?? [0, 0, 0];
  const at = (x: number, y: number, z: number, dst: number[]) => {
    dst[0] = origin[0] + x;
    dst[1] = origin[1] + y;
    dst[2] = origin[2] + z;
    return dst;
  };
  const { a, b, q } = scratch;
  const table = style.table ?? 'slab';
  if (table === 'slab') {
    batch.add(at(0, 0, -G.tableHalfExtents[2], a), IDENTITY, G.tableHalfExtents, PICK_PLACE_PALETTE.table, BOX_FLAGS.ground | BOX_FLAGS.noShadow);
  } else {
    const thickness = 0.01;
    at((table.min[0] + table.max[0]) / 2, (table.min[1] + table.max[1]) / 2, -thickness, a);
    b[0] = (table.max[0] - table.min[0]) / 2;
    b[1] = (table.max[1] - table.min[1]) / 2;
    b[2] = thickness;
    batch.add(a, IDENTITY, b, table.color, BOX_FLAGS.ground | BOX_FLAGS.noShadow);
  }

  const o = obsOffset;
  const binX = obs[o + PICK_PLACE_OBS.binPos];
  const binY = obs[o + PICK_PLACE_OBS.binPos + 1];
  const wallOffset = G.binInnerHalfSize + G.binWallHalfThickness;
  const wallHalfLength = G.binInnerHalfSize + 2 * G.binWallHalfThickness;
  const wallHalfHeight = G.binRimHeight / 2;
  const binColor = style.success ? PICK_PLACE_PALETTE.binSuccess : PICK_PLACE_PALETTE.bin;
  for (const side of [1, -1]) {
    batch.add(at(binX + side * wallOffset, binY, wallHalfHeight, a), IDENTITY, [G.binWallHalfThickness, wallHalfLength, wallHalfHeight], binColor);
    batch.add(at(binX, binY + side * wallOffset, wallHalfHeight, a), IDENTITY, [G.binInnerHalfSize, G.binWallHalfThickness, wallHalfHeight], binColor);
  }

  for (let i = 0; i < 4; i++) q[i] = obs[o + PICK_PLACE_OBS.eeQuat + i];
  const hx = obs[o + PICK_PLACE_OBS.eePos], hy = obs[o + PICK_PLACE_OBS.eePos + 1], hz = obs[o + PICK_PLACE_OBS.eePos + 2];
  const handPoint = (x: number, y: number, z: number) => {
    quatRotate(b, q, [x, y, z]);
    return at(hx + b[0], hy + b[1], hz + b[2], a);
  };
  batch.add(handPoint(0, 0, G.palmCenterZ), q, G.palmHalfExtents, PICK_PLACE_PALETTE.palm);
  const fingerY = G.fingerHalfExtents[1] + Math.max(0, obs[o + PICK_PLACE_OBS.gripperOpening]) / 2;
  for (const side of [1, -1]) {
    batch.add(handPoint(0, side * fingerY, G.fingerCenterZ), q, G.fingerHalfExtents, PICK_PLACE_PALETTE.finger);
  }

  const half = params[paramsOffset + P.cubeEdge] / 2;
  for (let i = 0; i < 4; i++) q[i] = obs[o + PICK_PLACE_OBS.cubeQuat + i];
  const c = PICK_PLACE_OBS.cubePos;
  batch.add(at(obs[o + c], obs[o + c + 1], obs[o + c + 2], a), q, [half, half, half], cubeColor(params[paramsOffset + P.cubeHue], scratch.color));
}

/** The cube's centre in the drawing: its observed position plus the world's `origin`. */
export function pickPlaceCubeCenter(obs: ArrayLike<number>, obsOffset: number, origin: ArrayLike<number> = [0, 0, 0]): [number, number, number] {
  const c = obsOffset + PICK_PLACE_OBS.cubePos;
  return [origin[0] + obs[c], origin[1] + obs[c + 1], origin[2] + obs[c + 2]];
}
