import { BOX_FLAGS } from '@gripgen/shaders';
import { WORKSPACE } from '../controller/ee-controller.js';
import { quatFromYaw, quatMultiply, quatRotate } from '../math/quat.js';
import type { BodyDesc, PrismaticJointDesc, SceneDesc, ShapeDesc } from '../scene/scene-desc.js';
import { sceneGripper } from '../scene/scene-gripper.js';
import type { Task } from '../tasks/task.js';
import type { BoxBatch } from './box-batch.js';
import { cubeColor, SCENE_PALETTE, type Rgb } from './color.js';

/**
 * Any task's world drawn as boxes: the bodies and shapes come from the task's scene
 * (`task.buildScene(params)`), the poses of the moving ones from the observation row by the
 * naming convention of `Task.obsNames` — the hand and its fingers from `ee_pos_*`, `ee_quat_*`
 * and `gripper_opening`, any other body `o` from `o_pos_*` / `o_quat_*` — so a live Sim and a
 * recorded dataset (which both have the observation and the parameters) draw the same way.
 */

/** What a body is to the renderer, which decides its colour and where its pose comes from. */
export type BodyRole = 'table' | 'fixture' | 'hand' | 'finger' | 'object';

/** An axis-aligned box of a world (m). */
export interface ViewRegion {
  min: [number, number, number];
  max: [number, number, number];
}

/** A rectangle of the table drawn as a thin tile instead of the whole slab (grid views). */
export interface TableTile {
  /** Corners of the tile in the world's own frame (m). */
  min: readonly [number, number];
  max: readonly [number, number];
  color: Rgb;
}

/** How {@link addTaskWorld} draws a world. */
export interface TaskWorldStyle {
  /** Where the world's origin lands in the drawing (m); default [0, 0, 0]. */
  origin?: ArrayLike<number>;
  /** The table: `slab` (as the scene builds it; default) or a tile drawn in its place. */
  table?: 'slab' | TableTile;
  /**
   * Tint the world to show its `success` signal: the fixtures (fixed bodies other than the
   * table, e.g. pick-place's bin) turn green, or the table where the scene has no fixtures.
   */
  success?: boolean;
}

/** One body of a world as {@link addTaskWorld} draws it. */
export interface DrawnBody {
  /** The body's name in the scene. */
  name: string;
  role: BodyRole;
  /** Pose in the world's own frame: from the observation, or the scene's where the observation has none. */
  position: [number, number, number];
  /** Quaternion [x, y, z, w]. */
  rotation: [number, number, number, number];
  /** Its shapes, as the scene builds them (offsets in the body's frame). */
  shapes: readonly ShapeDesc[];
  /** Its colour, without the success tint. */
  color: Rgb;
  /** The body's `<name>Hue` parameter, or null when it has none. */
  hue: number | null;
}

/** Boxes drawn for one cylinder: rectangles turned by 45° about its axis, whose union is the regular octagon around its circle. */
export const CYLINDER_BOXES = 4;
/** Each of a cylinder's boxes is this much taller than the last (m), so their coplanar ends do not fight in the depth test. */
const CYLINDER_END_STEP = 1e-4;
/** Height of the view region above the table (m). */
const VIEW_HEIGHT = 0.35;
/** Thickness of a table tile (m). */
const TILE_THICKNESS = 0.01;
/** Tolerance of "the top face lies on z = 0" (m). */
const TABLE_TOP_TOLERANCE = 1e-4;

/** One box of a body, in the body's frame. */
interface BoxPiece {
  offset: [number, number, number];
  rotation: [number, number, number, number];
  halfExtents: [number, number, number];
}

/**
 * What is the same in every world of a task (scenes share one topology): each body's role,
 * where its pose and colour come from, and the fingers' joints.
 */
