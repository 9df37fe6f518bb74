// Entry point of the scene solver: `stepScene` advances every world by one control step (the
// controlled body from the world's `from` to its `to` pose, `substeps` physics steps) and flags
// a world that blew up (non-finite or beyond the fault limits); a flagged world is not stepped
// again until the host resets it. The host runs the controller and the task (reset, evaluate,
// observe, reward) and writes each world's Data and start state. One invocation per world
// (world = linear invocation index over x and y); dispatch ceil(numWorlds / WORKGROUP_SIZE)
// workgroups. The topology constants (NUM_BODIES, BODY_ROLE, PAIR_A, …) are generated per task.
// #requires quat
// #requires collide
// #requires scene-bindings
// #requires scene-solver

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
  let world = worldOf(gid, groups);
  if (world >= cfg.numWorlds || (worlds[world].flags & SCENE_FLAG_FAULT) != 0u) {
    return;
  }
  loadWorld(world);
  stepControl();
  storeWorld();
  if (!healthy()) {
    worlds[world].flags |= SCENE_FLAG_FAULT;
  }
}
