/**
 * The scripted pick-place expert in WGSL (`expert_act`, see `GpuExpertProgram`), the twin of
 * `PickPlaceExpert`: the same phases, thresholds and style draws (bit for bit: `uniformRange`
 * over the same keys), in f32 instead of f64. Pick-place's own table has no obstacles, so the
 * `obstacleTop` option of `PickPlaceExpert` has no twin here.
 */
import { defineStruct } from '@gripgen/shaders';
import { ExpertConfig, type GpuExpertProgram } from '../gpu-expert.js';
import { CONTROL_LIMITS } from '../../controller/ee-controller.js';
import { EXPERT_STYLE_RANGES } from './expert.js';
import { PICK_PLACE_GEOMETRY as G } from './geometry.js';
import { P } from './params.js';

/** One world's expert: its phase, the phase's step counter, the episode its style was drawn for, and the style. */
export const ExpertState = defineStruct('ExpertState', [
  ['phase', 'u32'],
  ['counter', 'u32'],
  ['styled', 'u32'],
  ['episode', 'u32'],
  ['style', 'f32', Object.keys(EXPERT_STYLE_RANGES).length],
]);

const f32 = (v: number) => (Number.isInteger(v) ? `${v}.0` : String(v));

/** Pick-place's expert on the GPU. */
export const PICK_PLACE_GPU_EXPERT: GpuExpertProgram = {
  wgsl: pickPlaceExpertWgsl,
  structs: [ExpertConfig, ExpertState],
  stateBytes: ExpertState.size,
};

