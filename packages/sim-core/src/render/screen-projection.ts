import { mat4, vec3, vec4 } from 'gl-matrix';

/** A ray in world space (`direction` is unit length). */
export interface Ray {
  origin: vec3;
  direction: vec3;
}

/**
 * Where world point `point` lands in a `width × height` viewport drawn with `viewProj`:
 * `[x, y, depth]` in pixels from the top-left corner (depth in [0, 1]), or null if the point is
 * behind the eye.
 */
export function projectToPixels(viewProj: mat4, point: ArrayLike<number>, width: number, height: number): [number, number, number] | null {
  const clip = vec4.transformMat4(vec4.create(), vec4.fromValues(point[0], point[1], point[2], 1), viewProj);
  if (clip[3] <= 0) return null;
  const x = clip[0] / clip[3];
  const y = clip[1] / clip[3];
  return [((x + 1) / 2) * width, ((1 - y) / 2) * height, clip[2] / clip[3]];
}

/** The world-space ray through pixel (`px`, `py`) (from the top-left corner) of a viewport drawn with `viewProj`. */
export function pixelRay(viewProj: mat4, px: number, py: number, width: number, height: number): Ray {
  const inverse = mat4.invert(mat4.create(), viewProj);
  if (!inverse) throw new Error('pixelRay: the view-projection matrix is singular');
  const x = (px / width) * 2 - 1;
  const y = 1 - (py / height) * 2;
  const near = unproject(inverse, x, y, 0);
  const far = unproject(inverse, x, y, 1);
  const direction = vec3.normalize(vec3.create(), vec3.sub(vec3.create(), far, near));
  return { origin: near, direction };
}

/** Where `ray` meets the horizontal plane at height `z` (in front of its origin), or null. */
export function rayHitPlaneZ(ray: Ray, z: number): vec3 | null {
  if (Math.abs(ray.direction[2]) < 1e-9) return null;
  const t = (z - ray.origin[2]) / ray.direction[2];
  if (t < 0) return null;
  return vec3.scaleAndAdd(vec3.create(), ray.origin, ray.direction, t);
}

function unproject(inverse: mat4, x: number, y: number, z: number): vec3 {
  const p = vec4.transformMat4(vec4.create(), vec4.fromValues(x, y, z, 1), inverse);
  return vec3.fromValues(p[0] / p[3], p[1] / p[3], p[2] / p[3]);
}
