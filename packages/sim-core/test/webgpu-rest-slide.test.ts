/**
 * Rest, slide and straight-push scenarios on the WebGPU backend's physics, checked against
 * mechanics: on the plain-TS reference (`GripperWorld`, many worlds, fast) and on the WGSL
 * kernels through the Sim API (a few worlds: SwiftShader is slow).
 *
 * - rest: a cube on the table stays at z = e/2 ± 1 mm, never rises above it by 1 mm, and drifts
 *   < 0.2 mm over 5 s after 1 s of settling (it sank through the allowed-penetration band at
 *   ~0.1 mm/s and creeped 0.35–0.4 mm);
 * - slide: a cube launched at v decelerates at μg ± 5 % (μ = (μcube + μtable) / 2), stops after
 *   v² / (2μg) ± 5 % and goes straight within 1° (it turned up to 75° and veered 5°: friction
 *   solved per tangent axis pulled toward one axis). The speeds keep the solver's own O(h) bias
 *   (semi-implicit Euler stops a block short by a·h / v, h = 6.25 ms) under 3 %;
 * - push: the closed gripper's outer pad face pushes a cube face-on through its centre along a
 *   horizontal line; the cube's heading and path stay within 1° of the push direction (it
 *   veered up to 5°: the 50 g finger, solved one contact point after another, gave way under the
 *   manifold's first point).
 */
import { describe, expect, it } from 'vitest';
import { applyAction, DEFAULT_PHYSICS, type Sim, type StepResult } from '../src/index.js';
import { GripperWorld } from '../src/backends/webgpu/reference/gripper-world.js';
import { drawPickPlaceParams, NARROW, NUM_PICK_PLACE_PARAMS, P, type PickPlaceParamName } from '../src/tasks/pick-place/params.js';
import { PICK_PLACE_GEOMETRY as G } from '../src/tasks/pick-place/geometry.js';
import { quatFromYaw, quatToRotationVector, quatYaw } from '../src/math/quat.js';
import { makeSim, obsIndex } from './helpers.js';

const GRAVITY = 9.81;
const DEG = 180 / Math.PI;
const CONTROL_DT = 1 / DEFAULT_PHYSICS.controlHz;
/** Rest: settle 1 s, then hold 5 s. */
const SETTLE_STEPS = 20;
const HOLD_STEPS = 100;
/** Slide: 1.5 s (every launch stops within 0.6 s). */
const SLIDE_STEPS = 30;

/** A hand command: position, yaw, gripper (−1 open … +1 closed). */
interface Command {
  position: readonly number[];
  yaw: number;
  gripper: number;
}

/** Writes one absolute action (the rotation as a rotation vector). */
function writeAction(out: Float32Array, offset: number, c: Command): void {
  const rv = quatToRotationVector([0, 0, 0], quatFromYaw([0, 0, 0, 1], c.yaw));
  out.set([c.position[0], c.position[1], c.position[2], rv[0], rv[1], rv[2], c.gripper], offset);
}

/** A cube pose [x, y, z, qx, qy, qz, qw]. */
type Pose = number[];

/** Drives worlds by absolute commands and reads the cube's pose: the Sim or the TS reference. */
interface Driver {
  readonly numWorlds: number;
  step(command: (world: number) => Command): Promise<void>;
  cube(world: number): Pose;
}

/** The WGSL kernels through the Sim API. */
function simDriver(sim: Sim, first: StepResult): Driver {
  const n = sim.spec.numWorlds;
  const cubeAt = obsIndex(sim, 'cube_pos_x');
  const actions = new Float32Array(n * sim.spec.actionSize);
  let r = first;
  return {
    numWorlds: n,
    async step(command) {
      for (let w = 0; w < n; w++) writeAction(actions, w * sim.spec.actionSize, command(w));
      r = await sim.step(actions);
    },
    cube: (w) => Array.from(r.obs.subarray(w * sim.spec.obsSize + cubeAt, w * sim.spec.obsSize + cubeAt + 7)),
  };
}

/** The plain-TS reference, one `GripperWorld` per parameter row, with the Sim's controller. */
function referenceDriver(rows: Float32Array[]): Driver & { worlds: GripperWorld[] } {
  const worlds = rows.map((row) => {
    const world = new GripperWorld(DEFAULT_PHYSICS);
    world.reset(row);
    return world;
  });
  const targets = worlds.map((g) => Float64Array.from([...g.hx, ...g.hq, -1]));
  const action = new Float32Array(7);
  return {
    numWorlds: worlds.length,
    worlds,
    async step(command) {
      worlds.forEach((world, w) => {
        const from = targets[w].slice();
        writeAction(action, 0, command(w));
        applyAction('absolute', action, 0, targets[w], 0);
        world.setGripperCommand(targets[w][7]);
        world.stepControl(from, 0, targets[w], 0);
      });
    },
    cube: (w) => [...worlds[w].x, ...worlds[w].q],
  };
}

