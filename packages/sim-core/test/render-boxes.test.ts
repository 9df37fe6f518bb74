import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acquireGpu,
  fixed,
  getTask,
  parallelGripperParts,
  PICK_PLACE_GEOMETRY,
  PICK_PLACE_OBS_NAMES,
  PICK_PLACE_PARAM_NAMES,
  quatFromYaw,
  quatMultiply,
  quatRotate,
  randomizationSpace,
  registerTask,
  type GpuContext,
  type ShapeDesc,
  type Task,
} from '../src/index.js';
import {
  addTaskWorld,
  BOX_FLAGS,
  BoxBatch,
  BoxRenderer,
  cubeColor,
  CYLINDER_BOXES,
  DEFAULT_LIGHTING,
  hueDistance,
  SCENE_PALETTE,
  OrbitCamera,
  pixelRay,
  projectToPixels,
  rayHitPlaneZ,
  rgbToHsv,
  taskViewRegion,
  taskWorldBodies,
} from '../src/render/index.js';

const WIDTH = 256;
const HEIGHT = 192;

/** One pick-place observation row and parameter row, by name. */
function world(obs: Partial<Record<(typeof PICK_PLACE_OBS_NAMES)[number], number>>, params: Record<string, number>) {
  const obsRow = new Float32Array(PICK_PLACE_OBS_NAMES.length);
  PICK_PLACE_OBS_NAMES.forEach((name, i) => (obsRow[i] = obs[name] ?? (name.endsWith('quat_w') ? 1 : 0)));
  const paramRow = new Float32Array(PICK_PLACE_PARAM_NAMES.length);
  PICK_PLACE_PARAM_NAMES.forEach((name, i) => (paramRow[i] = params[name] ?? 0));
  return { obsRow, paramRow };
}

const HAND = { x: 0.42, y: 0.02, z: 0.25 };
const SCENE = world(
  {
    ee_pos_x: HAND.x, ee_pos_y: HAND.y, ee_pos_z: HAND.z, gripper_opening: 0.08,
    cube_pos_x: 0.5, cube_pos_y: -0.12, cube_pos_z: 0.0225,
    bin_pos_x: 0.45, bin_pos_y: 0.27,
  },
  // The bin is fixed: drawn where the scene puts it (binX, binY), as the observation also says.
  { cubeEdge: 0.045, cubeHue: 0.6, binX: 0.45, binY: 0.27 },
);

const PICK_PLACE = getTask('pick-place');

let gpu: GpuContext;
let renderer: BoxRenderer;
beforeAll(async () => {
  gpu = await acquireGpu({ onNotice: () => {} });
  renderer = await BoxRenderer.create(gpu.device, { colorFormat: 'rgba8unorm' });
});
afterAll(() => gpu?.release());

