// Draws a world-major table of uniformly randomized f32 parameters: row = world,
// column = parameter id, value = uniformRange(range[column], seed, episode[world], world,
// column) — bit-identical to drawPickPlaceParams (and any task drawing the same way).
// One invocation per world; dispatch ceil(numWorlds / 64) workgroups (x, or x*y for more
// than 65535 of them: world = linear invocation index).
// #requires hash-prng
// #struct RandomizeConfig

// An episode index equal to this value leaves the world's row untouched (partial resets).
const KEEP_ROW: u32 = 0xffffffffu;

@group(0) @binding(0) var<uniform> config: RandomizeConfig;
// [min, max] of each parameter, numParams entries, already rounded to f32.
@group(0) @binding(1) var<storage, read> ranges: array<vec2f>;
// The episode index of each world, numWorlds entries.
@group(0) @binding(2) var<storage, read> episodes: array<u32>;
// Output: numWorlds * numParams f32, world-major.
@group(0) @binding(3) var<storage, read_write> params: array<f32>;

@compute @workgroup_size(64)
fn randomizeParams(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let world = gid.x + gid.y * groups.x * 64u;
  if (world >= config.numWorlds) {
    return;
  }
  let episode = episodes[world];
  if (episode == KEEP_ROW) {
    return;
  }
  let row = world * config.numParams;
  for (var id = 0u; id < config.numParams; id++) {
    let r = ranges[id];
    params[row + id] = uniformRange(r.x, r.y, config.seed, episode, world, id, config.opaqueZero);
  }
}
