/**
 * WGSL: the action each world takes this step, from the chunk history — the maths of
 * `ChunkExecutor.actions()`: `first` takes entry 0 of the latest chunk, `open-loop` entry
 * `step mod chunk` of the chunk queried at the start of the cycle, `ensemble` the ACT-weighted
 * mean (weight exp(−decay·i), i = 0 for the oldest) of the last min(step + 1, chunk) chunks'
 * predictions for this step; then a binary dimension (`levels[d].x` = 1) is snapped to the nearer
 * of its levels `levels[d].y` < `levels[d].z`, as `snapToLevel` does. Writes the Sim's action
 * buffer. One invocation per (world, dimension).
 */
export const EXECUTE_CHUNK_WGSL = /* wgsl */ `
const MODE_OPEN_LOOP: u32 = 1u;
const MODE_ENSEMBLE: u32 = 2u;

@group(0) @binding(0) var<uniform> cfg: ChunkConfig;
@group(0) @binding(1) var<storage, read> history: array<f32>;       // slots × numWorlds × chunk × actionSize
@group(0) @binding(2) var<storage, read> state: StepState;
@group(0) @binding(3) var<storage, read_write> actions_out: array<f32>; // numWorlds × actionSize
@group(0) @binding(4) var<storage, read> levels: array<vec4f>;           // actionSize × (binary, low, high, 0)

fn snap(d: u32, value: f32) -> f32 {
  let level = levels[d];
  if (level.x == 0.0) { return value; }
  return select(level.y, level.z, value >= 0.5 * (level.y + level.z));
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn execute_chunk(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let t = invocationIndex(gid, groups);
  let a = cfg.actionSize;
  if (t >= cfg.numWorlds * a) { return; }
  let world = t / a;
  let d = t % a;
  let k = cfg.chunk;
  let rowBase = world * k * a + d;
  let step = state.step;
  if (cfg.mode != MODE_ENSEMBLE) {
    let entry = select(0u, step % k, cfg.mode == MODE_OPEN_LOOP);
    actions_out[t] = snap(d, history[rowBase + entry * a]);
    return;
  }
  let slotSize = cfg.numWorlds * k * a;
  let available = min(step + 1u, k);
  var sum = 0.0;
  var total = 0.0;
  // Oldest first, as ChunkExecutor sums: the chunk queried \`age\` steps ago predicted this step at entry \`age\`.
  for (var i = 0u; i < available; i++) {
    let age = available - 1u - i;
    let weight = exp(-cfg.decay * f32(i));
    let slot = (step - age) % k;
    sum += weight * history[slot * slotSize + rowBase + age * a];
    total += weight;
  }
  actions_out[t] = snap(d, sum / total);
}
`;
