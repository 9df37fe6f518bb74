import { shapeVolume, type SceneDesc, type ShapeDesc } from '../../../scene/scene-desc.js';
import { quatMultiply, quatRotate } from '../../../math/quat.js';
import { BODY_ROLE, SolverSceneError, type SolverModel } from './solver-model.js';

/**
 * One world's Data at reset (MuJoCo Warp's per-world arrays): what varies between the worlds of
 * a batch that share a `SolverModel` — poses, sizes, masses, frictions. Flat arrays, so the
 * same numbers can be uploaded to the GPU as they are.
 */
export interface SolverWorldData {
  /** Per body (POSE_SIZE floats): position, quaternion [x, y, z, w]. */
  pose: Float64Array;
  /** Per body (MASS_SIZE floats): inverse mass, then the body-frame inverse principal inertia (x, y, z); 0 for bodies the solver does not move freely (links: inverse mass only). */
  mass: Float64Array;
  /** Per shape (SHAPE_SIZE floats): offset in the body frame (3), half extents (3; a cylinder's are r, r, half height), friction (1). */
  shape: Float64Array;
  /** Per joint (4 floats): the link's orientation in its parent's frame. */
  linkRotation: Float64Array;
  /** Per joint: the link's travel at reset (m). */
  travel: Float64Array;
}

/** Floats per body in `SolverWorldData.pose`. */
export const POSE_SIZE = 7;
/** Floats per body in `SolverWorldData.mass`. */
export const MASS_SIZE = 4;
/** Floats per shape in `SolverWorldData.shape`. */
export const SHAPE_SIZE = 7;

/** Principal moments of inertia (kg·m²) of a solid shape of mass m about its centre, along the body axes. */
function shapeInertia(s: ShapeDesc, m: number): [number, number, number] {
  if (s.type === 'cylinder') {
    const side = (m * (3 * s.radius * s.radius + 4 * s.halfHeight * s.halfHeight)) / 12;
    return [side, side, 0.5 * m * s.radius * s.radius];
  }
  const [x, y, z] = s.halfExtents;
  return [(m * (y * y + z * z)) / 3, (m * (x * x + z * z)) / 3, (m * (x * x + y * y)) / 3];
}

/**
 * Inverse mass and inverse principal inertia of a free body whose mass spreads uniformly over its
 * shapes. The solver needs the centre of mass at the body origin and the body axes principal.
 */
function freeBodyMass(scene: SceneDesc, body: number, out: Float64Array, o: number): void {
  const desc = scene.bodies[body];
  if (desc.mass === undefined || !(desc.mass > 0)) throw new SolverSceneError(`body "${desc.name}": a dynamic body needs a mass > 0 (got ${desc.mass})`);
  let volume = 0;
  for (const s of desc.shapes) volume += shapeVolume(s);
  const inertia = [0, 0, 0];
  const com = [0, 0, 0];
  let offDiagonal = 0;
  for (const s of desc.shapes) {
    const m = (desc.mass * shapeVolume(s)) / volume;
    const own = shapeInertia(s, m);
    const d = s.offset;
    const d2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    for (let i = 0; i < 3; i++) {
      inertia[i] += own[i] + m * (d2 - d[i] * d[i]);
      com[i] += m * d[i];
    }
    offDiagonal += Math.abs(m * d[0] * d[1]) + Math.abs(m * d[0] * d[2]) + Math.abs(m * d[1] * d[2]);
  }
  if (Math.hypot(com[0], com[1], com[2]) / desc.mass > 1e-9 || offDiagonal > 1e-12) {
    throw new SolverSceneError(
      `body "${desc.name}": the GPU solver needs a free body's centre of mass at its origin and its axes principal (shape offsets [${desc.shapes.map((s) => s.offset.join(' ')).join('; ')}])`,
    );
  }
  out[o] = 1 / desc.mass;
  for (let i = 0; i < 3; i++) out[o + 1 + i] = 1 / inertia[i];
}

/** The Data of one world at reset, from its scene (which must fit `model`). */
export function solverWorldData(model: SolverModel, scene: SceneDesc): SolverWorldData {
  const nb = scene.bodies.length;
  const pose = new Float64Array(nb * POSE_SIZE);
  const mass = new Float64Array(nb * MASS_SIZE);
  const shape = new Float64Array(model.shapeBody.length * SHAPE_SIZE);
  scene.bodies.forEach((b, i) => {
    pose.set(b.position, i * POSE_SIZE);
    pose.set(b.rotation, i * POSE_SIZE + 3);
    if (model.bodyRole[i] === BODY_ROLE.free) freeBodyMass(scene, i, mass, i * MASS_SIZE);
    if (model.bodyRole[i] === BODY_ROLE.link) {
      if (b.mass === undefined || !(b.mass > 0)) throw new SolverSceneError(`body "${b.name}": a jointed body needs a mass > 0 (got ${b.mass})`);
      mass[i * MASS_SIZE] = 1 / b.mass;
    }
    b.shapes.forEach((s, k) => {
      const o = (model.bodyFirstShape[i] + k) * SHAPE_SIZE;
      shape.set(s.offset, o);
      if (s.type === 'cylinder') shape.set([s.radius, s.radius, s.halfHeight], o + 3);
      else shape.set(s.halfExtents, o + 3);
      shape[o + 6] = s.friction;
    });
  });
  const linkRotation = new Float64Array(model.joints.length * 4);
  const travel = new Float64Array(model.joints.length);
  model.joints.forEach((j, k) => {
    const parent = scene.bodies[j.parent];
    const link = scene.bodies[j.body];
    const pq = parent.rotation;
    const inv = [-pq[0], -pq[1], -pq[2], pq[3]];
    const rel = quatMultiply([0, 0, 0, 1], inv, link.rotation);
    linkRotation.set(rel, 4 * k);
    // travel = axis · (Rpᵀ(x_link + R_link·anchor2 − x_parent) − anchor1)
    const a2 = quatRotate([0, 0, 0], link.rotation, j.anchor2);
    const world = [0, 1, 2].map((i) => link.position[i] + a2[i] - parent.position[i]);
    const local = quatRotate([0, 0, 0], inv, world);
    travel[k] = j.axis[0] * (local[0] - j.anchor1[0]) + j.axis[1] * (local[1] - j.anchor1[1]) + j.axis[2] * (local[2] - j.anchor1[2]);
  });
  return { pose, mass, shape, linkRotation, travel };
}
