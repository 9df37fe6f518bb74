/**
 * Small allocation-free quaternion helpers. Quaternions are `[x, y, z, w]`, stored in any
 * indexable array at an offset; results go to a caller-provided `dst`.
 */

/** Any writable array of numbers (plain arrays or typed arrays). */
export type Vec = { [index: number]: number; length: number };

/** dst = a ⊗ b (apply b, then a). */
export function quatMultiply(dst: Vec, a: ArrayLike<number>, b: ArrayLike<number>): Vec {
  const ax = a[0], ay = a[1], az = a[2], aw = a[3];
  const bx = b[0], by = b[1], bz = b[2], bw = b[3];
  dst[0] = aw * bx + ax * bw + ay * bz - az * by;
  dst[1] = aw * by - ax * bz + ay * bw + az * bx;
  dst[2] = aw * bz + ax * by - ay * bx + az * bw;
  dst[3] = aw * bw - ax * bx - ay * by - az * bz;
  return dst;
}

/** dst = the rotation by the rotation vector (axis · angle) `rv`. */
export function quatFromRotationVector(dst: Vec, rv: ArrayLike<number>): Vec {
  const angle = Math.hypot(rv[0], rv[1], rv[2]);
  if (angle < 1e-12) {
    dst[0] = 0.5 * rv[0];
    dst[1] = 0.5 * rv[1];
    dst[2] = 0.5 * rv[2];
    dst[3] = 1;
    return quatNormalize(dst, dst);
  }
  const s = Math.sin(angle / 2) / angle;
  dst[0] = rv[0] * s;
  dst[1] = rv[1] * s;
  dst[2] = rv[2] * s;
  dst[3] = Math.cos(angle / 2);
  return dst;
}

/** dst = the rotation vector (axis · angle, angle ∈ [0, π]) of unit quaternion q. */
export function quatToRotationVector(dst: Vec, q: ArrayLike<number>): Vec {
  let x = q[0], y = q[1], z = q[2], w = q[3];
  if (w < 0) {
    x = -x; y = -y; z = -z; w = -w;
  }
  const sinHalf = Math.hypot(x, y, z);
  const angle = 2 * Math.atan2(sinHalf, w);
  const k = sinHalf < 1e-12 ? 2 : angle / sinHalf;
  dst[0] = x * k;
  dst[1] = y * k;
  dst[2] = z * k;
  return dst;
}

/** dst = q / |q|. */
export function quatNormalize(dst: Vec, q: ArrayLike<number>): Vec {
  const n = Math.hypot(q[0], q[1], q[2], q[3]) || 1;
  dst[0] = q[0] / n;
  dst[1] = q[1] / n;
  dst[2] = q[2] / n;
  dst[3] = q[3] / n;
  return dst;
}

/** dst = rotation about +z by `yaw` radians. */
export function quatFromYaw(dst: Vec, yaw: number): Vec {
  dst[0] = 0;
  dst[1] = 0;
  dst[2] = Math.sin(yaw / 2);
  dst[3] = Math.cos(yaw / 2);
  return dst;
}

/** Yaw (rotation about +z, radians) of the x axis of unit quaternion q, projected on the table. */
export function quatYaw(q: ArrayLike<number>): number {
  const x = q[0], y = q[1], z = q[2], w = q[3];
  return Math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z));
}

/** dst = q · v · q⁻¹ (rotate vector v by unit quaternion q). */
export function quatRotate(dst: Vec, q: ArrayLike<number>, v: ArrayLike<number>): Vec {
  const qx = q[0], qy = q[1], qz = q[2], qw = q[3];
  const vx = v[0], vy = v[1], vz = v[2];
  const tx = 2 * (qy * vz - qz * vy);
  const ty = 2 * (qz * vx - qx * vz);
  const tz = 2 * (qx * vy - qy * vx);
  dst[0] = vx + qw * tx + (qy * tz - qz * ty);
  dst[1] = vy + qw * ty + (qz * tx - qx * tz);
  dst[2] = vz + qw * tz + (qx * ty - qy * tx);
  return dst;
}

/** dst = normalized linear interpolation from a to b along the shorter arc (nlerp). */
export function quatNlerp(dst: Vec, a: ArrayLike<number>, b: ArrayLike<number>, t: number): Vec {
  const sign = a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3] < 0 ? -1 : 1;
  for (let i = 0; i < 4; i++) dst[i] = a[i] + (sign * b[i] - a[i]) * t;
  return quatNormalize(dst, dst);
}

/**
 * Rotation angle (radians, [0, π]) between unit quaternions a and b: 4·atan2(|a − b|, |a + b|)
 * with b's sign chosen to match a's, exact for equal inputs even when their norm is off by
 * float32 round-off (2·acos of their dot product is not).
 */
export function quatAngleBetween(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const s = a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3] < 0 ? -1 : 1;
  let diff = 0, sum = 0;
  for (let i = 0; i < 4; i++) {
    diff += (a[i] - s * b[i]) ** 2;
    sum += (a[i] + s * b[i]) ** 2;
  }
  return 4 * Math.atan2(Math.sqrt(diff), Math.sqrt(sum));
}