/** Renders `boxes` offscreen and reads the RGBA8 pixels back. */
async function render(boxes: BoxBatch, camera: OrbitCamera): Promise<Uint8Array> {
  const device = gpu.device;
  const texture = device.createTexture({
    size: [WIDTH, HEIGHT],
    format: 'rgba8unorm',
    usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC,
  });
  const readback = device.createBuffer({ size: WIDTH * HEIGHT * 4, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  const view = renderer.createView({ shadowMapSize: 1024 });
  device.pushErrorScope('validation');
  const encoder = device.createCommandEncoder();
  view.encode(encoder, texture, boxes, { viewProj: camera.viewProjection(WIDTH / HEIGHT) });
  encoder.copyTextureToBuffer({ texture }, { buffer: readback, bytesPerRow: WIDTH * 4 }, [WIDTH, HEIGHT]);
  device.queue.submit([encoder.finish()]);
  const error = await device.popErrorScope();
  expect(error?.message).toBeUndefined();
  await readback.mapAsync(GPUMapMode.READ);
  const pixels = new Uint8Array(readback.getMappedRange()).slice();
  readback.destroy();
  texture.destroy();
  view.destroy();
  return pixels;
}

function pixelAt(pixels: Uint8Array, xy: readonly number[]): { rgb: number[]; hsv: [number, number, number] } {
  const x = Math.round(xy[0]), y = Math.round(xy[1]);
  const i = (y * WIDTH + x) * 4;
  const rgb = [pixels[i] / 255, pixels[i + 1] / 255, pixels[i + 2] / 255];
  return { rgb, hsv: rgbToHsv(rgb[0], rgb[1], rgb[2]) };
}

function camera(): OrbitCamera {
  const c = new OrbitCamera({ yaw: 0.3, pitch: 0.9 });
  const region = taskViewRegion(PICK_PLACE);
  c.frame(region.min, region.max);
  c.zoom(0.7);
  return c;
}

describe('box renderer', () => {
  it('draws the cube in its hue where its centre projects, and nothing of that hue on the bin floor', async () => {
    const boxes = new BoxBatch(4);
    addTaskWorld(boxes, PICK_PLACE, SCENE.obsRow, 0, SCENE.paramRow, 0);
    expect(boxes.count).toBe(9); // table, 4 walls, palm, 2 fingers, cube (and the batch grew past 4)
    const cam = camera();
    const pixels = await render(boxes, cam);
    const viewProj = cam.viewProjection(WIDTH / HEIGHT);
    const cubeBody = taskWorldBodies(PICK_PLACE, SCENE.obsRow, 0, SCENE.paramRow, 0).find((b) => b.name === 'cube')!;
    expect(cubeBody.position).toEqual([0.5, -0.12, 0.0225].map(Math.fround));
    const cube = projectToPixels(viewProj, cubeBody.position, WIDTH, HEIGHT)!;
    const cubePixel = pixelAt(pixels, cube);
    expect(hueDistance(cubePixel.hsv[0], 0.6)).toBeLessThan(0.03);
    expect(cubePixel.hsv[1]).toBeGreaterThan(0.5);
    const binFloor = projectToPixels(viewProj, [0.45, 0.27, 0], WIDTH, HEIGHT)!;
    expect(pixelAt(pixels, binFloor).hsv[1]).toBeLessThan(0.3);
  });

  it('places pick-place’s table, bin walls, palm and fingers from the scene and the observation', () => {
    const boxes = new BoxBatch();
    addTaskWorld(boxes, PICK_PLACE, SCENE.obsRow, 0, SCENE.paramRow, 0, { origin: [1, 2, 0] });
    const rows = Array.from({ length: boxes.count }, (_, i) => boxes.box(i));
    const close = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) < 1e-6);
    // Table slab (a ground box), as the scene builds it.
    expect(close(rows[0].center, [1, 2, -0.05])).toBe(true);
    expect(rows[0].flags).toBe(BOX_FLAGS.ground | BOX_FLAGS.noShadow);
    // Four walls around the bin's centre, in the bin's colour (no success yet).
    const wall = PICK_PLACE_GEOMETRY.binInnerHalfSize + PICK_PLACE_GEOMETRY.binWallHalfThickness;
    const walls = rows.slice(1, 5).map((r) => [r.center[0] - 1 - 0.45, r.center[1] - 2 - 0.27].map((v) => Math.round(v * 1e4) / 1e4 + 0));
    expect(walls).toEqual(expect.arrayContaining([[wall, 0], [-wall, 0], [0, wall], [0, -wall]]));
    for (const r of rows.slice(1, 5)) expect(r.color).toEqual(SCENE_PALETTE.fixture.map(Math.fround));
    // Palm above the TCP; fingers at half the observed opening on either side of it.
    expect(close(rows[5].center, [1 + HAND.x, 2 + HAND.y, HAND.z + PICK_PLACE_GEOMETRY.palmCenterZ])).toBe(true);
    const fingerY = PICK_PLACE_GEOMETRY.fingerHalfExtents[1] + 0.08 / 2;
    expect(close(rows[6].center, [1 + HAND.x, 2 + HAND.y + fingerY, HAND.z + PICK_PLACE_GEOMETRY.fingerCenterZ])).toBe(true);
    expect(close(rows[7].center, [1 + HAND.x, 2 + HAND.y - fingerY, HAND.z + PICK_PLACE_GEOMETRY.fingerCenterZ])).toBe(true);
    expect(rows[8].color.every((c, i) => Math.abs(c - cubeColor(0.6)[i]) < 1e-5)).toBe(true);

    // Success tints the bin, and only the bin.
    const tinted = new BoxBatch();
    addTaskWorld(tinted, PICK_PLACE, SCENE.obsRow, 0, SCENE.paramRow, 0, { success: true });
    expect(tinted.box(1).color).toEqual(SCENE_PALETTE.fixtureSuccess.map(Math.fround));
    expect(tinted.box(0).color).toEqual(SCENE_PALETTE.table.map(Math.fround));
  });

  it('casts the palm’s shadow on the table along the light', async () => {
    const boxes = new BoxBatch();
    addTaskWorld(boxes, PICK_PLACE, SCENE.obsRow, 0, SCENE.paramRow, 0);
    const cam = camera();
    const pixels = await render(boxes, cam);
    const viewProj = cam.viewProjection(WIDTH / HEIGHT);
    const [dx, dy, dz] = DEFAULT_LIGHTING.direction;
    const palmZ = HAND.z + PICK_PLACE_GEOMETRY.palmCenterZ;
    const shadow = [HAND.x - (dx / dz) * palmZ, HAND.y - (dy / dz) * palmZ, 0];
    const lit = [shadow[0] + 0.07, shadow[1], 0];
    const brightness = (p: number[]) => pixelAt(pixels, projectToPixels(viewProj, p, WIDTH, HEIGHT)!).hsv[2];
    expect(brightness(shadow)).toBeLessThan(0.85 * brightness(lit));
  });

  it('maps a pixel back to the table point it shows', () => {
    const cam = camera();
    const viewProj = cam.viewProjection(WIDTH / HEIGHT);
    const point = [0.3, -0.2, 0];
    const [px, py] = projectToPixels(viewProj, point, WIDTH, HEIGHT)!;
    const hit = rayHitPlaneZ(pixelRay(viewProj, px, py, WIDTH, HEIGHT), 0)!;
    expect(hit[0]).toBeCloseTo(point[0], 4);
    expect(hit[1]).toBeCloseTo(point[1], 4);
  });
});