interface TaskLayout {
  /** Body names in scene order (a scene with other names gets a new layout). */
  names: string[];
  roles: BodyRole[];
  /** Observation index of `<name>_pos_x` (-1: none) and of `<name>_quat_x` (-1: identity), per body. */
  obsPos: number[];
  obsQuat: number[];
  /** Column of `<name>Hue` in the parameters, or -1, per body. */
  hueParam: number[];
  /** Index in `scene.joints` of the joint carrying each finger, or -1, per body. */
  fingerJoint: number[];
  hand: number;
  numFingers: number;
  hasFixtures: boolean;
  /** The end effector's slots in the observation. */
  eePos: number;
  eeQuat: number;
  opening: number;
}

/** A body of one world's scene, prepared for drawing. */
interface PreparedBody {
  desc: BodyDesc;
  pieces: BoxPiece[];
  /** Finger: its joint, its rotation relative to the hand and its travel in the scene. */
  joint: PrismaticJointDesc | undefined;
  relativeRotation: [number, number, number, number];
  sceneTravel: number;
}

/** One world's scene prepared for drawing, and the parameter row it was built from. */
interface PreparedScene {
  task: Task;
  layout: TaskLayout;
  params: Float64Array;
  bodies: PreparedBody[];
}

const layoutCache = new WeakMap<Task, TaskLayout>();
/** Prepared scenes by parameter array and row offset: rebuilt only when the row's values (or the task) change. */
const sceneCache = new WeakMap<object, Map<number, PreparedScene>>();
const viewRegionCache = new WeakMap<Task, ViewRegion>();

const IDENTITY = [0, 0, 0, 1] as const;
/** The turn of each of a cylinder's boxes about its axis: k · 180° / CYLINDER_BOXES. */
const CYLINDER_TURNS = Array.from({ length: CYLINDER_BOXES }, (_, k) => quatFromYaw([0, 0, 0, 1], (k * Math.PI) / CYLINDER_BOXES));
const scratch = {
  position: [0, 0, 0],
  rotation: [0, 0, 0, 1],
  handPosition: [0, 0, 0],
  handRotation: [0, 0, 0, 1],
  center: [0, 0, 0],
  pieceRotation: [0, 0, 0, 1],
  v: [0, 0, 0],
  w: [0, 0, 0],
  inverse: [0, 0, 0, 1],
  color: [0, 0, 0] as Rgb,
  tile: [0, 0, 0],
  tileHalf: [0, 0, 0],
};

/**
 * Adds the boxes of one world of `task` — every body of its scene — from its observation row
 * (`obs` at `obsOffset`, named by `task.obsNames`) and its randomized parameters (`params` at
 * `paramsOffset`, named by `task.paramNames`). Where each body goes:
 * - the hand (the scene's controlled body) at the observed `ee_pos_*` / `ee_quat_*`;
 * - its fingers (bodies it carries on prismatic joints) along their joints, each at its share of
 *   the observed `gripper_opening` (the scene's travel when the observation has none);
 * - any other moving body `o` at the observed `o_pos_*` / `o_quat_*` (identity orientation
 *   without `o_quat_*`), or at its scene pose when the observation has no `o_pos_*`;
 * - fixed bodies at their scene poses.
 * Boxes are drawn as boxes, a cylinder as {@link CYLINDER_BOXES} boxes turned about its axis.
 * Colours: a body with a `<name>Hue` parameter in `cubeColor` of it, the rest from
 * `SCENE_PALETTE`. The table is the fixed box whose top face is the plane z = 0 (a ground box:
 * grid lines, no shadow). The scene is built once per parameter row and kept while the row's
 * values stay the same (keyed by the `params` array and `paramsOffset`), so drawing a large
 * grid every frame builds no scenes.
 */
