// The pick-place task on the GPU: a world's start from its randomized parameters, success
// and sub-signals, the observation and the dense reward — the WGSL twins of
// packages/sim-core/src/tasks/pick-place/{scene,evaluate,observe}.ts. Parameter columns
// P_* and thresholds SUCCESS_* are generated from the TS constants.
// #requires quat
// #struct WorldState
// #fragment (uses the module-scope `S` of sim-step)

// Starts world `S` from parameter row `p` (the same start as buildPickPlaceScene).
fn initWorld(p: array<f32, 16>) {
  let e = p[P_CUBE_EDGE];
  S.cubeHalf = 0.5 * e;
  S.cubeMass = p[P_CUBE_MASS];
  S.cubeInvInertia = 6.0 / (S.cubeMass * e * e);
  S.cubeFriction = p[P_CUBE_FRICTION];
  S.cubePos = vec3f(p[P_CUBE_X], p[P_CUBE_Y], 0.5 * e);
  S.cubeQuat = quatFromYaw(p[P_CUBE_YAW]);
  S.cubeVel = vec3f(0.0);
  S.cubeAngVel = vec3f(0.0);
  S.handPos = vec3f(p[P_HAND_X], p[P_HAND_Y], p[P_HAND_Z]);
  S.handQuat = quatFromYaw(p[P_HAND_YAW]);
  S.handVel = vec3f(0.0);
  S.handAngVel = vec3f(0.0);
  S.travel = vec2f(G_FINGER_TRAVEL);
  S.travelSpeed = vec2f(0.0);
  S.commandedTravel = G_FINGER_TRAVEL;
  S.driveTarget = G_FINGER_TRAVEL;
  S.binPos = vec2f(p[P_BIN_X], p[P_BIN_Y]);
  S.targetPos = S.handPos;
  S.targetQuat = S.handQuat;
  S.gripperCommand = -1.0;
  S.cacheCount = 0u;
  S.overflow = 0u;
  S.queryImpulse = vec2f(0.0);
}

// Sub-signal bits in the order of PICK_PLACE_SIGNALS: success, isGrasped, isLifted,
// objectInBin, isAtRest.
fn evaluateWorld() -> u32 {
  let isGrasped = S.queryImpulse.x > cfg.pushingImpulse && S.queryImpulse.y > cfg.pushingImpulse;
  let isLifted = S.cubePos.z - S.cubeHalf > SUCCESS_LIFT_HEIGHT;
  let rel = abs(S.cubePos.xy - S.binPos);
  let objectInBin = rel.x < G_BIN_INNER_HALF_SIZE && rel.y < G_BIN_INNER_HALF_SIZE && S.cubePos.z < G_BIN_RIM_HEIGHT;
  let isAtRest = length(S.cubeVel) < SUCCESS_MAX_REST_SPEED && length(S.cubeAngVel) < SUCCESS_MAX_REST_ANGULAR_SPEED;
  let success = objectInBin && isAtRest && !isGrasped;
  return select(0u, 1u, success) | select(0u, 2u, isGrasped) | select(0u, 4u, isLifted)
       | select(0u, 8u, objectInBin) | select(0u, 16u, isAtRest);
}

// Staged dense reward in [0, 5], as rewardPickPlace.
fn rewardWorld(signals: u32) -> f32 {
  if ((signals & 1u) != 0u) {
    return 5.0;
  }
  var reward = 1.0 - tanh(5.0 * length(S.cubePos - S.handPos));
  if ((signals & 2u) != 0u) {
    reward += 1.0 + 2.0 * (1.0 - tanh(5.0 * length(S.cubePos.xy - S.binPos)));
  } else if ((signals & 8u) != 0u) {
    reward += 3.0;
  }
  return reward;
}

// The observation (PICK_PLACE_OBS_NAMES order) into row `o` of `outputs`.
fn observeWorld(o: u32) {
  outputs[o].obs[0] = S.handPos.x;
  outputs[o].obs[1] = S.handPos.y;
  outputs[o].obs[2] = S.handPos.z;
  outputs[o].obs[3] = S.handQuat.x;
  outputs[o].obs[4] = S.handQuat.y;
  outputs[o].obs[5] = S.handQuat.z;
  outputs[o].obs[6] = S.handQuat.w;
  outputs[o].obs[7] = S.travel.x + S.travel.y;
  outputs[o].obs[8] = S.cubePos.x;
  outputs[o].obs[9] = S.cubePos.y;
  outputs[o].obs[10] = S.cubePos.z;
  outputs[o].obs[11] = S.cubeQuat.x;
  outputs[o].obs[12] = S.cubeQuat.y;
  outputs[o].obs[13] = S.cubeQuat.z;
  outputs[o].obs[14] = S.cubeQuat.w;
  let rel = S.cubePos - S.handPos;
  outputs[o].obs[15] = rel.x;
  outputs[o].obs[16] = rel.y;
  outputs[o].obs[17] = rel.z;
  outputs[o].obs[18] = S.binPos.x;
  outputs[o].obs[19] = S.binPos.y;
  outputs[o].obs[20] = 0.0;
}
