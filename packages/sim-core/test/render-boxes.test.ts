import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGpu, PICK_PLACE_GEOMETRY, PICK_PLACE_OBS_NAMES, PICK_PLACE_PARAM_NAMES, type GpuContext } from '../src/index.js';
import {
  addPickPlaceWorld,
  BoxBatch,
  BoxRenderer,
  DEFAULT_LIGHTING,
  hueDistance,
  OrbitCamera,
  PICK_PLACE_VIEW_REGION,
  pickPlaceCubeCenter,
  pixelRay,
  projectToPixels,
  rayHitPlaneZ,
  rgbToHsv,
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
  { cubeEdge: 0.045, cubeHue: 0.6 },
);

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
  c.frame(PICK_PLACE_VIEW_REGION.min, PICK_PLACE_VIEW_REGION.max);
  c.zoom(0.7);
  return c;
}

describe('box renderer', () => {
  it('draws the cube in its hue where its centre projects, and nothing of that hue on the bin floor', async () => {
    const boxes = new BoxBatch(4);
    addPickPlaceWorld(boxes, SCENE.obsRow, 0, SCENE.paramRow, 0);
    expect(boxes.count).toBe(9); // table, 4 walls, palm, 2 fingers, cube (and the batch grew past 4)
    const cam = camera();
    const pixels = await render(boxes, cam);
    const viewProj = cam.viewProjection(WIDTH / HEIGHT);
    const cube = projectToPixels(viewProj, pickPlaceCubeCenter(SCENE.obsRow, 0), WIDTH, HEIGHT)!;
    const cubePixel = pixelAt(pixels, cube);
    expect(hueDistance(cubePixel.hsv[0], 0.6)).toBeLessThan(0.03);
    expect(cubePixel.hsv[1]).toBeGreaterThan(0.5);
    const binFloor = projectToPixels(viewProj, [0.45, 0.27, 0], WIDTH, HEIGHT)!;
    expect(pixelAt(pixels, binFloor).hsv[1]).toBeLessThan(0.3);
  });

  it('casts the palm’s shadow on the table along the light', async () => {
    const boxes = new BoxBatch();
    addPickPlaceWorld(boxes, SCENE.obsRow, 0, SCENE.paramRow, 0);
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
