/**
 * WGSL: parameter gradients of a dense layer, `dW[o][i] = Σ_rows dy[r][o] · x[r][i]` and
 * `db[o] = Σ_rows dy[r][o]`, written (not accumulated) into the layer's slice of the flat
 * gradient vector. Each invocation computes a 4-output × 4-input block of `dW`; those of the
 * first input block also write the 4 bias gradients. Sums run over the batch rows in order.
 * Dispatch: `ceil(fanOut / 4) × ceil(fanIn / 4)` invocations.
 */
export const DENSE_PARAM_GRADS_WGSL = /* wgsl */ `
@group(0) @binding(0) var<uniform> layer: DenseLayerConfig;
@group(0) @binding(1) var<storage, read> x: array<f32>;              // layer input, batch × fanIn
@group(0) @binding(2) var<storage, read> dy: array<f32>;             // dLoss/dy, batch × fanOut
@group(0) @binding(3) var<storage, read_write> grads_out: array<f32>; // flat, parameter layout

fn storeWeightColumn(inputIndex: u32, out0: u32, value: vec4f) {
  if (inputIndex >= layer.fanIn) { return; }
  for (var k = 0u; k < 4u; k++) {
    if (out0 + k < layer.fanOut) { grads_out[layer.weightOffset + (out0 + k) * layer.fanIn + inputIndex] = value[k]; }
  }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn dense_param_grads(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let fanIn = layer.fanIn;
  let fanOut = layer.fanOut;
  let inBlocks = (fanIn + 3u) / 4u;
  let t = invocationIndex(gid, groups);
  if (t >= inBlocks * ((fanOut + 3u) / 4u)) { return; }
  let out0 = (t / inBlocks) * 4u;
  let in0 = (t % inBlocks) * 4u;
  // Indices past the end are read clamped (their sums are discarded).
  let o = min(vec4u(out0) + vec4u(0u, 1u, 2u, 3u), vec4u(fanOut - 1u));
  let i = min(vec4u(in0) + vec4u(0u, 1u, 2u, 3u), vec4u(fanIn - 1u));
  var acc0 = vec4f(0.0); // dW[o.xyzw][in0]
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  var biasAcc = vec4f(0.0);
  for (var r = 0u; r < layer.batch; r++) {
    let dyBase = r * fanOut;
    let d = vec4f(dy[dyBase + o.x], dy[dyBase + o.y], dy[dyBase + o.z], dy[dyBase + o.w]);
    let xBase = r * fanIn;
    acc0 += x[xBase + i.x] * d;
    acc1 += x[xBase + i.y] * d;
    acc2 += x[xBase + i.z] * d;
    acc3 += x[xBase + i.w] * d;
    biasAcc += d;
  }
  storeWeightColumn(in0, out0, acc0);
  storeWeightColumn(in0 + 1u, out0, acc1);
  storeWeightColumn(in0 + 2u, out0, acc2);
  storeWeightColumn(in0 + 3u, out0, acc3);
  if (in0 == 0u) {
    for (var k = 0u; k < 4u; k++) {
      if (out0 + k < fanOut) { grads_out[layer.biasOffset + out0 + k] = biasAcc[k]; }
    }
  }
}
`;
