import { mat4, vec3 } from 'gl-matrix';
import type { Bounds } from './box-batch.js';

/** A light's world → clip matrix and the world size of one of its shadow-map texels. */
export interface LightProjection {
  viewProj: mat4;
  /** Width of one shadow-map texel on the ground (m). */
  texelSize: number;
}

/**
 * An orthographic projection along `direction` (the way the light travels, any length) whose
 * window covers `casters` (the shadow-casting boxes), with a depth range reaching far beyond
 * them so shadows falling on distant receivers still land inside it.
 */
export function fitDirectionalLight(direction: ArrayLike<number>, casters: Bounds, shadowMapSize: number): LightProjection {
  const centre = vec3.fromValues(
    (casters.min[0] + casters.max[0]) / 2,
    (casters.min[1] + casters.max[1]) / 2,
    (casters.min[2] + casters.max[2]) / 2,
  );
  const radius = Math.max(1e-3, Math.hypot(casters.max[0] - casters.min[0], casters.max[1] - casters.min[1], casters.max[2] - casters.min[2]) / 2);
  const dir = vec3.normalize(vec3.create(), vec3.fromValues(direction[0], direction[1], direction[2]));
  const eye = vec3.scaleAndAdd(vec3.create(), centre, dir, -2 * radius);
  const up = Math.abs(dir[2]) > 0.99 ? vec3.fromValues(0, 1, 0) : vec3.fromValues(0, 0, 1);
  const view = mat4.lookAt(mat4.create(), eye, centre, up);
  const projection = mat4.orthoZO(mat4.create(), -radius, radius, -radius, radius, radius * 0.5, radius * 8 + 4);
  return { viewProj: mat4.multiply(projection, projection, view), texelSize: (2 * radius) / shadowMapSize };
}
