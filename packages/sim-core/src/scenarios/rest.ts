import type { Scenario } from './scenario.js';
import { judge } from './scenario.js';
import { driveWorlds, PoseReader } from './drive-worlds.js';
import { quatFromYaw } from '../math/quat.js';

const SETTLE_STEPS = 20;
const HOLD_STEPS = 100;

/** A cube placed on the table stays put: no sinking, no creep, no rebound. */
export const restScenario: Scenario = {
  id: 'rest',
  title: 'cube resting on the table, 1 s + 5 s',
  expectation: 'z = e/2 ± 1 mm after 1 s; never above e/2 + 1 mm (no rebound); drift < 0.2 mm over the next 5 s',
  requiredPassRate: 1,
  randomization: {
    preset: 'narrow',
    cubeEdge: { min: 0.03, max: 0.07 },
    cubeMass: { min: 0.05, max: 0.5 },
    cubeFriction: { min: 0.3, max: 1.2 },
    cubeYaw: { min: -Math.PI, max: Math.PI },
    handZ: 0.35,
  },
  async measure(sim) {
    const n = sim.spec.numWorlds;
    const poses = new PoseReader(sim);
    let r = await sim.reset();
    const params = Array.from({ length: n }, (_, w) => sim.params(w));
    const maxZ = new Float64Array(n).fill(-Infinity);
    const settled: number[][] = [];
    const hand = (w: number) => ({
      position: [params[w].handX, params[w].handY, params[w].handZ],
      quaternion: quatFromYaw([0, 0, 0, 1], params[w].handYaw),
      gripper: -1,
    });
    const track = (result: typeof r) => {
      for (let w = 0; w < n; w++) maxZ[w] = Math.max(maxZ[w], poses.cube7(result, w)[2]);
    };
    r = await driveWorlds(sim, SETTLE_STEPS, hand, track);
    for (let w = 0; w < n; w++) settled.push(poses.cube7(r, w));
    r = await driveWorlds(sim, HOLD_STEPS, hand, track);
    return params.map((p, w) => {
      const s = poses.cube7(r, w);
      const half = p.cubeEdge / 2;
      const height = settled[w][2] - half;
      const drift = Math.hypot(s[0] - settled[w][0], s[1] - settled[w][1], s[2] - settled[w][2]);
      const rebound = maxZ[w] - half;
      return judge(
        w,
        { heightError_mm: height * 1e3, drift5s_mm: drift * 1e3, maxRise_mm: rebound * 1e3 },
        { heightError_mm: 0, drift5s_mm: 0 },
        [
          ['height', Math.abs(height) <= 0.001],
          ['rebound', rebound <= 0.001],
          ['drift', drift < 0.0002],
        ],
      );
    });
  },
};