/** A parameter row: the `narrow` draw of world 0 with the given values. */
function paramRow(values: Partial<Record<PickPlaceParamName, number>>): Float32Array {
  const row = new Float32Array(NUM_PICK_PLACE_PARAMS);
  drawPickPlaceParams(NARROW, 0, 0, 0, row, 0);
  for (const [name, v] of Object.entries(values)) row[P[name as PickPlaceParamName]] = v;
  return row;
}

const wrap = (a: number) => Math.atan2(Math.sin(a), Math.cos(a));
/** Rotation angle (rad) between unit quaternions a and b. */
function rotationAngle(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const d = Math.abs(a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3]);
  return 2 * Math.acos(Math.min(1, d));
}
/** Angle to the nearest multiple of 90° (a cube's faces repeat every quarter turn). */
const offQuarter = (a: number) => a - (Math.PI / 2) * Math.round(a / (Math.PI / 2));

// ---- rest ----

interface RestOutcome {
  heightError: number;
  rise: number;
  drift: number;
}

/** Holds the open hand still (1 s + 5 s) and measures each resting cube of edge `edges[w]`. */
async function measureRest(driver: Driver, edges: number[], hand: (w: number) => Command): Promise<RestOutcome[]> {
  const n = driver.numWorlds;
  const maxZ = new Array<number>(n).fill(-Infinity);
  const track = () => {
    for (let w = 0; w < n; w++) maxZ[w] = Math.max(maxZ[w], driver.cube(w)[2]);
  };
  for (let k = 0; k < SETTLE_STEPS; k++) {
    await driver.step(hand);
    track();
  }
  const settled = edges.map((_, w) => driver.cube(w));
  for (let k = 0; k < HOLD_STEPS; k++) {
    await driver.step(hand);
    track();
  }
  return edges.map((e, w) => {
    const s = settled[w];
    const c = driver.cube(w);
    return { heightError: s[2] - e / 2, rise: maxZ[w] - e / 2, drift: Math.hypot(c[0] - s[0], c[1] - s[1], c[2] - s[2]) };
  });
}

function expectRest(outcomes: RestOutcome[]): void {
  const worst = (key: keyof RestOutcome) => Math.max(...outcomes.map((o) => Math.abs(o[key])));
  expect(worst('heightError'), 'height error (m)').toBeLessThanOrEqual(0.001);
  expect(Math.max(...outcomes.map((o) => o.rise)), 'rise above e/2 (m)').toBeLessThanOrEqual(0.001);
  expect(worst('drift'), 'drift over 5 s (m)').toBeLessThan(0.0002);
}

// ---- slide ----

interface SlideOutcome {
  deceleration: number;
  distance: number;
  path: number;
  turn: number;
}

/**
 * Launches cube w at `speeds[w]` along `headings[w]` (`launch` sets the velocity), holds the
 * hand and measures: the deceleration (least-squares slope of each control step's mean speed,
 * the speed at its midpoint, while above 20 % of v0, v0 at t = 0 included), the distance to the
 * stop, the path angle to the heading and the cube's total turn (degrees).
 */
async function measureSlide(
  driver: Driver,
  speeds: number[],
  headings: number[],
  launch: (w: number, velocity: [number, number, number]) => Promise<void>,
  hand: (w: number) => Command,
): Promise<SlideOutcome[]> {
  const n = driver.numWorlds;
  const start = speeds.map((_, w) => driver.cube(w));
  for (let w = 0; w < n; w++) await launch(w, [speeds[w] * Math.cos(headings[w]), speeds[w] * Math.sin(headings[w]), 0]);
  const along = speeds.map(() => [0]);
  for (let k = 0; k < SLIDE_STEPS; k++) {
    await driver.step(hand);
    for (let w = 0; w < n; w++) {
      const c = driver.cube(w);
      along[w].push((c[0] - start[w][0]) * Math.cos(headings[w]) + (c[1] - start[w][1]) * Math.sin(headings[w]));
    }
  }
  return speeds.map((v0, w) => {
    const ts = [0];
    const vs = [v0];
    for (let k = 1; k < along[w].length; k++) {
      const v = (along[w][k] - along[w][k - 1]) / CONTROL_DT;
      if (v > 0.2 * v0) {
        ts.push((k - 0.5) * CONTROL_DT);
        vs.push(v);
      }
    }
    const c = driver.cube(w);
    const dx = c[0] - start[w][0];
    const dy = c[1] - start[w][1];
    return {
      deceleration: -slope(ts, vs),
      distance: Math.hypot(dx, dy),
      path: Math.abs(wrap(Math.atan2(dy, dx) - headings[w])) * DEG,
      turn: rotationAngle(start[w].slice(3), c.slice(3)) * DEG,
    };
  });
}