/** The WGSL of `expert_act`, with the TS constants it uses written in. */
function pickPlaceExpertWgsl(): string {
  const ranges = Object.values(EXPERT_STYLE_RANGES);
  const style = Object.keys(EXPERT_STYLE_RANGES);
  const s = (key: keyof typeof EXPERT_STYLE_RANGES) => `st.style[${style.indexOf(key)}]`;
  return /* wgsl */ `
@group(0) @binding(0) var<uniform> cfg: ExpertConfig;
@group(0) @binding(1) var<storage, read> outputs: array<u32>;
@group(0) @binding(2) var<storage, read> params: array<f32>;
@group(0) @binding(3) var<storage, read_write> experts: array<ExpertState>;
@group(0) @binding(4) var<storage, read_write> actions: array<f32>;

const NUM_STYLE: u32 = ${style.length}u;
const STYLE_LO = array<f32, ${style.length}>(${ranges.map((r) => f32(r[0])).join(', ')});
const STYLE_HI = array<f32, ${style.length}>(${ranges.map((r) => f32(r[1])).join(', ')});
// PRNG parameter ids of the style draws (STYLE_PARAM_BASE in expert.ts).
const STYLE_PARAM_BASE: u32 = 1000u;
const MIN_TCP_HEIGHT: f32 = ${f32(G.minTcpHeight)};
const MAX_DELTA_ROTATION: f32 = ${f32(CONTROL_LIMITS.maxDeltaRotation)};
const P_CUBE_EDGE: u32 = ${P.cubeEdge}u;
const P_BIN_X: u32 = ${P.binX}u;
const P_BIN_Y: u32 = ${P.binY}u;
const PI: f32 = 3.141592653589793;

fn obsAt(o: u32, i: u32) -> f32 {
  return bitcast<f32>(outputs[o + i]);
}

fn wrapAngle(a: f32) -> f32 {
  return a - 2.0 * PI * floor((a + PI) / (2.0 * PI));
}

fn yawOf(q: vec4f) -> f32 {
  return atan2(2.0 * (q.w * q.z + q.x * q.y), 1.0 - 2.0 * (q.y * q.y + q.z * q.z));
}

// Math.round for the positive step counts of the style.
fn roundSteps(x: f32) -> u32 {
  return u32(floor(x + 0.5));
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn expert_act(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let w = invocationIndex(gid, groups);
  if (w >= cfg.numWorlds) { return; }
  let row = w * cfg.outputStride;
  let episode = outputs[row + cfg.episodeOffset];
  var st = experts[w];
  if (outputs[row + cfg.stepCountOffset] == 0u || st.styled == 0u || st.episode != episode) {
    st.phase = 0u;
    st.counter = 0u;
    st.styled = 1u;
    st.episode = episode;
    for (var i = 0u; i < NUM_STYLE; i++) {
      st.style[i] = uniformRange(STYLE_LO[i], STYLE_HI[i], cfg.seed, episode, w, STYLE_PARAM_BASE + i, cfg.opaqueZero);
    }
  }
  let o = row + cfg.obsOffset;
  let ee = vec3f(obsAt(o, 0u), obsAt(o, 1u), obsAt(o, 2u));
  let handYaw = yawOf(vec4f(obsAt(o, 3u), obsAt(o, 4u), obsAt(o, 5u), obsAt(o, 6u)));
  let cube = vec2f(obsAt(o, 8u), obsAt(o, 9u));
  let cubeYaw = yawOf(vec4f(obsAt(o, 11u), obsAt(o, 12u), obsAt(o, 13u), obsAt(o, 14u)));
  let p = w * cfg.numParams;
  let edge = params[p + P_CUBE_EDGE];
  let bin = vec2f(params[p + P_BIN_X], params[p + P_BIN_Y]);
  let speed = ${s('speed')};

  // Fingers close along the hand's y axis: align it with the nearest pair of cube faces.
  let yawTarget = handYaw + wrapAngle(4.0 * (cubeYaw - handYaw)) / 4.0;
  let yawError = wrapAngle(yawTarget - handYaw);
  let gx = ${s('graspOffsetX')};
  let grasp = vec3f(cube.x + gx * cos(yawTarget), cube.y + gx * sin(yawTarget), max(MIN_TCP_HEIGHT + 0.001, edge / 2.0 + ${s('graspOffsetZ')}));
  // No obstacles on pick-place's table: the approach and carry heights of the style.
  let approachZ = max(grasp.z, edge) + ${s('approachHeight')};
  let carryZ = ${s('carryHeight')};
  let release = bin + vec2f(${s('releaseOffsetX')}, ${s('releaseOffsetY')});

  var aim = vec3f(0.0);
  var gripper = -1.0;
  var rotate = 0.0;
  var advance = false;
  switch (st.phase) {
    case 0u: { // approach
      aim = vec3f(grasp.xy, approachZ);
      rotate = yawError;
      advance = length(aim.xy - ee.xy) < 0.004 && abs(aim.z - ee.z) < 0.01 && abs(yawError) < 0.03;
    }
    case 1u: { // descend
      aim = grasp;
      rotate = yawError;
      advance = length(aim.xy - ee.xy) < 0.004 && abs(aim.z - ee.z) < 0.002;
    }
    case 2u: { // close
      aim = vec3f(ee.xy, grasp.z);
      gripper = 1.0;
      st.counter += 1u;
      advance = st.counter >= roundSteps(${s('closeSteps')});
    }
    case 3u: { // lift
      aim = vec3f(ee.xy, carryZ);
      gripper = 1.0;
      advance = length(aim.xy - ee.xy) < 1.0 && abs(aim.z - ee.z) < 0.01;
    }
    case 4u: { // carry
      aim = vec3f(release, carryZ);
      gripper = 1.0;
      advance = length(aim.xy - ee.xy) < 0.005 && abs(aim.z - ee.z) < 0.01;
    }
    case 5u: { // lower: the cube hangs about graspOffsetZ below the TCP's height relative to its centre
      aim = vec3f(release, edge / 2.0 + ${s('releaseHeight')} + (grasp.z - edge / 2.0));
      gripper = 1.0;
      advance = length(aim.xy - ee.xy) < 0.006 && abs(aim.z - ee.z) < 0.003;
    }
    case 6u: { // release
      aim = ee;
      gripper = -1.0;
      st.counter += 1u;
      advance = st.counter >= roundSteps(${s('openSteps')});
    }
    default: { // retreat
      aim = vec3f(ee.xy, 0.2);
      gripper = -1.0;
    }
  }
  if (advance) {
    st.phase = min(st.phase + 1u, 7u);
    st.counter = 0u;
  }
  experts[w] = st;
  let a = w * 7u;
  let d = clamp(aim - ee, vec3f(-speed), vec3f(speed));
  actions[a] = d.x;
  actions[a + 1u] = d.y;
  actions[a + 2u] = d.z;
  actions[a + 3u] = 0.0;
  actions[a + 4u] = 0.0;
  actions[a + 5u] = clamp(rotate, -MAX_DELTA_ROTATION, MAX_DELTA_ROTATION);
  actions[a + 6u] = gripper;
}
`;
}
