/**
 * WGSL: the policy input, `(obs − mean) / std` per dimension, read straight from the Sim's
 * output rows (no copy of the observations). One invocation per (world, dimension).
 */
export const NORMALIZE_OBS_WGSL = /* wgsl */ `
@group(0) @binding(0) var<uniform> cfg: ObsNormalizeConfig;
@group(0) @binding(1) var<storage, read> outputs: array<f32>;    // the Sim's output rows
@group(0) @binding(2) var<storage, read> obsStats: array<f32>;   // mean[obsSize], then std[obsSize]
@group(0) @binding(3) var<storage, read_write> x_out: array<f32>; // numWorlds × obsSize

@compute @workgroup_size(WORKGROUP_SIZE)
fn normalize_obs(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let t = invocationIndex(gid, groups);
  if (t >= cfg.numWorlds * cfg.obsSize) { return; }
  let world = t / cfg.obsSize;
  let i = t % cfg.obsSize;
  let value = outputs[world * cfg.outputStride + cfg.obsOffset + i];
  x_out[t] = (value - obsStats[i]) / obsStats[cfg.obsSize + i];
}
`;
