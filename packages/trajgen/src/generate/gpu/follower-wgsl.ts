/**
 * WGSL of the GPU waypoint follower: `follow_waypoints` runs before each of the Sim's steps
 * (the WGSL twin of `followWaypoint`), `record_step` after it. One invocation per world; see
 * `follower-layouts.ts` for the buffers.
 */

import { FOLLOW_END, NO_QUAT } from './follower-layouts.js';

/**
 * Before a step: a world with a waypoint left in this chunk (and no ending) gets its action
 * in the Sim's action buffer and is released (`holds` 0); every other world is held, so the
 * Sim's step leaves it as it is.
 */
export const FOLLOW_WAYPOINTS_WGSL = /* wgsl */ `
@group(0) @binding(0) var<uniform> cfg: FollowerConfig;
@group(0) @binding(1) var<storage, read> outputs: array<u32>;     // the Sim's output rows
@group(0) @binding(2) var<storage, read> waypoints: array<f32>;
@group(0) @binding(3) var<storage, read> follow: array<FollowState>;
@group(0) @binding(4) var<storage, read_write> actions: array<f32>; // the Sim's actions
@group(0) @binding(5) var<storage, read_write> holds: array<u32>;   // the Sim's holds

const NO_QUAT: u32 = ${NO_QUAT}u;

// A standard normal draw, randomNormal(seed, attempt, noiseStream, index) of random-stream.ts
// to f32 precision: Box–Muller over two hashed u32, u1 = (h1 + 0.5) / 2^32, u2 = h2 / 2^32
// (both built from their high and low bits so that no bit is lost before the rounding to f32).
fn standardNormal(attempt: u32, index: u32) -> f32 {
  let h1 = hashKey(cfg.seed, attempt, cfg.noiseStream, 2u * index);
  let h2 = hashKey(cfg.seed, attempt, cfg.noiseStream, 2u * index + 1u);
  let u1 = (f32(h1 >> 8u) + (f32(h1 & 0xffu) + 0.5) * 0.00390625) * 5.9604644775390625e-8;
  let u2 = (f32(h2 >> 8u) + f32(h2 & 0xffu) * 0.00390625) * 5.9604644775390625e-8;
  // cos(2π u2) = -cos(2π (u2 - 1/2)): an argument in [-π, π).
  return sqrt(-2.0 * log(u1)) * -cos(6.283185307179586 * (u2 - 0.5));
}

fn obsAt(o: u32, i: u32) -> f32 {
  return bitcast<f32>(outputs[o + i]);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn follow_waypoints(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let w = invocationIndex(gid, groups);
  if (w >= cfg.numWorlds) { return; }
  let s = follow[w];
  if (s.end != 0u || s.done >= s.count) {
    holds[w] = 1u;
    return;
  }
  holds[w] = 0u;
  let o = w * cfg.outputStride + cfg.obsOffset;
  let pos = vec3f(obsAt(o, cfg.eefPos), obsAt(o, cfg.eefPos + 1u), obsAt(o, cfg.eefPos + 2u));
  var quat = vec4f(0.0, 0.0, 0.0, 1.0);
  if (cfg.eefQuat != NO_QUAT) {
    quat = vec4f(obsAt(o, cfg.eefQuat), obsAt(o, cfg.eefQuat + 1u), obsAt(o, cfg.eefQuat + 2u), obsAt(o, cfg.eefQuat + 3u));
  }
  let p = (w * cfg.chunkSteps + s.done) * 9u;
  let targetPos = vec3f(waypoints[p], waypoints[p + 1u], waypoints[p + 2u]);
  let targetQuat = vec4f(waypoints[p + 3u], waypoints[p + 4u], waypoints[p + 5u], waypoints[p + 6u]);
  let gripper = waypoints[p + 7u];
  let noise = waypoints[p + 8u];
  // poseDeltaAction: the position difference and the rotation vector of target · current⁻¹
  // on the shortest arc.
  var rel = quatMul(targetQuat, quatConj(quat));
  if (rel.w < 0.0) { rel = -rel; }
  let rv = quatToRotationVector(rel);
  let delta = array<f32, 6>(targetPos.x - pos.x, targetPos.y - pos.y, targetPos.z - pos.z, rv.x, rv.y, rv.z);
  let t = s.t + s.done;
  for (var i = 0u; i < 6u; i++) {
    let scale = select(cfg.maxDeltaRotation, cfg.maxDeltaPosition, i < 3u);
    var a = delta[i] / scale;
    if (noise > 0.0) { a += noise * standardNormal(s.attempt, t * 6u + i); }
    actions[w * 7u + i] = clamp(a, -1.0, 1.0) * scale;
  }
  actions[w * 7u + 6u] = gripper;
}
`;

