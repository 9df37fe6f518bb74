import { shapeVolume, type ShapeDesc } from '../../scene/scene-desc.js';

/** Mass properties of a body in MuJoCo's form: principal moments about the centre of mass and their frame. */
export interface BodyMass {
  mass: number;
  /** Centre of mass in the body frame (MuJoCo `body_ipos`). */
  com: [number, number, number];
  /** Principal moments of inertia (MuJoCo `body_inertia`). */
  inertia: [number, number, number];
  /** Principal axes as a quaternion [w, x, y, z] in the body frame (MuJoCo `body_iquat`). */
  iquatWxyz: [number, number, number, number];
}

/**
 * Mass properties of a body made of axis-aligned boxes and z-axis cylinders of uniform
 * `density` (kg/m³), as MuJoCo's compiler derives them from the geoms: the combined inertia
 * tensor about the centre of mass, diagonalized (Jacobi rotations) when the shapes' offsets
 * make it non-diagonal.
 */
export function massProperties(shapes: readonly ShapeDesc[], density: number): BodyMass {
  let mass = 0;
  const com: [number, number, number] = [0, 0, 0];
  for (const s of shapes) {
    const m = density * shapeVolume(s);
    mass += m;
    for (let k = 0; k < 3; k++) com[k] += m * s.offset[k];
  }
  if (mass > 0) for (let k = 0; k < 3; k++) com[k] /= mass;
  // Inertia tensor about the centre of mass (row-major 3×3).
  const I = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (const s of shapes) {
    const m = density * shapeVolume(s);
    const d = [s.offset[0] - com[0], s.offset[1] - com[1], s.offset[2] - com[2]];
    const dd = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    const own = ownInertia(s, m);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) I[3 * i + j] += (i === j ? own[i] + m * dd : 0) - m * d[i] * d[j];
    }
  }
  const { values, quat } = symmetricEigen(I);
  return { mass, com, inertia: values, iquatWxyz: quat };
}

/** Principal moments of a shape of mass `m` about its own centre, along the body axes. */
function ownInertia(s: ShapeDesc, m: number): [number, number, number] {
  if (s.type === 'cylinder') {
    const r2 = s.radius * s.radius;
    const side = (m / 12) * (3 * r2 + 4 * s.halfHeight * s.halfHeight);
    return [side, side, (m / 2) * r2];
  }
  const [a, b, c] = s.halfExtents;
  return [(m / 3) * (b * b + c * c), (m / 3) * (a * a + c * c), (m / 3) * (a * a + b * b)];
}

/**
 * Eigen-decomposition of a symmetric 3×3 matrix by cyclic Jacobi rotations: eigenvalues and
 * the rotation (quaternion [w, x, y, z]) whose columns are the eigenvectors. A diagonal
 * matrix gives itself and the identity.
 */
function symmetricEigen(matrix: readonly number[]): { values: [number, number, number]; quat: [number, number, number, number] } {
  const a = matrix.slice();
  const v = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = Math.abs(a[1]) + Math.abs(a[2]) + Math.abs(a[5]);
    if (off <= 1e-300 || off <= 1e-15 * (Math.abs(a[0]) + Math.abs(a[4]) + Math.abs(a[8]))) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]] as const) {
      const apq = a[3 * p + q];
      if (apq === 0) continue;
      const theta = (a[3 * q + q] - a[3 * p + p]) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      // a ← Jᵀ a J, v ← v J with J the rotation in the (p, q) plane.
      for (let k = 0; k < 3; k++) {
        const akp = a[3 * k + p], akq = a[3 * k + q];
        a[3 * k + p] = c * akp - s * akq;
        a[3 * k + q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[3 * p + k], aqk = a[3 * q + k];
        a[3 * p + k] = c * apk - s * aqk;
        a[3 * q + k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[3 * k + p], vkq = v[3 * k + q];
        v[3 * k + p] = c * vkp - s * vkq;
        v[3 * k + q] = s * vkp + c * vkq;
      }
    }
  }
  // Keep a right-handed frame.
  const det =
    v[0] * (v[4] * v[8] - v[5] * v[7]) - v[1] * (v[3] * v[8] - v[5] * v[6]) + v[2] * (v[3] * v[7] - v[4] * v[6]);
  if (det < 0) for (let k = 0; k < 3; k++) v[3 * k + 2] = -v[3 * k + 2];
  return { values: [a[0], a[4], a[8]], quat: matrixToQuat(v) };
}

/** Rotation matrix (row-major) to a unit quaternion [w, x, y, z]. */
function matrixToQuat(r: readonly number[]): [number, number, number, number] {
  const trace = r[0] + r[4] + r[8];
  let w: number, x: number, y: number, z: number;
  if (trace > 0) {
    const s = 2 * Math.sqrt(trace + 1);
    w = s / 4; x = (r[7] - r[5]) / s; y = (r[2] - r[6]) / s; z = (r[3] - r[1]) / s;
  } else if (r[0] > r[4] && r[0] > r[8]) {
    const s = 2 * Math.sqrt(1 + r[0] - r[4] - r[8]);
    w = (r[7] - r[5]) / s; x = s / 4; y = (r[1] + r[3]) / s; z = (r[2] + r[6]) / s;
  } else if (r[4] > r[8]) {
    const s = 2 * Math.sqrt(1 + r[4] - r[0] - r[8]);
    w = (r[2] - r[6]) / s; x = (r[1] + r[3]) / s; y = s / 4; z = (r[5] + r[7]) / s;
  } else {
    const s = 2 * Math.sqrt(1 + r[8] - r[0] - r[4]);
    w = (r[3] - r[1]) / s; x = (r[2] + r[6]) / s; y = (r[5] + r[7]) / s; z = s / 4;
  }
  const n = Math.hypot(w, x, y, z);
  return [w / n, x / n, y / n, z / n];
}
