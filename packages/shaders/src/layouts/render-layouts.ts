import { defineStruct } from '../layout/struct-layout.js';

/**
 * Per-view uniforms of the `box-render` shader. Matrices are column-major `mat4x4f`s stored
 * as four `vec4f` columns (the layout table has no matrix type): `viewProj` maps world to clip
 * space for the camera, `lightViewProj` for the shadow map. `lightDir` is the direction the
 * sunlight travels (unit). `shadowTexel` is the world size of one shadow-map texel (the normal
 * offset that keeps shadows free of acne). `gridSpacing` (m) draws lines on ground boxes.
 */
export const RenderFrame = defineStruct('RenderFrame', [
  ['viewProj', 'vec4f', 4],
  ['lightViewProj', 'vec4f', 4],
  ['eye', 'vec3f'],
  ['shadowTexel', 'f32'],
  ['lightDir', 'vec3f'],
  ['sunIntensity', 'f32'],
  ['ambientSky', 'f32'],
  ['ambientGround', 'f32'],
  ['edgeDarkening', 'f32'],
  ['gridSpacing', 'f32'],
]);

/**
 * One box drawn by the `box-render` shader (one row per instance): centre and orientation
 * (quaternion [x, y, z, w]) in world space, half extents, colour (sRGB, alpha unused) and
 * flags (`BOX_FLAGS`).
 */
export const BoxInstance = defineStruct('BoxInstance', [
  ['center', 'vec3f'],
  ['flags', 'u32'],
  ['rotation', 'vec4f'],
  ['halfExtents', 'vec3f'],
  ['color', 'vec4f'],
]);

/** Bits of `BoxInstance.flags` (the WGSL twins are the `BOX_*` constants of box-render.wgsl). */
export const BOX_FLAGS = {
  /** A ground box (table, tile): draws grid lines on its top face and gets no contact darkening. */
  ground: 1,
  /** Casts no shadow (skipped by the shadow pass). */
  noShadow: 2,
} as const;
