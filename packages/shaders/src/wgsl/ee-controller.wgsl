// The end-effector controller: the WGSL twin of applyAction in
// packages/sim-core/src/controller/ee-controller.ts (per-step limits CTRL_*, workspace box
// G_WORKSPACE_*; both generated from the TS constants). Updates the private world `S`.
// #requires quat
// #struct WorldState
// #fragment (uses the module-scope `S` of sim-step)

// Applies one action (7 floats: position change or target, rotation vector change or
// target, gripper command) to the controller target of `S`.
fn applyAction(pos: vec3f, rot: vec3f, gripper: f32, absolute: bool) {
  var delta = pos;
  if (absolute) {
    delta = pos - S.targetPos;
  }
  S.targetPos = clamp(S.targetPos + clamp(delta, vec3f(-CTRL_MAX_DELTA_POSITION), vec3f(CTRL_MAX_DELTA_POSITION)),
                      G_WORKSPACE_MIN, G_WORKSPACE_MAX);
  var rv = rot;
  if (absolute) {
    rv = quatToRotationVector(quatMul(quatFromRotationVector(rot), quatConj(S.targetQuat)));
  }
  let angle = length(rv);
  if (angle > CTRL_MAX_DELTA_ROTATION) {
    rv *= CTRL_MAX_DELTA_ROTATION / angle;
  }
  S.targetQuat = normalize(quatMul(quatFromRotationVector(rv), S.targetQuat));
  S.gripperCommand = clamp(gripper, -1.0, 1.0);
  S.commandedTravel = G_FINGER_TRAVEL * (1.0 - S.gripperCommand) * 0.5;
}