export function addTaskWorld(
  batch: BoxBatch,
  task: Task,
  obs: ArrayLike<number>,
  obsOffset: number,
  params: ArrayLike<number>,
  paramsOffset: number,
  style: TaskWorldStyle = {},
): void {
  const scene = preparedScene(task, params, paramsOffset);
  const origin = style.origin ?? [0, 0, 0];
  const { position, rotation, center, pieceRotation, v } = scratch;
  const table = style.table ?? 'slab';
  if (table !== 'slab') {
    const { tile, tileHalf } = scratch;
    tile[0] = origin[0] + (table.min[0] + table.max[0]) / 2;
    tile[1] = origin[1] + (table.min[1] + table.max[1]) / 2;
    tile[2] = origin[2] - TILE_THICKNESS;
    tileHalf[0] = (table.max[0] - table.min[0]) / 2;
    tileHalf[1] = (table.max[1] - table.min[1]) / 2;
    tileHalf[2] = TILE_THICKNESS;
    const tint = style.success && !scene.layout.hasFixtures ? SCENE_PALETTE.tableSuccess : table.color;
    batch.add(tile, IDENTITY, tileHalf, tint, BOX_FLAGS.ground | BOX_FLAGS.noShadow);
  }
  handPose(scene, obs, obsOffset);
  const { roles } = scene.layout;
  for (let b = 0; b < scene.bodies.length; b++) {
    if (roles[b] === 'table' && table !== 'slab') continue;
    bodyPose(scene, b, obs, obsOffset, position, rotation);
    const color = bodyColor(scene, b, params, paramsOffset, style.success === true);
    const flags = roles[b] === 'table' ? BOX_FLAGS.ground | BOX_FLAGS.noShadow : 0;
    for (const piece of scene.bodies[b].pieces) {
      quatRotate(v, rotation, piece.offset);
      for (let i = 0; i < 3; i++) center[i] = origin[i] + position[i] + v[i];
      quatMultiply(pieceRotation, rotation, piece.rotation);
      batch.add(center, pieceRotation, piece.halfExtents, color, flags);
    }
  }
}

/**
 * The bodies of one world of `task` as {@link addTaskWorld} draws them (poses in the world's
 * own frame): for probes, tests and framing cameras.
 */
export function taskWorldBodies(task: Task, obs: ArrayLike<number>, obsOffset: number, params: ArrayLike<number>, paramsOffset: number): DrawnBody[] {
  const scene = preparedScene(task, params, paramsOffset);
  handPose(scene, obs, obsOffset);
  return scene.bodies.map((body, b) => {
    const position: [number, number, number] = [0, 0, 0];
    const rotation: [number, number, number, number] = [0, 0, 0, 1];
    bodyPose(scene, b, obs, obsOffset, position, rotation);
    const color = [...bodyColor(scene, b, params, paramsOffset, false)] as Rgb;
    const hueParam = scene.layout.hueParam[b];
    const hue = hueParam >= 0 ? params[paramsOffset + hueParam] : null;
    return { name: body.desc.name, role: scene.layout.roles[b], position, rotation, shapes: body.desc.shapes, color, hue };
  });
}

/**
 * The part of a world of `task` where things happen, which views frame and grid tiles cover:
 * the controller's workspace (every task's reachable region) from the table top to 35 cm,
 * widened to hold every body but the table of the task's default world (world 0 of its
 * default preset).
 */
export function taskViewRegion(task: Task): ViewRegion {
  const cached = viewRegionCache.get(task);
  if (cached) return cached;
  const region: ViewRegion = { min: [WORKSPACE.min[0], WORKSPACE.min[1], 0], max: [WORKSPACE.max[0], WORKSPACE.max[1], VIEW_HEIGHT] };
  const params = new Float32Array(task.paramNames.length);
  task.drawParams(task.resolveRandomization(task.defaultPreset), 0, 0, 0, params, 0);
  const scene = task.buildScene(params, 0);
  const table = tableBody(scene);
  const extent = [0, 0, 0];
  scene.bodies.forEach((body, b) => {
    if (b === table) return;
    for (const shape of body.shapes) {
      const center = quatRotate([0, 0, 0], body.rotation, shape.offset);
      const half = shapeBoundsHalfExtents(shape, body.rotation, extent);
      for (let i = 0; i < 3; i++) {
        region.min[i] = Math.min(region.min[i], body.position[i] + center[i] - half[i]);
        region.max[i] = Math.max(region.max[i], body.position[i] + center[i] + half[i]);
      }
    }
  });
  region.min[2] = Math.max(region.min[2], 0);
  viewRegionCache.set(task, region);
  return region;
}