/**
 * After a step: a world that stepped appends the step's row to its ring (observation, action,
 * reward and flags, bit for bit) and notes an ending — a fault, or, unless the task was solved,
 * an object outside the workspace (the Sim's WorkspaceCheck, in the same order).
 */
export const RECORD_STEP_WGSL = /* wgsl */ `
@group(0) @binding(0) var<uniform> cfg: FollowerConfig;
@group(0) @binding(1) var<storage, read> outputs: array<u32>;       // the Sim's output rows
@group(0) @binding(2) var<storage, read> actions: array<u32>;       // the Sim's actions
@group(0) @binding(3) var<storage, read> holds: array<u32>;
@group(0) @binding(4) var<storage, read_write> follow: array<FollowState>;
@group(0) @binding(5) var<storage, read_write> ring: array<u32>;
@group(0) @binding(6) var<storage, read> objectPositions: array<u32>; // 3 observation indices per object

const END_FAULT: u32 = ${FOLLOW_END.fault}u;
const END_BELOW_TABLE: u32 = ${FOLLOW_END.objectBelowTable}u;
const END_OUTSIDE: u32 = ${FOLLOW_END.objectOutsideWorkspace}u;

@compute @workgroup_size(WORKGROUP_SIZE)
fn record_step(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let w = invocationIndex(gid, groups);
  if (w >= cfg.numWorlds || holds[w] != 0u) { return; }
  let i = follow[w].done;
  let R = cfg.chunkSteps;
  let n = cfg.obsSize;
  let base = w * R * (n + 9u);
  let row = w * cfg.outputStride;
  let o = row + cfg.obsOffset;
  for (var k = 0u; k < n; k++) {
    ring[base + i * n + k] = outputs[o + k];
  }
  let a = base + R * n + i * 7u;
  for (var k = 0u; k < 7u; k++) {
    ring[a + k] = actions[w * 7u + k];
  }
  ring[base + R * (n + 7u) + i] = outputs[row + cfg.rewardOffset];
  let flags = outputs[row + cfg.flagsOffset];
  ring[base + R * (n + 8u) + i] = flags;
  var end = 0u;
  var object = 0u;
  if (((flags >> cfg.faultBit) & 1u) != 0u) {
    end = END_FAULT;
  } else if (((flags >> cfg.successBit) & 1u) == 0u) {
    let lo = vec3f(cfg.minX, cfg.minY, cfg.minZ);
    let hi = vec3f(cfg.maxX, cfg.maxY, cfg.maxZ);
    for (var k = 0u; k < cfg.numObjects; k++) {
      let at = vec3u(objectPositions[3u * k], objectPositions[3u * k + 1u], objectPositions[3u * k + 2u]);
      let v = vec3f(bitcast<f32>(outputs[o + at.x]), bitcast<f32>(outputs[o + at.y]), bitcast<f32>(outputs[o + at.z]));
      // Written so that a NaN coordinate counts as outside.
      let inside = (v >= lo) & (v <= hi);
      if (!all(inside)) {
        end = select(END_OUTSIDE, END_BELOW_TABLE, v.z < lo.z);
        object = k;
        break;
      }
    }
  }
  follow[w].done = i + 1u;
  follow[w].end = end;
  follow[w].object = object;
}
`;
