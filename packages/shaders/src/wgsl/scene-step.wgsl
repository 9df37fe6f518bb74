// Entry point of the scene solver: `stepScene` advances every world by one control step (the
// controlled body from the world's `from` to its `to` pose, `substeps` physics steps) and flags
// a world that blew up (non-finite or beyond the fault limits); a flagged world is not stepped
// again until the host resets it. The host runs the controller and the task (reset, evaluate,
// observe, reward) and writes each world's Data and start state. One invocation per world
// (world = linear invocation index over x and y); dispatch ceil(numWorlds / WORKGROUP_SIZE)
// workgroups. The topology constants (NUM_BODIES, BODY_ROLE, PAIR_A, …) are generated per task.
// #requires quat
// #requires collide
// #requires scene-solver
// #struct SceneConfig
// #struct SolverBody
// #struct SolverDrive
// #struct SolverWorld
// #struct SolverContact
// #struct CacheEntry

override WORKGROUP_SIZE: u32 = 64u;

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

var<private> worldIndex: u32;
var<private> wb: u32;
var<private> wd: u32;
var<private> wc: u32;
var<private> wk: u32;

fn finite3(v: vec3f) -> bool {
  let e = bitcast<vec3u>(v) & vec3u(0x7f800000u);
  return all(e != vec3u(0x7f800000u));
}

// Whether every body and joint of the world is finite and within the fault limits.
fn healthy() -> bool {
  for (var i = 0u; i < NUM_BODIES; i++) {
    let b = B[i];
    if (!finite3(b.x) || !finite3(b.q.xyz) || !finite3(vec3f(b.q.w)) || !finite3(b.v) || !finite3(b.w)) {
      return false;
    }
    if (length(b.v) > cfg.maxLinearSpeed || length(b.w) > cfg.maxAngularSpeed) {
      return false;
    }
  }
  return true;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn stepScene(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let world = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (world >= cfg.numWorlds || (worlds[world].flags & SCENE_FLAG_FAULT) != 0u) {
    return;
  }
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
  stepControl();
  for (var i = 0u; i < NUM_BODIES; i++) {
    bodies[wb + i] = B[i];
  }
  for (var j = 0u; j < NUM_JOINTS; j++) {
    coords[wc + 2u * j] = J[j].x;
    coords[wc + 2u * j + 1u] = J[j].y;
  }
  if (!healthy()) {
    worlds[world].flags |= SCENE_FLAG_FAULT;
  }
}
