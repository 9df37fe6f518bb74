/** Poses `[x, y, z, qx, qy, qz, qw]` as MimicGen's 4×4 homogeneous matrices. */

/** Writes the row-major 4×4 matrix of pose row `row` of `poses` (7 floats a row) into `out` at `offset`. */
export function poseToMatrix(poses: Float32Array, row: number, out: Float32Array, offset: number): void {
  const p = row * 7;
  const [x, y, z, qx, qy, qz, qw] = [poses[p], poses[p + 1], poses[p + 2], poses[p + 3], poses[p + 4], poses[p + 5], poses[p + 6]];
  out.set(
    [
      1 - 2 * (qy * qy + qz * qz), 2 * (qx * qy - qz * qw), 2 * (qx * qz + qy * qw), x,
      2 * (qx * qy + qz * qw), 1 - 2 * (qx * qx + qz * qz), 2 * (qy * qz - qx * qw), y,
      2 * (qx * qz - qy * qw), 2 * (qy * qz + qx * qw), 1 - 2 * (qx * qx + qy * qy), z,
      0, 0, 0, 1,
    ],
    offset,
  );
}

/** `[T, 4, 4]` matrices of the `[T, 7]` poses. */
export function posesToMatrices(poses: Float32Array): Float32Array {
  const length = poses.length / 7;
  const out = new Float32Array(length * 16);
  for (let t = 0; t < length; t++) poseToMatrix(poses, t, out, t * 16);
  return out;
}
