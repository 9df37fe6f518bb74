/** Invocations of the single loss-reduce workgroup. */
export const LOSS_REDUCE_WORKGROUP_SIZE = 256;

/**
 * WGSL: the step's mean-squared error `Σ (output − target)² / count`, summed by one workgroup
 * (strided partial sums, then a tree), written to `loss_out[step]` (skipped when `step` is past
 * the end of `loss_out`). It is the last kernel of a training step and ends it: it increments
 * `state.step`. Dispatch: exactly one workgroup.
 */
export const LOSS_REDUCE_WGSL = /* wgsl */ `
const LOSS_WORKGROUP_SIZE: u32 = ${LOSS_REDUCE_WORKGROUP_SIZE}u;

@group(0) @binding(0) var<uniform> config: LossConfig;
@group(0) @binding(1) var<storage, read> output: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<f32>;
@group(0) @binding(3) var<storage, read_write> loss_out: array<f32>; // one entry per step
@group(0) @binding(4) var<storage, read_write> state: StepState;

var<workgroup> partial: array<f32, LOSS_WORKGROUP_SIZE>;

@compute @workgroup_size(LOSS_WORKGROUP_SIZE)
fn loss_reduce(@builtin(local_invocation_index) lane: u32) {
  var sum = 0.0;
  for (var j = lane; j < config.count; j += LOSS_WORKGROUP_SIZE) {
    let diff = output[j] - targets[j];
    sum += diff * diff;
  }
  partial[lane] = sum;
  workgroupBarrier();
  for (var half = LOSS_WORKGROUP_SIZE / 2u; half > 0u; half /= 2u) {
    if (lane < half) { partial[lane] += partial[lane + half]; }
    workgroupBarrier();
  }
  if (lane == 0u) {
    let step = state.step;
    if (step < arrayLength(&loss_out)) { loss_out[step] = partial[0] / f32(config.count); }
    state.step = step + 1u;
  }
}
`;
