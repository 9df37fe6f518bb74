import type { Scenario, WorldOutcome } from './scenario.js';
import { judge } from './scenario.js';
import { driveWorlds, PoseReader } from './drive-worlds.js';
import { squeezeCubes, SQUEEZE_CLOSED_STEP } from './squeeze.js';
import { GRASP_LIFTED_STEP } from './grasp-script.js';
import { cubePadFriction, GRAVITY, pinchLoadLimit, stickSlipOffsets } from './mechanics.js';
import { uniform01 } from '../random/hash-prng.js';
import { commandForSqueeze } from '../agents/parallel-gripper/drive.js';

/** Scenario-specific draw id (the task's parameters use ids below 0x100). */
const MARGIN_DRAW = 0x230;
/** Vertical shake: amplitude (m), frequency (Hz), control steps. */
const SHAKE = { amplitude: 0.02, frequency: 2.5, steps: 40 } as const;
const REST_STEPS = 10;

/**
 * Hold and shake: a cube pinched with 1.3–2.2× the force its weight needs, lifted, then shaken
 * up and down at 2.5 Hz, ±2 cm (peak acceleration ~4.9 m/s²): it slips where the shake's
 * acceleration peaks exceed what friction holds, by what a 1-D Coulomb stick–slip model
 * driven by the hand's measured heights predicts, and friction stores no energy: no spring-back.
 */
export const holdShakeScenario: Scenario = {
  id: 'hold-shake',
  title: 'cube pinched with 1.3–2.2× the force its weight needs, shaken vertically ±2 cm at 2.5 Hz',
  expectation:
    'slip within ½–2× of a 1-D Coulomb stick–slip model (capacity 2μF, F measured) driven by the measured hand heights (or < 1 mm where the model slips < 0.5 mm); no spring-back: it returns from its largest slip by at most the upward slips of the model + 0.5 mm; a slip down to the table counts as reaching the table',
  requiredPassRate: 1,
  randomization: {
    preset: 'narrow',
    cubeEdge: { min: 0.03, max: 0.06 },
    cubeMass: { min: 0.3, max: 1 },
    cubeFriction: { min: 0.5, max: 1 },
  },
  async measure(sim) {
    const n = sim.spec.numWorlds;
    const poses = new PoseReader(sim);
    await sim.reset();
    const params = Array.from({ length: n }, (_, w) => sim.params(w));
    const commands = params.map((p, w) => {
      const ratio = 1.3 + 0.9 * uniform01(sim.spec.seed, 0, w, MARGIN_DRAW);
      return commandForSqueeze(p.cubeEdge, (ratio * p.cubeMass * GRAVITY) / (2 * cubePadFriction(p.cubeFriction)));
    });
    const { scripts, grip } = await squeezeCubes(sim, params, commands);
    let r = await driveWorlds(sim, GRASP_LIFTED_STEP - SQUEEZE_CLOSED_STEP + REST_STEPS, (w, step) => scripts[w](Math.min(step + SQUEEZE_CLOSED_STEP, GRASP_LIFTED_STEP - 1)));
    const held = params.map((_, w) => poses.hand7(r, w));
    const relative = (w: number) => poses.cube7(r, w)[2] - poses.hand7(r, w)[2];
    const start = params.map((_, w) => relative(w));
    // Slip at which the cube lands on the table (the hand ends the shake where it began).
    const toTable = params.map((p, w) => poses.cube7(r, w)[2] - p.cubeEdge / 2);
    const handHeights = params.map((_, w) => [poses.hand7(r, w)[2]]);
    const offsets = params.map(() => [] as number[]);
    const omega = 2 * Math.PI * SHAKE.frequency;
    const dt = 1 / sim.spec.physics.controlHz;
    r = await driveWorlds(
      sim,
      SHAKE.steps + REST_STEPS,
      (w, step) => {
        const t = Math.min(step + 1, SHAKE.steps) * dt;
        const z = held[w][2] + SHAKE.amplitude * Math.sin(omega * t);
        return { position: [held[w][0], held[w][1], z], quaternion: held[w].slice(3), gripper: commands[w] };
      },
      (result) => {
        for (let w = 0; w < n; w++) {
          handHeights[w].push(poses.hand7(result, w)[2]);
          offsets[w].push(poses.cube7(result, w)[2] - poses.hand7(result, w)[2] - start[w]);
        }
      },
    );
    return params.map((p, w): WorldOutcome => {
      const capacity = pinchLoadLimit(cubePadFriction(p.cubeFriction), grip[w]);
      const model = stickSlipOffsets(handHeights[w], p.cubeMass, capacity, dt);
      // The table stops a cube that slips that far.
      const predicted = Math.min(-model[model.length - 1], toTable[w]);
      const slip = -offsets[w][offsets[w].length - 1];
      // Upward slips (when the hand's velocity drops) are friction too; a return beyond the
      // model's is stored energy (spring-back).
      const largest = Math.max(0, ...offsets[w].map((o) => -o));
      const modelReturn = Math.max(0, ...model.map((o) => -o)) + model[model.length - 1];
      const ratio = slip / predicted;
      // On the table the offset follows the hand's shake, not the grasp.
      const landed = slip >= toTable[w] - 0.002;
      return judge(
        w,
        { slip_mm: slip * 1e3, return_mm: (largest - slip) * 1e3, gripForce: grip[w], ratio },
        { slip_mm: predicted * 1e3, return_mm: modelReturn * 1e3, ratio: 1 },
        [
          ['slip as the stick–slip model', predicted < 0.0005 ? slip < 0.001 : ratio >= 0.5 && ratio <= 2],
          ['no spring-back', landed || largest - slip <= modelReturn + 0.0005],
        ],
      );
    });
  },
};