/** Half extents of the world-axis-aligned box around `shape` turned by `rotation`, into `out`. */
function shapeBoundsHalfExtents(shape: ShapeDesc, rotation: ArrayLike<number>, out: number[]): number[] {
  const half = shape.type === 'cylinder' ? [shape.radius, shape.radius, shape.halfHeight] : shape.halfExtents;
  out.fill(0);
  const axis = [0, 0, 0];
  for (let j = 0; j < 3; j++) {
    const unit = [0, 0, 0];
    unit[j] = half[j];
    quatRotate(axis, rotation, unit);
    for (let i = 0; i < 3; i++) out[i] += Math.abs(axis[i]);
  }
  return out;
}

/** Index of the scene's table: the fixed body with the widest box whose top face is the plane z = 0 (-1: none). */
function tableBody(scene: SceneDesc): number {
  let best = -1;
  let bestArea = 0;
  scene.bodies.forEach((body, b) => {
    if (body.kind !== 'fixed') return;
    const upright = Math.abs(body.rotation[3]) > 1 - 1e-9;
    for (const shape of body.shapes) {
      if (shape.type !== 'box' || !upright) continue;
      const top = body.position[2] + shape.offset[2] + shape.halfExtents[2];
      const area = shape.halfExtents[0] * shape.halfExtents[1];
      if (Math.abs(top) < TABLE_TOP_TOLERANCE && area > bestArea) {
        best = b;
        bestArea = area;
      }
    }
  });
  return best;
}

/** The scene of the world whose parameters are `params` at `offset`, prepared for drawing (cached). */
function preparedScene(task: Task, params: ArrayLike<number>, offset: number): PreparedScene {
  let rows = sceneCache.get(params as object);
  if (!rows) {
    rows = new Map();
    sceneCache.set(params as object, rows);
  }
  const cached = rows.get(offset);
  if (cached && cached.task === task && sameRow(cached.params, params, offset)) return cached;
  const scene = task.buildScene(params, offset);
  const layout = taskLayout(task, scene);
  // A new parameter row of the same task refills the world's arrays in place (no garbage per episode).
  const prepared: PreparedScene =
    cached && cached.task === task && cached.layout === layout
      ? cached
      : { task, layout, params: new Float64Array(task.paramNames.length), bodies: scene.bodies.map(() => newPreparedBody()) };
  for (let i = 0; i < prepared.params.length; i++) prepared.params[i] = params[offset + i];
  scene.bodies.forEach((desc, b) => fillBody(prepared.bodies[b], desc, scene, layout, b));
  rows.set(offset, prepared);
  return prepared;
}

function sameRow(row: Float64Array, params: ArrayLike<number>, offset: number): boolean {
  for (let i = 0; i < row.length; i++) if (!Object.is(row[i], params[offset + i])) return false;
  return true;
}

/** The layout of `task`'s worlds, from one of its scenes (kept while the scenes' body names stay the same). */
function taskLayout(task: Task, scene: SceneDesc): TaskLayout {
  const cached = layoutCache.get(task);
  if (cached && cached.names.length === scene.bodies.length && scene.bodies.every((b, i) => b.name === cached.names[i])) return cached;
  const gripper = sceneGripper(scene);
  const fingerJoint = scene.bodies.map((_, b) => scene.joints.findIndex((j) => j.body1 === gripper.hand && j.body2 === b));
  const table = tableBody(scene);
  const roles = scene.bodies.map((desc, b): BodyRole =>
    b === table ? 'table' : b === gripper.hand ? 'hand' : fingerJoint[b] >= 0 ? 'finger' : desc.kind === 'fixed' ? 'fixture' : 'object',
  );
  const obsPos = scene.bodies.map((desc, b) => (roles[b] === 'object' ? posSlot(task.obsNames, desc.name) : -1));
  const eePos = posSlot(task.obsNames, 'ee');
  const layout: TaskLayout = {
    names: scene.bodies.map((b) => b.name),
    roles,
    obsPos,
    obsQuat: scene.bodies.map((desc, b) => (obsPos[b] >= 0 ? quatSlot(task.obsNames, desc.name) : -1)),
    hueParam: scene.bodies.map((desc) => task.paramNames.indexOf(`${desc.name}Hue`)),
    fingerJoint,
    hand: gripper.hand,
    numFingers: gripper.fingers.length,
    hasFixtures: roles.includes('fixture'),
    eePos,
    eeQuat: eePos >= 0 ? quatSlot(task.obsNames, 'ee') : -1,
    opening: task.obsNames.indexOf('gripper_opening'),
  };
  layoutCache.set(task, layout);
  return layout;
}