function slope(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxy / sxx;
}

/** Checks each slide against μg, v²/(2μg) and a straight line; `mu[w]` is the combined friction. */
function expectSlide(outcomes: SlideOutcome[], speeds: number[], mu: number[]): void {
  const rows = outcomes.map((o, w) => ({
    deceleration: o.deceleration / (mu[w] * GRAVITY) - 1,
    distance: o.distance / ((speeds[w] * speeds[w]) / (2 * mu[w] * GRAVITY)) - 1,
    path: o.path,
    turn: o.turn,
  }));
  const worst = (key: keyof (typeof rows)[number]) => Math.max(...rows.map((r) => Math.abs(r[key])));
  expect(worst('deceleration'), 'deceleration / μg − 1').toBeLessThanOrEqual(0.05);
  expect(worst('distance'), 'stop distance / (v²/2μg) − 1').toBeLessThanOrEqual(0.05);
  expect(worst('path'), 'path angle (°)').toBeLessThanOrEqual(1);
  expect(worst('turn'), 'turn (°)').toBeLessThanOrEqual(1);
}

// ---- push ----

/** Gap between the pad and the cube's face before the push (m); pusher speed 0.1 m/s. */
const PUSH_GAP = 0.02;
const PUSH_STEP = 0.005;
const APPROACH_STEPS = 12;
const DESCEND_STEPS = 8;
const PUSH_STEPS = 32;
/** TCP height of the approach and of the push (the pads' lower edges 2 mm above the table). */
const APPROACH_Z = 0.1;
const PUSH_Z = G.minTcpHeight;

/** A push of world w: the cube's centre and edge, the push direction (rad). */
interface PushSetUp {
  x: number;
  y: number;
  edge: number;
  direction: number;
}

/**
 * The closed gripper's outer pad face pushes the cube face-on through its centre along
 * `direction`: the hand turns so that a finger's outer face (normal ±y of the hand) faces the
 * cube, comes down behind it and moves along the line through the cube's centre.
 */
function pushCommand(s: PushSetUp): (step: number) => Command {
  // The hand's y axis along the push, the hand turned the shorter way (a half turn swaps the fingers).
  let yaw = wrap(s.direction - Math.PI / 2);
  if (yaw > Math.PI / 2) yaw -= Math.PI;
  if (yaw <= -Math.PI / 2) yaw += Math.PI;
  const padFace = 2 * G.fingerHalfExtents[1];
  const back = s.edge / 2 + PUSH_GAP + padFace;
  const d = [Math.cos(s.direction), Math.sin(s.direction)];
  return (k) => {
    const travel = Math.max(0, k - (APPROACH_STEPS + DESCEND_STEPS) + 1) * PUSH_STEP;
    // Down at 0.2 m/s: the palm reaches over the cube's back and stops 2 mm above a 7 cm cube,
    // and a faster stop kicks the cube through the speculative contact.
    const z = APPROACH_Z + ((PUSH_Z - APPROACH_Z) * Math.min(Math.max(k - APPROACH_STEPS + 1, 0), DESCEND_STEPS)) / DESCEND_STEPS;
    return { position: [s.x + (travel - back) * d[0], s.y + (travel - back) * d[1], z], yaw, gripper: 1 };
  };
}

interface PushOutcome {
  advance: number;
  heading: number;
  path: number;
}

