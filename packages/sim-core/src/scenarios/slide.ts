import type { Scenario } from './scenario.js';
import { judge } from './scenario.js';
import { driveWorlds, PoseReader } from './drive-worlds.js';
import { quatAngleBetween, quatFromYaw } from '../math/quat.js';
import { uniform01 } from '../random/hash-prng.js';
import { cubeTableFriction, GRAVITY, slideStopDistance } from './mechanics.js';

const STEPS = 30;
/** Scenario-specific draw ids (the task's parameters use ids below 0x100). */
const SPEED_DRAW = 0x200;
const HEADING_DRAW = 0x201;

/** Launch speed (m/s) and heading (rad) of world w. */
function launch(seed: number, world: number): { speed: number; heading: number } {
  return {
    speed: 1 + uniform01(seed, 0, world, SPEED_DRAW),
    heading: Math.PI * (0.75 + 0.25 * uniform01(seed, 0, world, HEADING_DRAW)),
  };
}

/** A cube launched across the table slides straight, decelerating at μg, and stops after v²/2μg. */
export const slideScenario: Scenario = {
  id: 'slide',
  title: 'cube launched at 1–2 m/s across the table',
  expectation: 'deceleration μg ± 5 %; stop distance v²/(2μg) ± 5 %; path and heading straight within 1° (μ = (μcube + μtable)/2)',
  requiredPassRate: 1,
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
  async measure(sim) {
    const n = sim.spec.numWorlds;
    const poses = new PoseReader(sim);
    const r0 = await sim.reset();
    const params = Array.from({ length: n }, (_, w) => sim.params(w));
    const start = params.map((_, w) => poses.cube7(r0, w));
    const launches = params.map((_, w) => launch(sim.spec.seed, w));
    for (let w = 0; w < n; w++) {
      const { speed, heading } = launches[w];
      await sim.perturb(w, { body: 'cube', linearVelocity: [speed * Math.cos(heading), speed * Math.sin(heading), 0] });
    }
    // Positions along the launch heading after each control step.
    const along = params.map(() => [0]);
    const r = await driveWorlds(
      sim,
      STEPS,
      (w) => ({ position: [params[w].handX, params[w].handY, params[w].handZ], quaternion: quatFromYaw([0, 0, 0, 1], params[w].handYaw), gripper: -1 }),
      (result) => {
        for (let w = 0; w < n; w++) {
          const p = poses.cube7(result, w);
          const h = launches[w].heading;
          along[w].push((p[0] - start[w][0]) * Math.cos(h) + (p[1] - start[w][1]) * Math.sin(h));
        }
      },
    );
    const dt = 1 / sim.spec.physics.controlHz;
    return params.map((p, w) => {
      const { speed, heading } = launches[w];
      const mu = cubeTableFriction(p.cubeFriction);
      // Deceleration: least-squares slope of the mean speed of each control step (the speed at
      // its midpoint, under constant deceleration) while above 20 % of v0, v0 at t = 0 included.
      const ts = [0], vs = [speed];
      for (let k = 1; k < along[w].length; k++) {
        const v = (along[w][k] - along[w][k - 1]) / dt;
        if (v > 0.2 * speed) { ts.push((k - 0.5) * dt); vs.push(v); }
      }
      const deceleration = -slope(ts, vs);
      const s = poses.cube7(r, w);
      const dx = s[0] - start[w][0], dy = s[1] - start[w][1];
      const distance = Math.hypot(dx, dy);
      const pathAngle = Math.abs(wrap(Math.atan2(dy, dx) - heading)) * (180 / Math.PI);
      const turn = quatAngleBetween(start[w].slice(3, 7), s.slice(3, 7)) * (180 / Math.PI);
      const expectedDistance = slideStopDistance(speed, mu);
      return judge(
        w,
        { deceleration, distance, pathAngle_deg: pathAngle, turn_deg: turn, samples: ts.length },
        { deceleration: mu * GRAVITY, distance: expectedDistance },
        [
          ['deceleration', Math.abs(deceleration / (mu * GRAVITY) - 1) <= 0.05],
          ['stop distance', Math.abs(distance / expectedDistance - 1) <= 0.05],
          ['path', pathAngle <= 1],
          ['heading', turn <= 1],
        ],
      );
    });
  },
};

function slope(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n, my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; }
  return sxy / sxx;
}

function wrap(a: number): number {
  return Math.atan2(Math.sin(a), Math.cos(a));
}
