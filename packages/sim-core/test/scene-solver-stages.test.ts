import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGpu, applyAction, DEFAULT_PHYSICS, getTask, type GpuContext, type WorldView } from '../src/index.js';
import { buildSolverModel, type SolverModel } from '../src/backends/webgpu/solver/solver-model.js';
import { solverWorldData, type SolverWorldData } from '../src/backends/webgpu/solver/solver-data.js';
import { SolverSpecWorld } from '../src/backends/webgpu/solver/solver-spec-world.js';
import type { SolverContact } from '../src/backends/webgpu/solver/solver-contact.js';
import { SceneStageKernels, type StageInput, type StageName, type StageOutput } from './scene-stages-harness.js';

/**
 * The scene solver stage by stage: each WGSL stage kernel (scene-stages.wgsl) against its TS
 * specification (`SolverSpecWorld`'s stage methods) from the same input — the spec's state and
 * contacts rounded to f32 — so a divergence names its stage: contact generation (broad and
 * narrow phase), warm-start match, the biased solve, integration with the unbiased solve.
 * Output rows are poisoned (NaN) before a dispatch. Tolerances are f32 against f64 from equal
 * inputs (stated per check).
 */

const BODY = 13;
/** Effective-mass entries: within this fraction of the contact's largest diagonal entry (the points agree to 1e-5 m on levers of centimetres). */
const K_TOLERANCE = 1e-3;
/**
 * Impulses after the solve's sweeps: within the impulse that changes the contact's relative
 * velocity by VELOCITY_TOLERANCE, plus this fraction of its largest impulse (f32 rounding through
 * Gauss–Seidel sweeps).
 */
const IMPULSE_TOLERANCE = 2e-3;
/**
 * Velocities after a solve (m/s, rad/s): the position bias turns separations into velocities at
 * ~10³/s, and a separation measured in f32 from positions of ~0.5 m is good to ~1e-7 m.
 */
const VELOCITY_TOLERANCE = 3e-4;

/** A spec world of `task`'s wide world `w`, and what building it needs. */
interface SpecCase {
  label: string;
  model: SolverModel;
  data: SolverWorldData;
  spec: SolverSpecWorld;
  snapshot: Float64Array;
}

/**
 * Runs `task`'s expert on spec worlds 0..n-1 and keeps each world's state after every step in
 * `steps` (so the cases cover approach, grasp, carry and placing).
 */
function specCases(taskId: string, n: number, steps: readonly number[]): SpecCase[] {
  const task = getTask(taskId);
  const np = task.paramNames.length;
  const params = new Float32Array(n * np);
  const randomization = task.resolveRandomization('wide');
  const worlds = Array.from({ length: n }, (_, w) => {
    task.drawParams(randomization, 0, 0, w, params, w * np);
    const scene = task.buildScene(params, w * np);
    const model = buildSolverModel(scene);
    const data = solverWorldData(model, scene);
    return { model, data, spec: new SolverSpecWorld(model, data, DEFAULT_PHYSICS) };
  });
  const nb = task.numBodies;
  const controller = new Float64Array(8 * n);
  for (let w = 0; w < n; w++) {
    task.initialControllerPose(params, w * np, controller, 8 * w);
    controller[8 * w + 7] = -1;
  }
  const expert = task.expert!(n, 0);
  const obsSize = task.obsNames.length;
  const obs = new Float32Array(n * obsSize);
  const bodies = new Float64Array(nb * BODY);
  const flags = new Uint8Array(Math.max(1, worlds[0].model.contactQueries.length));
  const travel: number[] = [];
  const observe = () => {
    for (let w = 0; w < n; w++) {
      worlds[w].spec.readBodies(bodies, 0);
      worlds[w].spec.readContacts(flags, 0);
      worlds[w].spec.readJointTravel(travel);
      const view: WorldView = { bodies, bodiesOffset: 0, contacts: flags, contactsOffset: 0, params, paramsOffset: w * np, controller, controllerOffset: 8 * w, jointTravel: travel };
      task.observe(view, obs, w * obsSize);
    }
  };
  const actions = new Float32Array(7 * n);
  const episode = new Uint32Array(n);
  const stepCount = new Uint32Array(n);
  const prev = new Float64Array(8);
  const cases: SpecCase[] = [];
  const last = Math.max(...steps);
  for (let step = 1; step <= last; step++) {
    observe();
    expert.act(obs, obsSize, params, episode, stepCount, actions);
    for (let w = 0; w < n; w++) {
      prev.set(controller.subarray(8 * w, 8 * w + 8));
      applyAction('delta', actions, 7 * w, controller, 8 * w);
      worlds[w].spec.setGripperCommand(controller[8 * w + 7]);
      worlds[w].spec.stepControl(prev, 0, controller, 8 * w);
      stepCount[w]++;
    }
    if (steps.includes(step)) {
      for (let w = 0; w < n; w++) cases.push({ label: `${taskId} world ${w} after step ${step}`, ...worlds[w], snapshot: worlds[w].spec.snapshot() });
    }
  }
  return cases;
}