/** Runs each world's push; measures the largest heading and path deviations (degrees) while pushed. */
async function measurePush(driver: Driver, setUps: PushSetUp[]): Promise<PushOutcome[]> {
  const commands = setUps.map(pushCommand);
  let k = 0;
  for (; k < APPROACH_STEPS + DESCEND_STEPS; k++) await driver.step((w) => commands[w](k));
  const start = setUps.map((_, w) => driver.cube(w));
  const out = setUps.map(() => ({ advance: 0, heading: 0, path: 0 }));
  for (; k < APPROACH_STEPS + DESCEND_STEPS + PUSH_STEPS; k++) {
    await driver.step((w) => commands[w](k));
    setUps.forEach((s, w) => {
      const c = driver.cube(w);
      const dx = c[0] - start[w][0];
      const dy = c[1] - start[w][1];
      const o = out[w];
      o.advance = dx * Math.cos(s.direction) + dy * Math.sin(s.direction);
      o.heading = Math.max(o.heading, Math.abs(offQuarter(quatYaw(c.slice(3)) - quatYaw(start[w].slice(3)))) * DEG);
      if (Math.hypot(dx, dy) > 0.02) o.path = Math.max(o.path, Math.abs(wrap(Math.atan2(dy, dx) - s.direction)) * DEG);
    });
  }
  return out;
}

function expectPush(outcomes: PushOutcome[]): void {
  // The pad touches after the gap and pushes the rest of the way.
  expect(Math.min(...outcomes.map((o) => o.advance)), 'advance (m)').toBeGreaterThan(PUSH_STEPS * PUSH_STEP - PUSH_GAP - 0.01);
  expect(Math.max(...outcomes.map((o) => o.heading)), 'heading deviation (°)').toBeLessThanOrEqual(1);
  expect(Math.max(...outcomes.map((o) => o.path)), 'path deviation (°)').toBeLessThanOrEqual(1);
}

// ---- the tests ----

const openHand = (row: Float32Array) => (): Command => ({ position: [row[P.handX], row[P.handY], row[P.handZ]], yaw: row[P.handYaw], gripper: -1 });

describe('webgpu physics, TS reference: rest, slide and straight push against mechanics', () => {
  it('rest, edge 3–7 cm, mass 0.05–0.5 kg, any yaw: z = e/2 ± 1 mm, no rise > 1 mm, drift < 0.2 mm over 5 s after 1 s', async () => {
    const rows: Float32Array[] = [];
    for (const cubeEdge of [0.03, 0.05, 0.07]) {
      for (const cubeMass of [0.05, 0.2, 0.5]) {
        for (const cubeYaw of [0, 0.4, Math.PI / 4, -2.2]) rows.push(paramRow({ cubeEdge, cubeMass, cubeYaw, handZ: 0.35 }));
      }
    }
    const driver = referenceDriver(rows);
    expectRest(await measureRest(driver, rows.map((r) => r[P.cubeEdge]), (w) => openHand(rows[w])()));
  });

  it('slide, μ 0.4–0.9, v 1–2 m/s, any yaw and heading: deceleration μg ± 5 %, stop v²/(2μg) ± 5 %, path and turn within 1°', async () => {
    const rows: Float32Array[] = [];
    const speeds: number[] = [];
    const headings: number[] = [];
    for (const [cubeFriction, speed] of [[0, 1], [0.3, 1.5], [0.6, 1.5], [1, 2]]) {
      for (const cubeYaw of [0, 0.4, -2]) {
        for (const heading of [0.7, 2.5, -1.9]) {
          rows.push(paramRow({ cubeFriction, cubeYaw, cubeX: 0.3, cubeY: -0.2, handZ: 0.35 }));
          speeds.push(speed);
          headings.push(heading);
        }
      }
    }
    const driver = referenceDriver(rows);
    const hand = (w: number) => openHand(rows[w])();
    for (let k = 0; k < SETTLE_STEPS; k++) await driver.step(hand);
    const launch = async (w: number, v: [number, number, number]) => {
      for (let i = 0; i < 3; i++) driver.worlds[w].v[i] = v[i];
    };
    const outcomes = await measureSlide(driver, speeds, headings, launch, hand);
    expectSlide(outcomes, speeds, rows.map((r) => 0.5 * (r[P.cubeFriction] + G.tableFriction)));
  });

  it('push with the closed gripper\'s pad, cube and hand at several yaws, edge 3–7 cm, 0.05–0.5 kg: heading and path within 1° of the push', async () => {
    const rows: Float32Array[] = [];
    const setUps: PushSetUp[] = [];
    for (const direction of [0, 0.3, Math.PI / 4, -1.2, 2]) {
      for (const quarter of [0, 1]) {
        for (const [cubeEdge, cubeMass] of [[0.03, 0.05], [0.05, 0.5], [0.07, 0.2]]) {
          for (const cubeFriction of [0.5, 1]) {
            const x = 0.45;
            const y = -0.05;
            rows.push(paramRow({ cubeX: x, cubeY: y, cubeEdge, cubeMass, cubeFriction, cubeYaw: direction + (quarter * Math.PI) / 2 }));
            setUps.push({ x, y, edge: cubeEdge, direction });
          }
        }
      }
    }
    expectPush(await measurePush(referenceDriver(rows), setUps));
  });
});

