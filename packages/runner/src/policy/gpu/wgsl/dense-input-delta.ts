/**
 * WGSL: loss gradient w.r.t. a dense layer's input through the previous layer's ReLU,
 * `dx[r][i] = Σ_o dy[r][o] · W[o][i]`, zeroed where the stored input activation `x[r][i] ≤ 0`
 * (the activation is 0 exactly where its pre-activation was ≤ 0, as in `mlpBackwardMse`).
 * Only for layers after the first (the first layer's input is the observation). Each invocation
 * computes a 4-row × 4-input block; sums run over the outputs in order.
 * Dispatch: `ceil(batch / 4) × ceil(fanIn / 4)` invocations.
 */
export const DENSE_INPUT_DELTA_WGSL = /* wgsl */ `
@group(0) @binding(0) var<uniform> layer: DenseLayerConfig;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;           // layer input (a ReLU output), batch × fanIn
@group(0) @binding(3) var<storage, read> dy: array<f32>;          // dLoss/dy, batch × fanOut
@group(0) @binding(4) var<storage, read_write> dx_out: array<f32>; // dLoss/dx, batch × fanIn

fn storeRow(row: u32, in0: u32, value: vec4f) {
  if (row >= layer.batch) { return; }
  let base = row * layer.fanIn;
  for (var k = 0u; k < 4u; k++) {
    if (in0 + k < layer.fanIn) {
      let j = base + in0 + k;
      dx_out[j] = select(value[k], 0.0, x[j] <= 0.0);
    }
  }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn dense_input_delta(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let fanIn = layer.fanIn;
  let fanOut = layer.fanOut;
  let inBlocks = (fanIn + 3u) / 4u;
  let t = invocationIndex(gid, groups);
  if (t >= inBlocks * ((layer.batch + 3u) / 4u)) { return; }
  let row0 = (t / inBlocks) * 4u;
  let in0 = (t % inBlocks) * 4u;
  // Indices past the end are read clamped (their sums are discarded).
  let lastRow = layer.batch - 1u;
  let dy0 = min(row0, lastRow) * fanOut;
  let dy1 = min(row0 + 1u, lastRow) * fanOut;
  let dy2 = min(row0 + 2u, lastRow) * fanOut;
  let dy3 = min(row0 + 3u, lastRow) * fanOut;
  let i = min(vec4u(in0) + vec4u(0u, 1u, 2u, 3u), vec4u(fanIn - 1u));
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var o = 0u; o < fanOut; o++) {
    let wBase = layer.weightOffset + o * fanIn;
    let w = vec4f(params[wBase + i.x], params[wBase + i.y], params[wBase + i.z], params[wBase + i.w]);
    acc0 += dy[dy0 + o] * w;
    acc1 += dy[dy1 + o] * w;
    acc2 += dy[dy2 + o] * w;
    acc3 += dy[dy3 + o] * w;
  }
  storeRow(row0, in0, acc0);
  storeRow(row0 + 1u, in0, acc1);
  storeRow(row0 + 2u, in0, acc2);
  storeRow(row0 + 3u, in0, acc3);
}
`;
