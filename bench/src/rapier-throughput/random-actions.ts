/** A small seeded PRNG (mulberry32): uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Per-step action limits (the Sim's `spec.actionLimits`). */
export interface ActionLimits {
  maxDeltaPosition: number;
  maxDeltaRotation: number;
}

/**
 * Fills `out` (7 floats per world: dx dy dz, rx ry rz, gripper) with uniform random
 * actions: position and rotation components in ±limit, the gripper command in [-1, 1].
 */
export function fillRandomActions(out: Float32Array, random: () => number, limits: ActionLimits): Float32Array {
  const { maxDeltaPosition: dp, maxDeltaRotation: dr } = limits;
  for (let o = 0; o + 7 <= out.length; o += 7) {
    for (let i = 0; i < 3; i++) out[o + i] = (2 * random() - 1) * dp;
    for (let i = 3; i < 6; i++) out[o + i] = (2 * random() - 1) * dr;
    out[o + 6] = 2 * random() - 1;
  }
  return out;
}
