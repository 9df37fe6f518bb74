/**
 * Poses in an observation row, found by the naming convention of `Task.obsNames`: a thing `o`
 * has its position at `o_pos_{x,y,z}` and, if it can turn, its orientation at
 * `o_quat_{x,y,z,w}`; the end effector is `ee`.
 */

/** Where one pose sits in an observation row. */
export interface ObsPoseSlot {
  /** Index of `o_pos_x`. */
  pos: number;
  /** Index of `o_quat_x`, or -1 (identity orientation). */
  quat: number;
}

/** The slot of `name`'s pose in `obsNames`; throws naming the missing entry when there is no `name_pos_x`. */
export function obsPoseSlot(obsNames: readonly string[], name: string): ObsPoseSlot {
  const pos = obsNames.indexOf(`${name}_pos_x`);
  if (pos < 0 || obsNames[pos + 1] !== `${name}_pos_y` || obsNames[pos + 2] !== `${name}_pos_z`) {
    throw new Error(`the observation has no pose of "${name}" (expected entries ${name}_pos_x, ${name}_pos_y, ${name}_pos_z in a row)`);
  }
  const quat = obsNames.indexOf(`${name}_quat_x`);
  if (quat >= 0 && ['y', 'z', 'w'].some((c, i) => obsNames[quat + 1 + i] !== `${name}_quat_${c}`)) {
    throw new Error(`the observation's orientation of "${name}" must be ${name}_quat_x, _y, _z, _w in a row`);
  }
  return { pos, quat };
}

/** Writes the pose `[x, y, z, qx, qy, qz, qw]` in `slot` of the observation at `o` into `out` at `outOffset`. */
export function readObsPose(obs: ArrayLike<number>, o: number, slot: ObsPoseSlot, out: Float64Array | Float32Array | number[], outOffset = 0): void {
  for (let i = 0; i < 3; i++) out[outOffset + i] = obs[o + slot.pos + i];
  if (slot.quat < 0) {
    out[outOffset + 3] = out[outOffset + 4] = out[outOffset + 5] = 0;
    out[outOffset + 6] = 1;
  } else {
    for (let i = 0; i < 4; i++) out[outOffset + 3 + i] = obs[o + slot.quat + i];
  }
}
