// Entry points of the WebGPU backend: `resetWorlds` starts new episodes in the worlds whose
// `resetEpisodes` entry is not KEEP_WORLD; `stepWorlds` advances every world whose `holds`
// entry is 0 by one control step (controller, physics substeps, fault check and reset,
// evaluation, observation) and leaves the others exactly as they are.
// One invocation per world (world = linear invocation index over x and y); dispatch
// ceil(numWorlds / WORKGROUP_SIZE) workgroups.
// #requires hash-prng
// #requires quat
// #requires collide
// #requires gripper-physics
// #requires ee-controller
// #requires pick-place-task
// #struct SimConfig
// #struct WorldState
// #struct CacheEntry
// #struct WorldOutput

// Invocations (worlds) per workgroup: a pipeline-overridable constant, 1..256 (the host
// dispatches ceil(numWorlds / WORKGROUP_SIZE) workgroups; 1 = one world per workgroup).
override WORKGROUP_SIZE: u32 = 64u;

// A resetEpisodes entry equal to this leaves the world as it is.
const KEEP_WORLD: u32 = 0xffffffffu;

// Output flag of a step whose action had a non-finite entry (bit OUTPUT_FLAGS.actionRejected = 13).
const ACTION_REJECTED_FLAG: u32 = 1u << 13u;

@group(0) @binding(0) var<uniform> cfg: SimConfig;
// numParams + 1 entries, f32-rounded: entry id < numParams is parameter id's range at grade 0
// (min, max) and at grade 1 (min, max); entry numParams says how the grade t is drawn:
// (min, max, 0, -) for t = clamp(U(min, max), 0, 1), (-, -, 1, weight) for t = 1 with
// probability weight, else 0. An ungraded randomization has equal ranges at both grades.
@group(0) @binding(1) var<storage, read> ranges: array<vec4f>;
// 7 floats per world.
@group(0) @binding(2) var<storage, read> actions: array<f32>;
// numParams floats per world: the parameters of the current episode.
@group(0) @binding(3) var<storage, read_write> params: array<f32>;
@group(0) @binding(4) var<storage, read_write> states: array<WorldState>;
// MAX_CONTACTS entries per world.
@group(0) @binding(5) var<storage, read_write> cacheBuf: array<CacheEntry>;
@group(0) @binding(6) var<storage, read_write> outputs: array<WorldOutput>;
@group(0) @binding(7) var<storage, read> resetEpisodes: array<vec2u>;
// One u32 per world: nonzero holds the world still through `stepWorlds` (no physics, its
// output row unchanged). Written by kernels fused into the step loop (Sim.gpuAccess); the
// host's own steps clear it first.
@group(0) @binding(8) var<storage, read> holds: array<u32>;

fn isFinite3(v: vec3f) -> bool {
  let e = bitcast<vec3u>(v) & vec3u(0x7f800000u);
  return all(e != vec3u(0x7f800000u));
}

// PRNG parameter id of the grade draw (GRADE_DRAW_ID in pick-place/params.ts).
const GRADE_DRAW_ID: u32 = 0x100u;

// a + (b - a) * t, each operation rounded, and b at t = 1 (TS lerpF32): exactly a at t = 0
// or when a == b.
fn lerpF32(a: f32, b: f32, t: f32) -> f32 {
  return select(a + noContract((b - a) * t, cfg.opaqueZero), b, t >= 1.0);
}