const f32 = (a: ArrayLike<number>) => Float64Array.from(a, Math.fround);

/** `c` with every number rounded to f32 (what the GPU is given). */
function roundContact(c: SolverContact): SolverContact {
  const r = { ...c };
  for (const f of ['n', 't1', 't2', 'rA', 'rB', 'localA', 'localB', 'anchor', 'p'] as const) r[f] = Array.from(c[f], Math.fround);
  for (const f of ['d0', 'mu', 'kN', 'kT1', 'kT2', 'kT12', 'lN', 'lT1', 'lT2'] as const) r[f] = Math.fround(c[f]);
  return r;
}

/** Largest |a − b| over the entries, and where. */
function worst(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

function expectNear(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  expect(Array.from(actual).every(Number.isFinite), `${what}: not written (NaN left)`).toBe(true);
  expect(worst(actual, expected), what).toBeLessThanOrEqual(tolerance);
}

/** The spec's bodies and joints (travel, rate) now. */
function specState(spec: SolverSpecWorld, model: SolverModel): { bodies: Float64Array; joints: Float64Array } {
  const s = spec.snapshot();
  const nb = model.bodyNames.length;
  const nj = model.joints.length;
  const joints = new Float64Array(2 * nj);
  for (let j = 0; j < nj; j++) {
    joints[2 * j] = s[nb * BODY + j];
    joints[2 * j + 1] = s[nb * BODY + nj + j];
  }
  return { bodies: s.slice(0, nb * BODY), joints };
}

let gpu: GpuContext;
beforeAll(async () => {
  gpu = await acquireGpu({ onNotice: () => {} });
});
afterAll(() => gpu?.release());

/**
 * Runs the four stages on `cases` (one Model): each from the spec's output of the stage before,
 * rounded to f32, on both sides; checks the GPU's output against the spec's.
 */
async function checkStages(cases: SpecCase[]): Promise<Record<StageName, number>> {
  const kernels = await SceneStageKernels.create(gpu, cases[0].model, cases.length, DEFAULT_PHYSICS);
  const changed: Record<StageName, number> = { stageContacts: 0, stageMatch: 0, stageSolve: 0, stageStabilize: 0 };
  try {
    const nj = cases[0].model.joints.length;
    const inputs: StageInput[] = cases.map((c) => ({ data: c.data, snapshot: f32(c.snapshot), contacts: [], lDrive: new Float64Array(nj) }));
    const run = async (stage: StageName, specStage: (c: SpecCase, input: StageInput) => SolverContact[]) => {
      const gpuOut: StageOutput[] = await kernels.run(stage, inputs);
      cases.forEach((c, i) => {
        // Cases of one world share its spec world: put it in this case's state.
        c.spec.restore(inputs[i].snapshot);
        const lDrive = Float64Array.from(inputs[i].lDrive);
        const specContacts = specStage(c, { ...inputs[i], lDrive });
        const what = `${stage}: ${c.label}`;
        const out = gpuOut[i];
        const state = specState(c.spec, c.model);
        // Bodies: 1e-5 m / 1e-5 per quaternion entry; velocities VELOCITY_TOLERANCE.
        for (let b = 0; b < c.model.bodyNames.length; b++) {
          const o = b * BODY;
          const name = `${what}, ${c.model.bodyNames[b]}`;
          expectNear(out.bodies.subarray(o, o + 7), state.bodies.subarray(o, o + 7), 1e-5, `${name} pose`);
                    expectNear(out.bodies.subarray(o + 7, o + 13), state.bodies.subarray(o + 7, o + 13), VELOCITY_TOLERANCE, `${name} velocity`);
        }
        expectNear(out.joints, state.joints, 1e-4, `${what}, joints (travel, rate)`);
        expectNear(out.lDrive, lDrive, 1e-6, `${what}, drive impulses`);
        // Contacts: the same pairs in the same order; points, normals, levers 1e-5; separations 1e-5 m;
        // effective masses and impulses relative to the contact's largest (see the constants).
        expect(out.contacts.length, `${what}: contacts`).toBe(specContacts.length);
        out.contacts.forEach((g, k) => {
          const s = specContacts[k];
          const at = `${what}, contact ${k} (pair ${s.pair})`;
          expect([g.pair, g.a, g.b, g.lockedA, g.lockedB], at).toEqual([s.pair, s.a, s.b, s.lockedA, s.lockedB]);
          for (const f of ['n', 't1', 't2', 'p', 'rA', 'rB', 'localA', 'localB', 'anchor'] as const) expectNear(g[f], s[f], 1e-5, `${at} ${f}`);
          expectNear([g.d0, g.mu], [s.d0, s.mu], 1e-5, `${at} d0, mu`);
          const kScale = Math.max(s.kN, s.kT1, s.kT2);
          for (const f of ['kN', 'kT1', 'kT2', 'kT12'] as const) expect(Math.abs(g[f] - s[f]), `${at} ${f}`).toBeLessThanOrEqual(K_TOLERANCE * kScale);
          const lScale = Math.max(Math.abs(s.lN), Math.abs(s.lT1), Math.abs(s.lT2));
          for (const f of ['lN', 'lT1', 'lT2'] as const) expect(Math.abs(g[f] - s[f]), `${at} ${f}`).toBeLessThanOrEqual(VELOCITY_TOLERANCE / Math.max(s.kN, 1e-9) + IMPULSE_TOLERANCE * lScale);
        });
        // The next stage starts from this stage's spec output, rounded to f32.
        const before = inputs[i];
        const next: StageInput = { data: c.data, snapshot: f32(c.spec.snapshot()), contacts: specContacts.map(roundContact), lDrive: f32(lDrive) };
        if (worst(next.snapshot.subarray(0, state.bodies.length), before.snapshot.subarray(0, state.bodies.length)) > 0 || specContacts.some((s, k) => s.lN !== before.contacts[k]?.lN) || specContacts.length !== before.contacts.length) changed[stage]++;
        inputs[i] = next;
      });
    };
    await run('stageContacts', (c) => c.spec.stageContacts());
    await run('stageMatch', (c, input) => c.spec.stageMatch(input.contacts));
    await run('stageSolve', (c, input) => c.spec.stageSolve(input.contacts, input.lDrive as Float64Array));
    await run('stageStabilize', (c, input) => c.spec.stageStabilize(input.contacts, input.lDrive as Float64Array));
    return changed;
  } finally {
    kernels.destroy();
  }
}

describe('scene solver stage by stage: WGSL against its TS specification (SwiftShader in CI)', () => {
  it('stack: contacts, warm-start match, biased solve, integration and stabilization agree from the same inputs (4 worlds, 5 moments of the expert)', async () => {
    const cases = specCases('stack', 4, [8, 40, 60, 100, 140]);
    const changed = await checkStages(cases);
    // The check has teeth: every stage changed something in most cases.
    for (const stage of Object.keys(changed) as StageName[]) expect(changed[stage], stage).toBeGreaterThanOrEqual(cases.length / 2);
  });

  it('pick-place-clutter (cylinders among boxes): the same, 2 worlds at 3 moments', async () => {
    const cases = specCases('pick-place-clutter', 2, [5, 40, 80]);
    const changed = await checkStages(cases);
    expect(changed.stageContacts).toBeGreaterThanOrEqual(cases.length / 2);
  });
});