describe('webgpu physics, WGSL kernels through the Sim (SwiftShader in CI): rest, slide and straight push against mechanics', () => {
  it('rest, edge 3–7 cm, mass 0.05–0.5 kg, any yaw, cube up to 0.8 m out: z = e/2 ± 1 mm, no rise > 1 mm, drift < 0.2 mm over 5 s after 1 s', async () => {
    const sim = await makeSim({
      backend: 'webgpu',
      numWorlds: 4,
      actionMode: 'absolute',
      maxEpisodeSteps: 1000,
      randomization: {
        preset: 'narrow',
        cubeX: { min: 0.3, max: 0.8 },
        cubeY: { min: -0.45, max: 0.05 },
        cubeEdge: { min: 0.03, max: 0.07 },
        cubeMass: { min: 0.05, max: 0.5 },
        cubeFriction: { min: 0.3, max: 1.2 },
        cubeYaw: { min: -Math.PI, max: Math.PI },
        handZ: 0.35,
      },
    });
    const driver = simDriver(sim, await sim.reset());
    const rows = Array.from({ length: 4 }, (_, w) => sim.paramTable.slice(w * NUM_PICK_PLACE_PARAMS, (w + 1) * NUM_PICK_PLACE_PARAMS));
    expectRest(await measureRest(driver, rows.map((r) => r[P.cubeEdge]), (w) => openHand(rows[w])()));
    await sim.dispose();
  });

  it('slide, μ 0.4–0.7, v 1.5–2 m/s, any yaw and heading: deceleration μg ± 5 %, stop v²/(2μg) ± 5 %, path and turn within 1°', async () => {
    const n = 4;
    const sim = await makeSim({
      backend: 'webgpu',
      numWorlds: n,
      actionMode: 'absolute',
      maxEpisodeSteps: 1000,
      randomization: {
        preset: 'narrow',
        cubeX: 0.3,
        cubeY: -0.25,
        cubeEdge: { min: 0.03, max: 0.06 },
        cubeMass: { min: 0.05, max: 0.5 },
        cubeFriction: { min: 0, max: 0.6 },
        cubeYaw: { min: -Math.PI, max: Math.PI },
        handZ: 0.35,
      },
    });
    const driver = simDriver(sim, await sim.reset());
    const rows = Array.from({ length: n }, (_, w) => sim.paramTable.slice(w * NUM_PICK_PLACE_PARAMS, (w + 1) * NUM_PICK_PLACE_PARAMS));
    const speeds = rows.map((_, w) => 1.5 + (0.5 * w) / (n - 1));
    const headings = rows.map((_, w) => Math.PI * (0.6 + (0.5 * w) / (n - 1)));
    const launch = (w: number, v: [number, number, number]) => sim.perturb(w, { body: 'cube', linearVelocity: v, angularVelocity: [0, 0, 0] });
    const outcomes = await measureSlide(driver, speeds, headings, launch, (w) => openHand(rows[w])());
    expectSlide(outcomes, speeds, rows.map((r) => 0.5 * (r[P.cubeFriction] + G.tableFriction)));
    await sim.dispose();
  });

  it('push with the closed gripper\'s pad, cube at any yaw, hand turned to each of its faces, 0.3–0.5 kg: heading and path within 1° of the push', async () => {
    const n = 4;
    const sim = await makeSim({
      backend: 'webgpu',
      numWorlds: n,
      actionMode: 'absolute',
      maxEpisodeSteps: 1000,
      randomization: {
        preset: 'narrow',
        cubeX: 0.45,
        cubeY: -0.05,
        cubeYaw: { min: -Math.PI, max: Math.PI },
        cubeEdge: { min: 0.04, max: 0.06 },
        cubeMass: { min: 0.3, max: 0.5 },
        cubeFriction: { min: 0.5, max: 1 },
      },
    });
    const driver = simDriver(sim, await sim.reset());
    const setUps = Array.from({ length: n }, (_, w): PushSetUp => {
      const p = sim.params(w);
      return { x: p.cubeX, y: p.cubeY, edge: p.cubeEdge, direction: p.cubeYaw + (w * Math.PI) / 2 };
    });
    expectPush(await measurePush(driver, setUps));
    await sim.dispose();
  });
});