function newPreparedBody(): PreparedBody {
  return { desc: undefined as unknown as BodyDesc, pieces: [], joint: undefined, relativeRotation: [0, 0, 0, 1], sceneTravel: 0 };
}

/** Fills `body` with body `b` of `scene`: its boxes and, for a finger, where it sits on its joint. */
function fillBody(body: PreparedBody, desc: BodyDesc, scene: SceneDesc, layout: TaskLayout, b: number): void {
  body.desc = desc;
  let count = 0;
  for (const shape of desc.shapes) count += shape.type === 'cylinder' ? CYLINDER_BOXES : 1;
  while (body.pieces.length < count) body.pieces.push({ offset: [0, 0, 0], rotation: [0, 0, 0, 1], halfExtents: [0, 0, 0] });
  body.pieces.length = count;
  let k = 0;
  for (const shape of desc.shapes) {
    if (shape.type === 'box') {
      setPiece(body.pieces[k++], shape.offset, IDENTITY, shape.halfExtents[0], shape.halfExtents[1], shape.halfExtents[2]);
      continue;
    }
    // Rectangles r × r·tan(π/8) turned by k·45°: each covers two opposite sides of the octagon
    // whose inscribed circle is the cylinder's, and together they fill it.
    const halfWidth = shape.radius * Math.tan(Math.PI / (2 * CYLINDER_BOXES));
    for (let turn = 0; turn < CYLINDER_BOXES; turn++) {
      setPiece(body.pieces[k++], shape.offset, CYLINDER_TURNS[turn], shape.radius, halfWidth, shape.halfHeight + turn * CYLINDER_END_STEP);
    }
  }
  const jointIndex = layout.fingerJoint[b];
  body.joint = jointIndex >= 0 ? scene.joints[jointIndex] : undefined;
  const hand = scene.bodies[layout.hand];
  if (!body.joint || !hand) return;
  // The finger's rotation relative to the hand, and its travel along the joint in the scene.
  const { inverse, v, w } = scratch;
  const joint = body.joint;
  inverse[0] = -hand.rotation[0];
  inverse[1] = -hand.rotation[1];
  inverse[2] = -hand.rotation[2];
  inverse[3] = hand.rotation[3];
  quatMultiply(body.relativeRotation, inverse, desc.rotation);
  quatRotate(v, desc.rotation, joint.anchor2);
  for (let i = 0; i < 3; i++) v[i] += desc.position[i] - hand.position[i];
  quatRotate(w, inverse, v);
  body.sceneTravel = 0;
  for (let i = 0; i < 3; i++) body.sceneTravel += (w[i] - joint.anchor1[i]) * joint.axis[i];
}

function setPiece(piece: BoxPiece, offset: readonly number[], rotation: ArrayLike<number>, hx: number, hy: number, hz: number): void {
  for (let i = 0; i < 3; i++) piece.offset[i] = offset[i];
  for (let i = 0; i < 4; i++) piece.rotation[i] = rotation[i];
  piece.halfExtents[0] = hx;
  piece.halfExtents[1] = hy;
  piece.halfExtents[2] = hz;
}

/** Index of `name_pos_x` when `name_pos_{x,y,z}` follow each other in `names`, else -1. */
function posSlot(names: readonly string[], name: string): number {
  const i = names.indexOf(`${name}_pos_x`);
  return i >= 0 && names[i + 1] === `${name}_pos_y` && names[i + 2] === `${name}_pos_z` ? i : -1;
}

