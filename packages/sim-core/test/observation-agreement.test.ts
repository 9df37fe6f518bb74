import { describe, expect, it } from 'vitest';
import { createSim, getTask, taskIds, type Sim, type SimConfigInput, type StepResult } from '../src/index.js';

/**
 * The observation and reward vectors a task's worlds give are the same on every backend: the
 * task's `observe` / `reward` read the same scene, so at reset every entry agrees to f32
 * rounding, and over the first control steps (the hand moving through the air, the objects at
 * rest) the end effector agrees to f32 rounding (it is kinematic) and the rest within what
 * different solvers settle a resting object to. Catches an entry written in the wrong place, a
 * body read from the wrong row, a parameter column or a sign flipped on one backend.
 */

const WORLDS = 3;
const STEPS = 6;
/** End-effector entries: the controlled body follows the same targets on every backend. */
const EE_TOLERANCE = 1e-4;
/** Other positions after a few steps: resting objects, finger travel (m). */
const SETTLED_TOLERANCE = 3e-3;
/** Orientation entries of resting objects (unit quaternion; 0.01 is about 1.1°: a cylinder settles on its base a little differently per solver). */
const SETTLED_QUAT_TOLERANCE = 1e-2;
const RESET_TOLERANCE = 1e-5;

interface Variant {
  name: string;
  config: Partial<SimConfigInput>;
}

function variants(task: string): Variant[] {
  const list: Variant[] = [
    { name: 'rapier', config: { backend: 'rapier', threads: 0 } },
    { name: 'webgpu (scene solver)', config: { backend: 'webgpu', gpuProgram: 'scene' } },
  ];
  if (getTask(task).gpu) list.push({ name: 'webgpu (own kernel)', config: { backend: 'webgpu', gpuProgram: 'task' } });
  return list;
}

/** Every entry of world-major `a` and `b` within `tolerance(name)`, naming the first that is not. */
function expectRowsAgree(sim: Sim, label: string, a: Float32Array, b: Float32Array, tolerance: (name: string) => number): void {
  const { obsNames, obsSize } = sim.spec;
  for (let w = 0; w < a.length / obsSize; w++) {
    for (let i = 0; i < obsSize; i++) {
      const d = Math.abs(a[w * obsSize + i] - b[w * obsSize + i]);
      expect(d, `${label}: world ${w} ${obsNames[i]} ${a[w * obsSize + i]} vs ${b[w * obsSize + i]}`).toBeLessThanOrEqual(tolerance(obsNames[i]));
    }
  }
}

describe('observations and rewards agree across backends (SwiftShader in CI)', () => {
  for (const task of taskIds()) {
    it(`${task}: at reset to f32 rounding, over ${STEPS} expert steps within ${SETTLED_TOLERANCE * 1000} mm / ${SETTLED_QUAT_TOLERANCE} in a quaternion entry (end effector ${EE_TOLERANCE * 1000} mm)`, async () => {
      const runs: { name: string; sim: Sim; results: StepResult[] }[] = [];
      try {
        for (const v of variants(task)) {
          const sim = await createSim({ task, seed: 3, numWorlds: WORLDS, randomization: 'wide', ...v.config });
          runs.push({ name: v.name, sim, results: [] });
        }
        // The actions come from the first backend's observations and go to every backend alike.
        const expert = getTask(task).expert!(WORLDS, 3);
        const actions = new Float32Array(7 * WORLDS);
        for (const run of runs) run.results.push(structuredClone(await run.sim.reset()));
        for (let s = 0; s < STEPS; s++) {
          const first = runs[0].results[s];
          expert.act(first.obs, runs[0].sim.spec.obsSize, runs[0].sim.paramTable, first.episode, first.stepCount, actions);
          for (const run of runs) run.results.push(structuredClone(await run.sim.step(actions)));
        }
        const [base, ...others] = runs;
        for (const other of others) {
          expect(Buffer.from(other.sim.paramTable.buffer).equals(Buffer.from(base.sim.paramTable.buffer))).toBe(true);
          expectRowsAgree(base.sim, `${other.name} at reset`, other.results[0].obs, base.results[0].obs, () => RESET_TOLERANCE);
          for (let w = 0; w < WORLDS; w++) expect(other.results[0].reward[w]).toBeCloseTo(base.results[0].reward[w], 4);
          for (let s = 1; s <= STEPS; s++) {
            const label = `${other.name} after step ${s}`;
            expectRowsAgree(base.sim, label, other.results[s].obs, base.results[s].obs, (name) => (name.startsWith('ee_') ? EE_TOLERANCE : name.includes('_quat_') ? SETTLED_QUAT_TOLERANCE : SETTLED_TOLERANCE));
            for (let w = 0; w < WORLDS; w++) {
              expect(Math.abs(other.results[s].reward[w] - base.results[s].reward[w]), `${label}: world ${w} reward`).toBeLessThanOrEqual(0.02);
              expect(other.results[s].success[w], `${label}: world ${w} success`).toBe(base.results[s].success[w]);
            }
          }
        }
        // The check has teeth: the hand moved in every world.
        const ee = base.sim.spec.obsNames.indexOf('ee_pos_x');
        for (let w = 0; w < WORLDS; w++) {
          const o = w * base.sim.spec.obsSize + ee;
          const moved = Math.hypot(...[0, 1, 2].map((k) => base.results[STEPS].obs[o + k] - base.results[0].obs[o + k]));
          expect(moved).toBeGreaterThan(0.005);
        }
      } finally {
        for (const run of runs) await run.sim.dispose();
      }
    });
  }
});
