import type { Scenario, WorldOutcome } from './scenario.js';
import { judge } from './scenario.js';
import { driveWorlds, PoseReader, type HandCommand } from './drive-worlds.js';
import { cubePadFriction, cubeTableFriction, pushTips, pushTurnRate } from './mechanics.js';
import { PICK_PLACE_GEOMETRY as G } from '../tasks/pick-place/geometry.js';
import { quatYaw } from '../math/quat.js';
import { uniform01 } from '../random/hash-prng.js';

const IDENTITY = [0, 0, 0, 1] as const;
/** Gap (m) between the pusher and the cube's face when the push starts. */
const GAP = 0.02;
/** Pusher speed: 5 mm per control step (0.1 m/s). */
const PUSH_STEP = 0.005;
const APPROACH_STEPS = 15;
const DESCEND_STEPS = 10;
/** Scenario-specific draw ids (the task's parameters use ids below 0x100). */
const OFFSET_DRAW = 0x210;
const HEIGHT_DRAW = 0x211;

/** How world w is pushed: the pusher's offset from the face's centre line and its bottom height. */
interface PushSetUp {
  /** Offset (m) of the pad's centre from the cube's centre line, along the face. */
  offset: number;
  /** Height (m) of the pad's lower edge above the table. */
  bottom: number;
  /** Pusher travel (m) after it touches the face. */
  travel: number;
}

/**
 * The closed gripper's outer pad face (the left finger's, normal +y of the hand) pushes a cube
 * (yaw 0) along +y. Returns the command of step k and the step count.
 */
function pushScript(x: number, y: number, edge: number, setUp: PushSetUp): { steps: number; command: (k: number) => HandCommand } {
  // Closed fingers meet at the centre line; the left finger's outer face is 2·half-thickness out.
  const padFace = 2 * G.fingerHalfExtents[1];
  const startY = y - edge / 2 - GAP - padFace;
  const tcpZ = setUp.bottom + (G.fingerHalfExtents[2] - G.fingerCenterZ);
  const pushSteps = Math.ceil((GAP + setUp.travel) / PUSH_STEP);
  const px = x + setUp.offset;
  return {
    steps: APPROACH_STEPS + DESCEND_STEPS + pushSteps + 5,
    command: (k) => {
      if (k < APPROACH_STEPS) return { position: [px, startY, 0.15], quaternion: IDENTITY, gripper: 1 };
      k -= APPROACH_STEPS;
      if (k < DESCEND_STEPS) return { position: [px, startY, 0.15 + ((tcpZ - 0.15) * (k + 1)) / DESCEND_STEPS], quaternion: IDENTITY, gripper: 1 };
      k -= DESCEND_STEPS;
      const d = Math.min(k + 1, pushSteps) * PUSH_STEP;
      return { position: [px, startY + Math.min(d, GAP + setUp.travel), tcpZ], quaternion: IDENTITY, gripper: 1 };
    },
  };
}

/** Runs the push of every world; returns the cube's start and end poses per world. */
async function runPushes(sim: Parameters<Scenario['measure']>[0], setUp: (world: number, edge: number) => PushSetUp) {
  const n = sim.spec.numWorlds;
  const poses = new PoseReader(sim);
  const r0 = await sim.reset();
  const params = Array.from({ length: n }, (_, w) => sim.params(w));
  const setUps = params.map((p, w) => setUp(w, p.cubeEdge));
  const scripts = params.map((p, w) => pushScript(p.cubeX, p.cubeY, p.cubeEdge, setUps[w]));
  const start = params.map((_, w) => poses.cube7(r0, w));
  let maxTilt = new Float64Array(n);
  const steps = Math.max(...scripts.map((s) => s.steps));
  const r = await driveWorlds(sim, steps, (w, k) => scripts[w].command(k), (result) => {
    for (let w = 0; w < n; w++) {
      const q = poses.cube7(result, w).slice(3);
      // Tilt: angle between the cube's z axis and the vertical.
      const zz = 1 - 2 * (q[0] * q[0] + q[1] * q[1]);
      maxTilt[w] = Math.max(maxTilt[w], Math.acos(Math.min(1, Math.abs(zz))) * (180 / Math.PI));
    }
  });
  return { params, setUps, start, end: params.map((_, w) => poses.cube7(r, w)), maxTilt };
}