/** Index of `name_quat_x` when `name_quat_{x,y,z,w}` follow each other in `names`, else -1. */
function quatSlot(names: readonly string[], name: string): number {
  const i = names.indexOf(`${name}_quat_x`);
  return i >= 0 && ['y', 'z', 'w'].every((c, k) => names[i + 1 + k] === `${name}_quat_${c}`) ? i : -1;
}

/** Puts the hand's pose (observed, else the scene's) into the scratch hand pose. */
function handPose(scene: PreparedScene, obs: ArrayLike<number>, o: number): void {
  const { handPosition, handRotation } = scratch;
  const { eePos, eeQuat, hand } = scene.layout;
  const desc = scene.bodies[hand]?.desc;
  for (let i = 0; i < 3; i++) handPosition[i] = eePos >= 0 ? obs[o + eePos + i] : (desc?.position[i] ?? 0);
  for (let i = 0; i < 4; i++) handRotation[i] = eePos >= 0 ? (eeQuat >= 0 ? obs[o + eeQuat + i] : IDENTITY[i]) : (desc?.rotation[i] ?? IDENTITY[i]);
}

/** Writes body `b`'s drawn pose into `position` and `rotation` (the hand's pose must be in scratch). */
function bodyPose(scene: PreparedScene, b: number, obs: ArrayLike<number>, o: number, position: number[], rotation: number[]): void {
  const { handPosition, handRotation, v, w } = scratch;
  const { layout } = scene;
  const body = scene.bodies[b];
  const role = layout.roles[b];
  if (role === 'hand') {
    for (let i = 0; i < 3; i++) position[i] = handPosition[i];
    for (let i = 0; i < 4; i++) rotation[i] = handRotation[i];
  } else if (role === 'finger' && body.joint) {
    // Prismatic joint: anchor2 on the finger = anchor1 on the hand + travel along the axis.
    const { joint } = body;
    const travel = layout.opening >= 0 ? Math.max(0, obs[o + layout.opening]) / Math.max(1, layout.numFingers) : body.sceneTravel;
    quatMultiply(rotation, handRotation, body.relativeRotation);
    for (let i = 0; i < 3; i++) v[i] = joint.anchor1[i] + joint.axis[i] * travel;
    quatRotate(w, handRotation, v);
    quatRotate(v, rotation, joint.anchor2);
    for (let i = 0; i < 3; i++) position[i] = handPosition[i] + w[i] - v[i];
  } else if (layout.obsPos[b] >= 0) {
    const pos = layout.obsPos[b], quat = layout.obsQuat[b];
    for (let i = 0; i < 3; i++) position[i] = obs[o + pos + i];
    for (let i = 0; i < 4; i++) rotation[i] = quat >= 0 ? obs[o + quat + i] : IDENTITY[i];
  } else {
    for (let i = 0; i < 3; i++) position[i] = body.desc.position[i];
    for (let i = 0; i < 4; i++) rotation[i] = body.desc.rotation[i];
  }
}

/** Body `b`'s colour (a palette entry or the scratch colour: use it before the next call). */
function bodyColor(scene: PreparedScene, b: number, params: ArrayLike<number>, paramsOffset: number, success: boolean): Rgb {
  const { layout } = scene;
  const hue = layout.hueParam[b];
  if (hue >= 0) return cubeColor(params[paramsOffset + hue], scratch.color);
  switch (layout.roles[b]) {
    case 'table':
      return success && !layout.hasFixtures ? SCENE_PALETTE.tableSuccess : SCENE_PALETTE.table;
    case 'fixture':
      return success ? SCENE_PALETTE.fixtureSuccess : SCENE_PALETTE.fixture;
    case 'hand':
      return SCENE_PALETTE.palm;
    case 'finger':
      return SCENE_PALETTE.finger;
    default:
      return SCENE_PALETTE.object;
  }
}
