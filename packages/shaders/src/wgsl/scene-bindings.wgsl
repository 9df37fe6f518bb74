// The scene solver's buffers and the world being stepped: the bindings every scene-solver kernel
// shares (`scene-step`, and the stage kernels of `scene-stages` its tests run), the bases of the
// current world's rows, and loading / storing its bodies and joints (the private arrays B, M, J of
// scene-solver.wgsl). The topology constants (NUM_BODIES, DATA_STRIDE, …) are generated per task.
// #struct SceneConfig
// #struct SolverBody
// #struct SolverDrive
// #struct SolverWorld
// #struct SolverContact
// #struct CacheEntry
// #fragment (uses the generated Model constants and scene-solver's private arrays)

override WORKGROUP_SIZE: u32 = 64u;

// Bits of SolverWorld.flags (SCENE_FLAGS in scene-layouts.ts).
const SCENE_FLAG_FAULT: u32 = 1u;
const SCENE_FLAG_OVERFLOW: u32 = 2u;

@group(0) @binding(0) var<uniform> cfg: SceneConfig;
// NUM_BODIES rows per world.
@group(0) @binding(1) var<storage, read_write> bodies: array<SolverBody>;
// DATA_STRIDE rows per world: per body (inverse mass, inverse principal inertia); per shape
// (offset, friction) and (half extents, 0); per joint the link's rotation in its parent's frame.
@group(0) @binding(2) var<storage, read> worldData: array<vec4f>;
@group(0) @binding(3) var<storage, read> drives: array<SolverDrive>;
@group(0) @binding(4) var<storage, read_write> worlds: array<SolverWorld>;
// COORD_STRIDE floats per world: per joint (travel, rate); per contact query its largest normal impulse.
@group(0) @binding(5) var<storage, read_write> coords: array<f32>;
// capacity rows per world each.
@group(0) @binding(6) var<storage, read_write> cache: array<CacheEntry>;
@group(0) @binding(7) var<storage, read_write> contacts: array<SolverContact>;

// The world being stepped and the first of its rows in each buffer.
var<private> worldIndex: u32;
var<private> wb: u32;
var<private> wd: u32;
var<private> wc: u32;
var<private> wk: u32;

// Makes `world` the current world and copies its bodies, masses and joints in.
fn loadWorld(world: u32) {
  worldIndex = world;
  wb = world * NUM_BODIES;
  wd = world * DATA_STRIDE;
  wc = world * COORD_STRIDE;
  wk = world * cfg.capacity;
  for (var i = 0u; i < NUM_BODIES; i++) {
    B[i] = bodies[wb + i];
    M[i] = worldData[wd + i];
  }
  for (var j = 0u; j < NUM_JOINTS; j++) {
    J[j] = vec2f(coords[wc + 2u * j], coords[wc + 2u * j + 1u]);
  }
  updateAxes();
}

// Writes the current world's bodies and joints back.
fn storeWorld() {
  for (var i = 0u; i < NUM_BODIES; i++) {
    bodies[wb + i] = B[i];
  }
  for (var j = 0u; j < NUM_JOINTS; j++) {
    coords[wc + 2u * j] = J[j].x;
    coords[wc + 2u * j + 1u] = J[j].y;
  }
}

// The world of invocation `gid` (over x and y; see world-dispatch.ts).
fn worldOf(gid: vec3u, groups: vec3u) -> u32 {
  return gid.x + gid.y * groups.x * WORKGROUP_SIZE;
}
