/**
 * WGSL: builds the mini-batch of the current step on the GPU from the normalized, flattened
 * dataset (train.ts `FlatDataset`), exactly as `trainPolicy` does on the CPU: row `r` is sample
 * `floor(uniform01(seed, SAMPLING_STREAM, step, r) × samples)`, its observation goes to
 * `batch_obs_out`, and its target is the action chunk `sample … sample + chunk − 1`, repeating
 * the episode's last action (`lastIndex[sample]`) past its end. Needs hash-prng.wgsl
 * (@gripgen/shaders) and {@link SAMPLE_INDEX_WGSL}. Dispatch: batch × (obsSize + chunk × actionSize)
 * invocations, one per value written.
 */

/**
 * WGSL library: `sampleIndex(seed, stream, step, row, samples)` = `floor(uniform01(…) × samples)`
 * computed exactly in integers, `(h >> 8) × samples >> 24` with a 64-bit product, which is what
 * the TS reference's f64 product gives for `samples` < 2²⁹ (an f32 product would round).
 */
export const SAMPLE_INDEX_WGSL = /* wgsl */ `
// Full 64-bit product of two u32: vec2u(low word, high word).
fn mulWide(a: u32, b: u32) -> vec2u {
  let al = a & 0xffffu;
  let ah = a >> 16u;
  let bl = b & 0xffffu;
  let bh = b >> 16u;
  let ll = al * bl;
  let lh = al * bh;
  let hl = ah * bl;
  let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return vec2u((ll & 0xffffu) | (mid << 16u), ah * bh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u));
}

// floor(uniform01(seed, stream, step, row) * samples), exactly.
fn sampleIndex(seed: u32, stream: u32, step: u32, row: u32, samples: u32) -> u32 {
  let product = mulWide(hashKey(seed, stream, step, row) >> 8u, samples); // < 2^56
  return (product.y << 8u) | (product.x >> 24u);
}
`;

/** WGSL: the `batch_gather` kernel (see the module comment). */
export const BATCH_GATHER_WGSL = /* wgsl */ `
@group(0) @binding(0) var<uniform> config: GatherConfig;
@group(0) @binding(1) var<storage, read> state: StepState;
@group(0) @binding(2) var<storage, read> obs: array<f32>;        // samples × obsSize
@group(0) @binding(3) var<storage, read> actions: array<f32>;    // samples × actionSize
@group(0) @binding(4) var<storage, read> lastIndex: array<u32>;  // per sample: its episode's last sample
@group(0) @binding(5) var<storage, read_write> batch_obs_out: array<f32>;    // batch × obsSize
@group(0) @binding(6) var<storage, read_write> batch_target_out: array<f32>; // batch × chunk × actionSize

@compute @workgroup_size(WORKGROUP_SIZE)
fn batch_gather(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let targetSize = config.chunk * config.actionSize;
  let columns = config.obsSize + targetSize;
  let t = invocationIndex(gid, groups);
  if (t >= config.batch * columns) { return; }
  let row = t / columns;
  let column = t % columns;
  let sample = sampleIndex(config.seed, config.stream, state.step, row, config.samples);
  if (column < config.obsSize) {
    batch_obs_out[row * config.obsSize + column] = obs[sample * config.obsSize + column];
    return;
  }
  let slot = column - config.obsSize;
  let source = min(sample + slot / config.actionSize, lastIndex[sample]);
  batch_target_out[row * targetSize + slot] = actions[source * config.actionSize + slot % config.actionSize];
}
`;
