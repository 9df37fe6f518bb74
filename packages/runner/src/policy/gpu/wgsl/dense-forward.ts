/**
 * WGSL: batched dense layer forward, `y = W x + b` with optional ReLU, on the flat parameter
 * vector of mlp.ts (`W` row-major `[fanOut][fanIn]`, then `b`). Each invocation computes a
 * 4-row × 4-output register block; every sum runs over the inputs in order from the bias, as
 * `mlpForward` does (only the rounding of fused multiply-adds may differ).
 * Dispatch: `ceil(batch / 4) × ceil(fanOut / 4)` invocations.
 */
export const DENSE_FORWARD_WGSL = /* wgsl */ `
@group(0) @binding(0) var<uniform> layer: DenseLayerConfig;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;          // batch × fanIn
@group(0) @binding(3) var<storage, read_write> y_out: array<f32>; // batch × fanOut

fn storeRow(row: u32, out0: u32, value: vec4f) {
  if (row >= layer.batch) { return; }
  let base = row * layer.fanOut;
  for (var k = 0u; k < 4u; k++) {
    if (out0 + k < layer.fanOut) { y_out[base + out0 + k] = value[k]; }
  }
}

fn activate(value: vec4f) -> vec4f {
  // select, not max: keeps NaN and -0 exactly as the TS reference's \`s < 0 ? 0 : s\`.
  if (layer.relu == 0u) { return value; }
  return select(value, vec4f(0.0), value < vec4f(0.0));
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn dense_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let fanIn = layer.fanIn;
  let outBlocks = (layer.fanOut + 3u) / 4u;
  let t = invocationIndex(gid, groups);
  if (t >= outBlocks * ((layer.batch + 3u) / 4u)) { return; }
  let row0 = (t / outBlocks) * 4u;
  let out0 = (t % outBlocks) * 4u;
  // Rows and outputs past the end are read clamped (their sums are discarded): no branch in the loop.
  let lastRow = layer.batch - 1u;
  let lastOut = layer.fanOut - 1u;
  let x0 = min(row0, lastRow) * fanIn;
  let x1 = min(row0 + 1u, lastRow) * fanIn;
  let x2 = min(row0 + 2u, lastRow) * fanIn;
  let x3 = min(row0 + 3u, lastRow) * fanIn;
  let o = min(vec4u(out0) + vec4u(0u, 1u, 2u, 3u), vec4u(lastOut));
  let w0 = layer.weightOffset + o.x * fanIn;
  let w1 = layer.weightOffset + o.y * fanIn;
  let w2 = layer.weightOffset + o.z * fanIn;
  let w3 = layer.weightOffset + o.w * fanIn;
  let b = layer.biasOffset;
  let bias = vec4f(params[b + o.x], params[b + o.y], params[b + o.z], params[b + o.w]);
  var acc0 = bias;
  var acc1 = bias;
  var acc2 = bias;
  var acc3 = bias;
  for (var i = 0u; i < fanIn; i++) {
    let w = vec4f(params[w0 + i], params[w1 + i], params[w2 + i], params[w3 + i]);
    acc0 += x[x0 + i] * w;
    acc1 += x[x1 + i] * w;
    acc2 += x[x2 + i] * w;
    acc3 += x[x3 + i] * w;
  }
  storeRow(row0, out0, activate(acc0));
  storeRow(row0 + 1u, out0, activate(acc1));
  storeRow(row0 + 2u, out0, activate(acc2));
  storeRow(row0 + 3u, out0, activate(acc3));
}
`;