/**
 * A tiny plug-in task for the renderer: the table, the gripper, a box `block` and a cylinder
 * `can` whose poses are observed (the can without an orientation), and a fixed box `base`
 * that is not observed, placed by a parameter.
 */
const tinySpace = randomizationSpace({
  names: ['baseX', 'blockHue', 'canHue'] as const,
  bounds: { baseX: [0, 1, 'm'], blockHue: [0, 1, ''], canHue: [0, 1, ''] },
  presets: { only: { baseX: fixed(0.3), blockHue: fixed(0.1), canHue: fixed(0.7) } },
  defaultPreset: 'only',
});
const BLOCK_HALF = [0.02, 0.03, 0.025] as const;
const BASE_HALF = [0.05, 0.05, 0.01] as const;
const CAN = { radius: 0.03, halfHeight: 0.05 };
const tinyTask: Task = {
  id: 'test-render-tiny',
  description: 'a block, a can and a base (render-boxes test)',
  agent: 'parallel-gripper',
  ...tinySpace,
  demoPreset: 'only',
  numBodies: 7,
  buildScene(params, offset) {
    const common = { offset: [0, 0, 0] as const, friction: 0.5, frictionCombine: 'average' as const, group: 1, collidesWith: 1 };
    const box = (halfExtents: readonly [number, number, number]): ShapeDesc => ({ type: 'box', halfExtents, ...common });
    const gripper = parallelGripperParts([0.45, 0, 0.3], [0, 0, 0, 1], 0.04, { palm: 2, finger: 2, palmTouches: 0, fingerTouches: 0 });
    return {
      bodies: [
        { name: 'table', kind: 'fixed', position: [0, 0, -0.05], rotation: [0, 0, 0, 1], shapes: [box([0.8, 0.8, 0.05])] },
        ...gripper.bodies,
        { name: 'block', kind: 'dynamic', position: [0.5, 0, 0.025], rotation: [0, 0, 0, 1], mass: 0.1, shapes: [box(BLOCK_HALF)] },
        { name: 'base', kind: 'fixed', position: [params[offset + tinySpace.P.baseX], 0.2, 0.01], rotation: [0, 0, 0, 1], shapes: [box(BASE_HALF)] },
        { name: 'can', kind: 'dynamic', position: [0.6, 0, 0.05], rotation: [0, 0, 0, 1], mass: 0.1, shapes: [{ type: 'cylinder', ...CAN, ...common }] },
      ],
      joints: gripper.joints(1, 2, 3),
      controlledBody: 1,
      contactQueries: [],
    };
  },
  initialControllerPose(_params, _offset, out, o) {
    out.set([0.45, 0, 0.3, 0, 0, 0, 1], o);
  },
  signalNames: ['success'],
  evaluate: () => false,
  obsNames: [
    'ee_pos_x', 'ee_pos_y', 'ee_pos_z', 'ee_quat_x', 'ee_quat_y', 'ee_quat_z', 'ee_quat_w', 'gripper_opening',
    'block_pos_x', 'block_pos_y', 'block_pos_z', 'block_quat_x', 'block_quat_y', 'block_quat_z', 'block_quat_w',
    'can_pos_x', 'can_pos_y', 'can_pos_z',
  ],
  observe: () => undefined,
  reward: () => 0,
};
registerTask(tinyTask);

