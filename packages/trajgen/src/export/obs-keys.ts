/**
 * Named observation keys: the task's observation vector split into the entities it describes,
 * the way robomimic datasets store `obs/<key>` (robosuite's `robot0_eef_pos`, `object`, …), but
 * with the task's own names.
 */

/** One key of the split observation: `width` consecutive columns of the vector from `start`. */
export interface ObsKey {
  /** `ee_pos`, `ee_quat`, `gripper_opening`, `cube_pos`, `cube_to_ee`, … */
  key: string;
  /** First column in the observation vector. */
  start: number;
  /** Number of columns. */
  width: number;
  /** The obsNames of the columns. */
  names: string[];
}

/** A trailing vector component: `_x`, `_y`, `_z` or `_w`. */
const COMPONENT = /_[xyzw]$/;

/**
 * Splits `obsNames` into keys. Rule: a name ending in a vector component (`_x`, `_y`, `_z`,
 * `_w`) belongs to the key named by what precedes it (`ee_pos_x` → `ee_pos`, `cube_quat_w` →
 * `cube_quat`); consecutive names with the same key form one key; any other name is a key of
 * width 1 (`gripper_opening`). Throws if a key would cover two separate runs of columns.
 */
export function splitObsKeys(obsNames: readonly string[]): ObsKey[] {
  const keys: ObsKey[] = [];
  obsNames.forEach((name, column) => {
    const key = name.replace(COMPONENT, '');
    const last = keys[keys.length - 1];
    if (last && last.key === key && key !== name) {
      last.width++;
      last.names.push(name);
      return;
    }
    if (keys.some((k) => k.key === key)) {
      throw new Error(`observation key "${key}" (from obsNames[${column}] "${name}") is not in one run of columns; obsNames: ${obsNames.join(', ')}`);
    }
    keys.push({ key, start: column, width: 1, names: [name] });
  });
  return keys;
}

/** Rows `[T, key.width]` of key `key` cut from a `[T, obsSize]` observation matrix. */
export function sliceObsKey(obs: Float32Array, obsSize: number, key: ObsKey): Float32Array {
  const length = obs.length / obsSize;
  const out = new Float32Array(length * key.width);
  for (let t = 0; t < length; t++) out.set(obs.subarray(t * obsSize + key.start, t * obsSize + key.start + key.width), t * key.width);
  return out;
}
