// The scene solver's stages as kernels of their own, for the tests that run each stage from the
// same inputs as its TS specification (`SolverSpecWorld`'s stage methods), so that a divergence
// names its stage. Each reads its inputs from the buffers and writes its outputs back, one
// invocation per world; the stages in order reproduce the first small step of a physics step
// as `physicsStep` runs it:
//   stageContacts   the links placed on the hand, broad phase, narrow phase → `contacts`
//   stageMatch      each contact's warm-start impulses from the `cache`
//   stageSolve      gravity, warm start, the biased solve (joint drives and limits, contacts)
//   stageStabilize  position integration, the unbiased solve
// `stageIo` holds per world the number of rows of `contacts` in use and the joint drives'
// impulses of the small step (which the biased solve accumulates and stabilization reads).
// #requires quat
// #requires collide
// #requires scene-bindings
// #requires scene-solver

@group(0) @binding(8) var<storage, read_write> stageIo: array<f32>;

const STAGE_IO_STRIDE: u32 = 1u + JOINT_SLOTS;

fn loadContacts() {
  let o = worldIndex * STAGE_IO_STRIDE;
  numContacts = u32(stageIo[o]);
  movingPair = false;
  for (var i = 0u; i < numContacts; i++) {
    C[i] = contacts[wk + i];
    movingPair = movingPair || joinsMovingBodies(C[i].a, C[i].b);
  }
  for (var j = 0u; j < NUM_JOINTS; j++) {
    lDrive[j] = stageIo[o + 1u + j];
  }
}

// Makes the invocation's world current (loading its bodies and joints); false past the last world.
fn enterWorld(gid: vec3u, groups: vec3u) -> bool {
  let world = worldOf(gid, groups);
  if (world >= cfg.numWorlds) {
    return false;
  }
  loadWorld(world);
  return true;
}

fn storeContacts() {
  let o = worldIndex * STAGE_IO_STRIDE;
  stageIo[o] = f32(numContacts);
  for (var i = 0u; i < numContacts; i++) {
    contacts[wk + i] = C[i];
  }
  for (var j = 0u; j < NUM_JOINTS; j++) {
    stageIo[o + 1u + j] = lDrive[j];
  }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn stageContacts(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  if (!enterWorld(gid, groups)) {
    return;
  }
  generateContacts();
  storeContacts();
  storeWorld();
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn stageMatch(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  if (!enterWorld(gid, groups)) {
    return;
  }
  loadContacts();
  matchCache();
  storeContacts();
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn stageSolve(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  if (!enterWorld(gid, groups)) {
    return;
  }
  loadContacts();
  updateInertia();
  biasedSolve(0u, beginPhysicsStep());
  storeContacts();
  storeWorld();
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn stageStabilize(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  if (!enterWorld(gid, groups)) {
    return;
  }
  loadContacts();
  updateInertia();
  stabilize(0u, beginPhysicsStep());
  storeContacts();
  storeWorld();
}