describe('box renderer, any task', () => {
  const handYaw = quatFromYaw([0, 0, 0, 1], 0.5);
  const blockTurn = quatFromYaw([0, 0, 0, 1], -0.3);
  const obs = Float32Array.from([
    0.4, -0.1, 0.2, ...Array.from(handYaw), 0.05,
    0.55, 0.12, 0.025, ...Array.from(blockTurn),
    0.35, -0.15, 0.05,
  ]);
  const params = Float32Array.from([0.3, 0.1, 0.7]);
  const task = getTask('test-render-tiny');
  const close = (a: ArrayLike<number>, b: ArrayLike<number>, tolerance = 1e-6) => Array.from(a).every((v, i) => Math.abs(v - b[i]) < tolerance);

  it('draws every body of a registered task: boxes as boxes, the cylinder as turned boxes, at the observed poses', () => {
    const boxes = new BoxBatch();
    addTaskWorld(boxes, task, obs, 0, params, 0, { origin: [2, 0, 0] });
    // Table, palm, two fingers, block, base, and the can's boxes.
    expect(CYLINDER_BOXES).toBeGreaterThanOrEqual(4);
    expect(boxes.count).toBe(6 + CYLINDER_BOXES);
    const rows = Array.from({ length: boxes.count }, (_, i) => boxes.box(i));

    // The palm and the fingers follow the observed hand pose and opening (each finger half of it).
    const palm = quatRotate([0, 0, 0], handYaw, [0, 0, PICK_PLACE_GEOMETRY.palmCenterZ]);
    expect(close(rows[1].center, [2.4 + palm[0], -0.1 + palm[1], 0.2 + palm[2]])).toBe(true);
    expect(close(rows[1].rotation, handYaw)).toBe(true);
    for (const [row, side] of [[rows[2], 1], [rows[3], -1]] as const) {
      const local = quatRotate([0, 0, 0], handYaw, [0, side * (PICK_PLACE_GEOMETRY.fingerHalfExtents[1] + 0.025), PICK_PLACE_GEOMETRY.fingerCenterZ]);
      expect(close(row.center, [2.4 + local[0], -0.1 + local[1], 0.2 + local[2]])).toBe(true);
      expect(row.color).toEqual(SCENE_PALETTE.finger.map(Math.fround));
    }

    // The block: at its observed pose, in the colour of its `blockHue`.
    expect(close(rows[4].center, [2.55, 0.12, 0.025])).toBe(true);
    expect(close(rows[4].rotation, blockTurn)).toBe(true);
    expect(close(rows[4].halfExtents, BLOCK_HALF)).toBe(true);
    expect(close(rows[4].color, cubeColor(0.1))).toBe(true);

    // The base: not observed, so where the scene puts it (baseX from the parameters).
    expect(close(rows[5].center, [2.3, 0.2, 0.01])).toBe(true);
    expect(close(rows[5].halfExtents, BASE_HALF)).toBe(true);
    expect(close(rows[5].color, SCENE_PALETTE.fixture)).toBe(true);

    // The can: boxes centred at its observed position (no orientation observed: upright), turned
    // about its axis, each as wide as the octagon around its circle, in the colour of `canHue`.
    const can = rows.slice(6);
    can.forEach((row, k) => {
      expect(close(row.center, [2.35, -0.15, 0.05])).toBe(true);
      expect(close(row.rotation, quatFromYaw([0, 0, 0, 1], (k * Math.PI) / CYLINDER_BOXES))).toBe(true);
      expect(row.halfExtents[0]).toBeCloseTo(CAN.radius, 6);
      expect(row.halfExtents[1]).toBeCloseTo(CAN.radius * Math.tan(Math.PI / (2 * CYLINDER_BOXES)), 6);
      expect(row.halfExtents[2]).toBeCloseTo(CAN.halfHeight, 3);
      expect(close(row.color, cubeColor(0.7))).toBe(true);
    });
    // A point on the can's circle in any direction lies inside one of its boxes, and no box reaches past the octagon.
    for (let a = 0; a < 2 * Math.PI; a += 0.05) {
      const point = [CAN.radius * 0.999 * Math.cos(a), CAN.radius * 0.999 * Math.sin(a), 0];
      const inside = can.some((row) => {
        const local = quatRotate([0, 0, 0], [-row.rotation[0], -row.rotation[1], -row.rotation[2], row.rotation[3]], point);
        return Math.abs(local[0]) <= row.halfExtents[0] && Math.abs(local[1]) <= row.halfExtents[1];
      });
      expect(inside, `angle ${a.toFixed(2)}`).toBe(true);
    }

    // The bodies as drawn, by name.
    const bodies = taskWorldBodies(task, obs, 0, params, 0);
    expect(bodies.map((b) => [b.name, b.role])).toEqual([
      ['table', 'table'], ['hand', 'hand'], ['fingerLeft', 'finger'], ['fingerRight', 'finger'], ['block', 'object'], ['base', 'fixture'], ['can', 'object'],
    ]);
    expect(bodies.find((b) => b.name === 'can')!.hue).toBeCloseTo(0.7, 6);
  });

  it('turns an observed cylinder with its body, tiles the table in grids and tints the fixtures on success', () => {
    const tilted = Float32Array.from(obs);
    const tilt = quatMultiply([0, 0, 0, 1], [Math.sin(0.2), 0, 0, Math.cos(0.2)], [0, 0, 0, 1]);
    const withQuat = { ...task, id: 'test-render-tiny-turning', obsNames: [...task.obsNames, 'can_quat_x', 'can_quat_y', 'can_quat_z', 'can_quat_w'] };
    const boxes = new BoxBatch();
    addTaskWorld(boxes, withQuat, Float32Array.from([...tilted, ...Array.from(tilt)]), 0, params, 0, {
      table: { min: [0, -0.5], max: [0.9, 0.6], color: SCENE_PALETTE.tableAlt },
      success: true,
    });
    expect(boxes.count).toBe(6 + CYLINDER_BOXES);
    // The tile first, in place of the slab.
    expect(close(boxes.box(0).halfExtents, [0.45, 0.55, 0.01])).toBe(true);
    expect(close(boxes.box(0).color, SCENE_PALETTE.tableAlt)).toBe(true);
    expect(close(boxes.box(5).color, SCENE_PALETTE.fixtureSuccess)).toBe(true);
    for (let k = 0; k < CYLINDER_BOXES; k++) {
      const expected = quatMultiply([0, 0, 0, 1], tilt, quatFromYaw([0, 0, 0, 1], (k * Math.PI) / CYLINDER_BOXES));
      expect(close(boxes.box(6 + k).rotation, expected)).toBe(true);
    }
  });

  it('draws the cylinder in its hue where it projects', async () => {
    const boxes = new BoxBatch();
    addTaskWorld(boxes, task, obs, 0, params, 0);
    const cam = new OrbitCamera({ yaw: 0.3, pitch: 0.9 });
    const region = taskViewRegion(task);
    cam.frame(region.min, region.max);
    cam.zoom(0.7);
    const pixels = await render(boxes, cam);
    const viewProj = cam.viewProjection(WIDTH / HEIGHT);
    const top = pixelAt(pixels, projectToPixels(viewProj, [0.35, -0.15, 0.1], WIDTH, HEIGHT)!);
    expect(hueDistance(top.hsv[0], 0.7)).toBeLessThan(0.03);
    expect(top.hsv[1]).toBeGreaterThan(0.5);
  });
});
