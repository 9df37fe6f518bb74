/**
 * WGSL: one Adam update with decoupled weight decay, the maths of `Adam.step` (adam.ts) in f32:
 * `m ← β1 m + (1−β1) g`, `v ← β2 v + (1−β2) g²`,
 * `p ← p − η (m / c1) / (√(v / c2) + ε) − η·weightDecay·p`, with the bias corrections
 * `c1 = 1 − β1ᵗ`, `c2 = 1 − β2ᵗ` (t = step + 1) and the scheduled rate η = lr × lrScale read from
 * a per-step table the host computes in f64 (`corrections[step] = (c1, c2, η, η·weightDecay)`),
 * so they carry no f32 power error.
 * Dispatch: one invocation per parameter.
 */
export const ADAM_UPDATE_WGSL = /* wgsl */ `
@group(0) @binding(0) var<uniform> config: AdamConfig;
@group(0) @binding(1) var<storage, read> state: StepState;
@group(0) @binding(2) var<storage, read> corrections: array<vec4f>; // (1 − β1ᵗ, 1 − β2ᵗ, η, η·wd) per step
@group(0) @binding(3) var<storage, read> grads: array<f32>;
@group(0) @binding(4) var<storage, read_write> params: array<f32>;
@group(0) @binding(5) var<storage, read_write> m: array<f32>;
@group(0) @binding(6) var<storage, read_write> v: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn adam_update(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let j = invocationIndex(gid, groups);
  if (j >= config.count) { return; }
  let c = corrections[min(state.step, arrayLength(&corrections) - 1u)];
  let g = grads[j];
  let mj = config.beta1 * m[j] + config.oneMinusBeta1 * g;
  let vj = config.beta2 * v[j] + config.oneMinusBeta2 * g * g;
  m[j] = mj;
  v[j] = vj;
  let p = params[j];
  params[j] = p - c.z * (mj / c.x) / (sqrt(vj / c.y) + config.epsilon) - c.w * p;
}
`;
