/**
 * @gripgen/sim-core/render — WebGPU drawing of simulated worlds as lit, shadowed boxes, and the
 * camera maths around it. Browser-safe (WebGPU and gl-matrix only; no DOM, no Node), so a page,
 * a worker or Node with Dawn can use it.
 *
 * ```ts
 * const renderer = await BoxRenderer.create(device, { colorFormat });
 * const view = renderer.createView();
 * const boxes = new BoxBatch();
 * addTaskWorld(boxes, getTask(sim.spec.taskId), result.obs, w * sim.spec.obsSize, sim.paramTable, w * sim.spec.paramNames.length);
 * view.encode(encoder, texture, boxes, { viewProj: camera.viewProjection(width / height) });
 * ```
 */
export { BOX_FLAGS } from '@gripgen/shaders';
export { BoxBatch, emptyBounds, boundsIsEmpty } from './box-batch.js';
export type { Bounds, BoxRow } from './box-batch.js';
export { BoxRenderer, BoxView, DEFAULT_LIGHTING } from './box-renderer.js';
export type { BoxRendererOptions, BoxViewOptions, EncodeOptions, Lighting, ViewCamera } from './box-renderer.js';
export { OrbitCamera } from './orbit-camera.js';
export type { OrbitCameraOptions } from './orbit-camera.js';
export { projectToPixels, pixelRay, rayHitPlaneZ } from './screen-projection.js';
export type { Ray } from './screen-projection.js';
export { fitDirectionalLight } from './directional-light.js';
export type { LightProjection } from './directional-light.js';
export { hsvToRgb, rgbToHsv, hueDistance, cubeColor, CUBE_SATURATION, CUBE_VALUE, SCENE_PALETTE } from './color.js';
export type { Rgb } from './color.js';
export { addTaskWorld, taskWorldBodies, taskViewRegion, CYLINDER_BOXES } from './task-boxes.js';
export type { BodyRole, DrawnBody, TableTile, TaskWorldStyle, ViewRegion } from './task-boxes.js';