/** Tip or slide: a centred push at a random height; the formula says which, and the push stays straight. */
export const tipOrSlideScenario: Scenario = {
  id: 'tip-or-slide',
  title: "closed gripper's pad pushes a cube through its centre line, pad edge 3 mm … e − 10 mm above the table",
  expectation:
    'tips iff N·(h − μp·e) > m·g·e/2 before N > μt·(m·g + μp·N) (μp = max(μcube, 1) ≥ h/e here: never tips, slides); tilt < 3° when it slides; heading and path straight within 1°; the cube advances with the pusher (≥ 90 % of its travel after contact)',
  requiredPassRate: 1,
  randomization: {
    preset: 'narrow',
    cubeYaw: 0,
    cubeEdge: { min: 0.03, max: 0.06 },
    cubeMass: { min: 0.05, max: 0.5 },
    cubeFriction: { min: 0.3, max: 1.2 },
  },
  async measure(sim) {
    const { params, setUps, start, end, maxTilt } = await runPushes(sim, (w, edge) => ({
      offset: 0,
      bottom: 0.003 + (edge - 0.013) * uniform01(sim.spec.seed, 0, w, HEIGHT_DRAW),
      travel: 0.04,
    }));
    return params.map((p, w): WorldOutcome => {
      const tips = pushTips(p.cubeEdge, p.cubeEdge, cubePadFriction(p.cubeFriction), cubeTableFriction(p.cubeFriction));
      const dx = end[w][0] - start[w][0], dy = end[w][1] - start[w][1];
      const pathAngle = Math.abs(Math.atan2(dx, dy)) * (180 / Math.PI);
      const heading = Math.abs(quatYaw(end[w].slice(3)) - quatYaw(start[w].slice(3))) * (180 / Math.PI);
      return judge(
        w,
        { tilt_deg: maxTilt[w], advance: dy, pathAngle_deg: pathAngle, heading_deg: heading, bottom: setUps[w].bottom },
        { tips: tips ? 1 : 0, advance: setUps[w].travel },
        [
          ['tips as predicted', (maxTilt[w] > 20) === tips],
          ['tilt', tips || maxTilt[w] < 3],
          ['advance', dy >= 0.9 * setUps[w].travel],
          ['path straight', pathAngle <= 1],
          ['heading straight', heading <= 1],
        ],
      );
    });
  },
};

/** Off-centre push: the cube yaws the way the push's moment turns it, by about the quasi-static amount. */
export const offCentrePushScenario: Scenario = {
  id: 'off-centre-push',
  title: "closed gripper's pad pushes a cube 2 cm, its centre 15–22 mm off the cube's centre line",
  expectation:
    'yaw in the direction of the push moment; |yaw| within ½–2× of the quasi-static sticking push (ellipsoidal limit surface): dθ/ds = ℓ/(c² + e²/4 + ℓ²), c = 0.383·e, ℓ = the pad edge nearest the centre line',
  requiredPassRate: 1,
  randomization: {
    preset: 'narrow',
    cubeYaw: 0,
    cubeEdge: { min: 0.045, max: 0.06 },
    cubeMass: { min: 0.05, max: 0.5 },
    cubeFriction: { min: 0.3, max: 1.2 },
  },
  async measure(sim) {
    const padHalfWidth = G.fingerHalfExtents[0];
    const { params, setUps, start, end } = await runPushes(sim, (w) => {
      const u = uniform01(sim.spec.seed, 0, w, OFFSET_DRAW);
      const magnitude = 0.015 + 0.007 * Math.abs(2 * u - 1);
      return { offset: u < 0.5 ? -magnitude : magnitude, bottom: 0.005, travel: 0.02 };
    });
    return params.map((p, w): WorldOutcome => {
      const { offset, travel } = setUps[w];
      const lever = Math.sign(offset) * (Math.abs(offset) - padHalfWidth);
      // Pushing along +y at +x: moment x·F > 0, counter-clockwise seen from above (positive yaw).
      const predicted = pushTurnRate(p.cubeEdge, lever) * travel * (180 / Math.PI);
      const yaw = wrapDeg((quatYaw(end[w].slice(3)) - quatYaw(start[w].slice(3))) * (180 / Math.PI));
      const ratio = yaw / predicted;
      return judge(
        w,
        { yaw_deg: yaw, ratio, lever_mm: lever * 1e3 },
        { yaw_deg: predicted, ratio: 1 },
        [
          ['direction', Math.sign(yaw) === Math.sign(predicted)],
          ['magnitude', ratio >= 0.5 && ratio <= 2],
        ],
      );
    });
  },
};

function wrapDeg(a: number): number {
  return ((((a + 180) % 360) + 360) % 360) - 180;
}