// Draws the parameters of (episode, key) into world `world`'s row and starts the world from them:
// first the world's grade t in [0, 1], then each parameter over its range
// interpolated to t (drawPickPlaceParams, bit for bit).
fn startEpisode(world: u32, episode: u32, key: u32) {
  var p: array<f32, 16>;
  let row = world * cfg.numParams;
  let g = ranges[cfg.numParams];
  let mixed = select(0.0, 1.0, uniform01(cfg.seed, episode, key, GRADE_DRAW_ID) < g.w);
  let graded = clamp(uniformRange(g.x, g.y, cfg.seed, episode, key, GRADE_DRAW_ID, cfg.opaqueZero), 0.0, 1.0);
  let t = select(graded, mixed, g.z == 1.0);
  for (var id = 0u; id < cfg.numParams; id++) {
    let r = ranges[id];
    let lo = lerpF32(r.x, r.z, t);
    let hi = lerpF32(r.y, r.w, t);
    let v = uniformRange(lo, hi, cfg.seed, episode, key, id, cfg.opaqueZero);
    params[row + id] = v;
    p[id] = v;
  }
  initWorld(p);
  outputs[world].episode = episode;
  outputs[world].stepCount = 0u;
  outputs[world].worldKey = key;
}

// Evaluates and observes `S`, then stores it and the world's output row.
fn finishWorld(world: u32, fault: bool) {
  let signals = evaluateWorld();
  let success = (signals & 1u) != 0u;
  var flags = signals << 4u;
  flags |= select(0u, 1u, success) | select(0u, 2u, success);
  flags |= select(0u, 4u, outputs[world].stepCount >= cfg.maxEpisodeSteps);
  flags |= select(0u, 8u, fault);
  flags |= S.overflow << 12u;
  outputs[world].flags = flags;
  outputs[world].reward = rewardWorld(signals);
  observeWorld(world);
  states[world] = S;
}

fn worldOf(gid: vec3u, groups: vec3u) -> u32 {
  return gid.x + gid.y * groups.x * WORKGROUP_SIZE;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn resetWorlds(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let world = worldOf(gid, groups);
  if (world >= cfg.numWorlds) {
    return;
  }
  let reset = resetEpisodes[world];
  if (reset.x == KEEP_WORLD) {
    return;
  }
  worldIndex = world;
  startEpisode(world, reset.x, reset.y);
  finishWorld(world, false);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn stepWorlds(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let world = worldOf(gid, groups);
  if (world >= cfg.numWorlds || holds[world] != 0u) {
    return;
  }
  worldIndex = world;
  S = states[world];
  let fromPos = S.targetPos;
  let fromQuat = S.targetQuat;
  let a = world * 7u;
  let posAction = vec3f(actions[a], actions[a + 1u], actions[a + 2u]);
  let rotAction = vec3f(actions[a + 3u], actions[a + 4u], actions[a + 5u]);
  let gripperAction = actions[a + 6u];
  // The host rejects non-finite actions before uploading them, but actions written on the GPU
  // (Sim.gpuAccess) arrive unchecked: such an action is dropped (the controller keeps its
  // target, a hold) and flagged (ACTION_REJECTED_FLAG), so it cannot poison the world.
  let actionOk = isFinite3(posAction) && isFinite3(rotAction) && isFinite3(vec3f(gripperAction, 0.0, 0.0));
  if (actionOk) {
    applyAction(posAction, rotAction, gripperAction, cfg.absoluteActions != 0u);
  }
  stepControl(fromPos, fromQuat);
  let ok = isFinite3(S.cubePos) && isFinite3(S.cubeVel) && isFinite3(S.cubeAngVel)
        && isFinite3(vec3f(S.travel, S.travelSpeed.x)) && isFinite3(vec3f(S.travelSpeed.y, 0.0, 0.0))
        && length(S.cubeVel) <= FAULT_MAX_LINEAR_SPEED && length(S.cubeAngVel) <= FAULT_MAX_ANGULAR_SPEED
        && abs(S.travelSpeed.x) <= FAULT_MAX_LINEAR_SPEED && abs(S.travelSpeed.y) <= FAULT_MAX_LINEAR_SPEED;
  if (ok) {
    outputs[world].stepCount += 1u;
    finishWorld(world, false);
  } else {
    // Blown up: start the world's next episode and flag it.
    startEpisode(world, outputs[world].episode + 1u, outputs[world].worldKey);
    finishWorld(world, true);
  }
  if (!actionOk) {
    outputs[world].flags |= ACTION_REJECTED_FLAG;
  }
}
