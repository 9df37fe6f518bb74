/**
 * WGSL: gradient of the mean-squared error w.r.t. the network output,
 * `delta[j] = (2 / count) · (output[j] − target[j])` for the `count` = batch × output-size entries
 * (the loss itself is summed by the loss-reduce kernel). Dispatch: `count` invocations.
 */
export const MSE_DELTA_WGSL = /* wgsl */ `
@group(0) @binding(0) var<uniform> config: MseConfig;
@group(0) @binding(1) var<storage, read> output: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<f32>;
@group(0) @binding(3) var<storage, read_write> delta_out: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn mse_delta(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let j = invocationIndex(gid, groups);
  if (j >= config.count) { return; }
  delta_out[j] = config.scale * (output[j] - targets[j]);
}
`;
