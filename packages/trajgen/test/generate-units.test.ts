import { describe, expect, it } from 'vitest';
import type { SourceDemo } from '../src/demos/source-demo.js';
import { parseGenerateConfig, subtaskKnobsOf } from '../src/generate/generate-config.js';
import { bridgeSteps, planSubtask } from '../src/generate/plan-subtask.js';
import { CONTROL_LIMITS } from '@gripgen/sim-core';
import { offsetSegments, segmentDemo } from '../src/generate/segment.js';
import { selectSource } from '../src/generate/select-source.js';
import { getDatagenTask } from '../src/tasks/datagen-task.js';

const PICK_PLACE_DATAGEN = getDatagenTask('pick-place');

/** A straight-line demo: the target moves +1 cm in x per step; the cube sits at the origin. */
function lineDemo(T: number, grasped: number[]): SourceDemo {
  const eef = new Float64Array(T * 7);
  const target = new Float64Array(T * 7);
  for (let t = 0; t < T; t++) {
    eef.set([0.01 * t, 0, 0.1, 0, 0, 0, 1], t * 7);
    target.set([0.01 * (t + 1), 0, 0.1, 0, 0, 0, 1], t * 7);
  }
  const still = (x: number) => {
    const p = new Float64Array(T * 7);
    for (let t = 0; t < T; t++) p.set([x, 0, 0, 0, 0, 0, 1], t * 7);
    return p;
  };
  return {
    id: 'line',
    task: 'pick-place',
    world: { seed: 0, episode: 0, worldId: 0 },
    randomization: 'narrow',
    recordedBy: 'test',
    length: T,
    eefPose: eef,
    targetPose: target,
    objectPoses: { cube: still(0), bin: still(0.5) },
    gripperAction: Float64Array.from({ length: T }, (_, t) => (t >= 3 ? 1 : -1)),
    signals: { isGrasped: Uint8Array.from(grasped) },
    actions: new Float32Array(T * 7),
  };
}

describe('segmentation', () => {
  it('ends a subtask at the first 0→1 edge of its signal, the last at the demo end', () => {
    const demo = lineDemo(8, [0, 0, 0, 1, 1, 0, 1, 1]);
    expect(segmentDemo(demo, PICK_PLACE_DATAGEN.subtasks)).toEqual([[0, 4], [4, 8]]);
    // Offsets move the boundary later, never past the last step.
    expect(offsetSegments([[0, 4], [4, 8]], [2])).toEqual([[0, 6], [6, 8]]);
    expect(offsetSegments([[0, 4], [4, 8]], [20])).toEqual([[0, 7], [7, 8]]);
    expect(() => segmentDemo(lineDemo(4, [0, 0, 0, 0]), PICK_PLACE_DATAGEN.subtasks)).toThrow(/"isGrasped" never rises/);
  });
});

describe('source selection', () => {
  const candidates = [0, 0.1, 0.2, 0.3].map((x) => ({ objectPose: [x, 0, 0, 0, 0, 0, 1], eefPose: [x, 0, 0.1, 0, 0, 0, 1] }));
  it('random picks uniformly by the draw', () => {
    expect(selectSource('random', 3, candidates, [0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 1], 0.99)).toBe(3);
    expect(selectSource('random', 3, candidates, [0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 1], 0.3)).toBe(1);
  });
  it('nearestNeighborObject picks among the k closest object poses', () => {
    const now = [0.29, 0, 0, 0, 0, 0, 1];
    const picks = new Set([0, 0.2, 0.4, 0.6, 0.8, 0.99].map((u) => selectSource('nearestNeighborObject', 2, candidates, now, now, u)));
    expect([...picks].sort()).toEqual([2, 3]);
  });
  it('nearestNeighborRobotDistance compares the moved first robot pose with the current one', () => {
    // The object moved +0.5 in x; only candidate 1's moved robot pose (0.6, 0, 0.1) is near.
    const object = [0.5, 0, 0, 0, 0, 0, 1];
    expect(selectSource('nearestNeighborRobotDistance', 1, candidates.map((c) => ({ ...c, objectPose: [0, 0, 0, 0, 0, 0, 1] })), object, [0.6, 0, 0.1, 0, 0, 0, 1], 0.5)).toBe(1);
  });
});

describe('subtask plans (MimicGen merge semantics)', () => {
  const demo = lineDemo(8, [0, 0, 0, 1, 1, 1, 1, 1]);
  const knobs = subtaskKnobsOf(parseGenerateConfig({ numInterpolationSteps: 2, numFixedSteps: 1, actionNoise: 0.05 }), 'grasp');
  it('interpolates from the start to the transformed first pose, holds it, then runs the segment', () => {
    // The cube moved +1 m in y: every source pose moves with it.
    const plan = planSubtask({ demo, segment: [0, 4], object: 'cube', objectNow: [0, 1, 0, 0, 0, 0, 1], from: { pose: [0, 1, 0.4, 0, 0, 0, 1], gripper: null }, includeFirstRobotPose: true, knobs });
    const xs = plan.map((w) => [w.pose[0], w.pose[1], w.pose[2]].map((v) => Math.round(v * 1000) / 1000));
    // Interpolation (2 steps) to the first robot pose (0, 1, 0.1), one fixed step, then the 4 targets.
    expect(xs).toEqual([[0, 1, 0.3], [0, 1, 0.2], [0, 1, 0.1], [0, 1, 0.1], [0.01, 1, 0.1], [0.02, 1, 0.1], [0.03, 1, 0.1], [0.04, 1, 0.1]]);
    expect(plan.map((w) => w.noise)).toEqual([0, 0, 0, 0.05, 0.05, 0.05, 0.05, 0.05]);
    expect(plan.map((w) => w.gripper)).toEqual([-1, -1, -1, -1, -1, -1, -1, 1]);
  });
  it('without interpolation or fixed steps the plan is the transformed segment', () => {
    const bare = subtaskKnobsOf(parseGenerateConfig({ numInterpolationSteps: 0, numFixedSteps: 0 }), 'place');
    const plan = planSubtask({ demo, segment: [4, 8], object: 'bin', objectNow: [0.5, 0, 0, 0, 0, 0, 1], from: { pose: [0, 0, 0, 0, 0, 0, 1], gripper: null }, includeFirstRobotPose: false, knobs: bare });
    expect(plan.map((w) => Math.round(w.pose[0] * 1000) / 1000)).toEqual([0.05, 0.06, 0.07, 0.08]);
  });
});

describe('speed-limited bridges (bridgeSpeed)', () => {
  const demo = lineDemo(8, [0, 0, 0, 1, 1, 1, 1, 1]);
  it('gives a long bridge the steps it needs to stay within the fraction of the controller limits; null keeps MimicGen\'s count', () => {
    const dp = CONTROL_LIMITS.maxDeltaPosition;
    // 20 moves of 0.5 · dp cover 10 · dp: 19 poses in between.
    expect(bridgeSteps([0, 0, 0.1, 0, 0, 0, 1], [10 * dp, -dp, 0.1, 0, 0, 0, 1], 0.5)).toBe(19);
    expect(bridgeSteps([0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 1], 0.5)).toBe(0);
    // A half turn about z at 0.5 · maxDeltaRotation per move.
    expect(bridgeSteps([0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 1, 0], 0.5)).toBe(Math.ceil(Math.PI / (0.5 * CONTROL_LIMITS.maxDeltaRotation)) - 1);

    const from = { pose: [0.4, 1, 0.1, 0, 0, 0, 1], gripper: null };
    const mimicgen = subtaskKnobsOf(parseGenerateConfig({ numInterpolationSteps: 5 }), 'grasp');
    const limited = subtaskKnobsOf(parseGenerateConfig({ numInterpolationSteps: 5, bridgeSpeed: 0.5 }), 'grasp');
    const a = planSubtask({ demo, segment: [0, 4], object: 'cube', objectNow: [0, 1, 0, 0, 0, 0, 1], from, includeFirstRobotPose: true, knobs: mimicgen });
    const b = planSubtask({ demo, segment: [0, 4], object: 'cube', objectNow: [0, 1, 0, 0, 0, 0, 1], from, includeFirstRobotPose: true, knobs: limited });
    // MimicGen: 6 moves of 6.7 cm for the 0.4 m bridge, then the 4 segment poses after its first; limited: 0.4 / 0.015 → 27 moves.
    expect(a.length).toBe(6 + 4);
    expect(b.length).toBe(Math.ceil(0.4 / (0.5 * dp)) + 4);
    const steps = (plan: typeof a) => plan.slice(1).map((w, i) => Math.abs(w.pose[0] - plan[i].pose[0]));
    expect(Math.max(...steps(b))).toBeLessThanOrEqual(0.5 * dp + 1e-12);
    expect(Math.max(...steps(a))).toBeGreaterThan(dp);
    expect(() => parseGenerateConfig({ bridgeSpeed: 1.5 })).toThrow(/invalid field "bridgeSpeed".*got 1.5/);
  });
});

describe('size-aware frames (SubtaskSpec.anchor)', () => {
  const stack = getDatagenTask('stack');
  const [grasp, place] = stack.subtasks;
  /** A `stack` parameter row with the given cube edges (the rest are not read). */
  const params = (edgeA: number, edgeB: number) => {
    const row = new Float32Array(32);
    row[3] = edgeA; // cubeAEdge
    row[7 + 3] = edgeB; // cubeBEdge
    return row;
  };
  const yawed = Math.sin(Math.PI / 6);

  it('moves a pose to the anchor: along the object\'s own axes, by its half edge', () => {
    const up = Float64Array.of(0.4, 0.1, 0.025, 0, 0, yawed, Math.cos(Math.PI / 6));
    stack.anchorPose(place, up, params(0.04, 0.05), 0);
    expect(Array.from(up).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0.4, 0.1, 0.05, 0, 0, Math.round(yawed * 1e9) / 1e9, Math.round(Math.cos(Math.PI / 6) * 1e9) / 1e9]);
    // A cube lying on its side (90° about x): its top face points along −y in the world.
    const s = Math.SQRT1_2;
    const tipped = Float64Array.of(0, 0, 0.02, s, 0, 0, s);
    stack.anchorPose(grasp, tipped, params(0.04, 0.05), 0);
    expect(Array.from(tipped.slice(0, 3)).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0, 0.02, 0.02]);
    expect(() => getDatagenTask('pick-place').anchorPose(getDatagenTask('pick-place').subtasks[0], up, params(0.04, 0.05), 0)).not.toThrow();
  });

  it('a place recorded above a 5 cm cube B releases at the same height above a 3 cm one; MimicGen\'s centre frame releases 1 cm higher', () => {
    // The demo's TCP ends 3 cm above B's top (B: 5 cm, centre at 0.025); the new B is 3 cm.
    const T = 4;
    const still = (z: number) => Float64Array.from({ length: T * 7 }, (_, i) => [0.5, 0, z, 0, 0, 0, 1][i % 7]);
    const demo: SourceDemo = { ...lineDemo(T, [0, 0, 0, 0]), task: 'stack', targetPose: still(0.08), eefPose: still(0.08), objectPoses: { cubeA: still(0.07), cubeB: still(0.025) } };
    const knobs = subtaskKnobsOf(parseGenerateConfig({ numInterpolationSteps: 0, numFixedSteps: 0 }), 'place');
    const bNow = Float64Array.of(0.3, 0.2, 0.015, 0, 0, 0, 1);
    const centre = planSubtask({ demo, segment: [0, T], object: 'cubeB', objectNow: bNow, from: { pose: bNow, gripper: null }, includeFirstRobotPose: false, knobs });
    const anchoredNow = Float64Array.from(bNow);
    stack.anchorPose(place, anchoredNow, params(0.04, 0.03), 0);
    const anchoredThen = Float64Array.of(0.5, 0, 0.025, 0, 0, 0, 1);
    stack.anchorPose(place, anchoredThen, params(0.04, 0.05), 0);
    const aware = planSubtask({ demo, segment: [0, T], object: 'cubeB', objectNow: anchoredNow, objectThen: anchoredThen, from: { pose: bNow, gripper: null }, includeFirstRobotPose: false, knobs });
    const topNow = 0.03;
    expect(aware.at(-1)!.pose[2] - topNow).toBeCloseTo(0.08 - 0.05, 7); // f32 edges
    expect(centre.at(-1)!.pose[2] - topNow).toBeCloseTo(0.08 - 0.05 + 0.01, 7);
    expect([aware.at(-1)!.pose[0], aware.at(-1)!.pose[1]]).toEqual([0.3, 0.2]);
  });

  it('re-draws a source demo\'s parameters from its world key', () => {
    const demo = { ...lineDemo(2, [0, 0]), task: 'stack', world: { seed: 3, episode: 5, worldId: 7 }, randomization: 'wide' };
    const a = stack.demoParams(demo);
    expect(a).toEqual(stack.demoParams({ ...demo }));
    expect(a).not.toEqual(stack.demoParams({ ...demo, world: { seed: 3, episode: 6, worldId: 7 } }));
    expect(a[3]).toBeGreaterThanOrEqual(0.03);
    expect(a[3]).toBeLessThanOrEqual(0.06);
  });
});

describe('generate config', () => {
  it('boundary offsets: the subtask override, else the config, else the task, else MimicGen\'s [10, 20]', () => {
    const fromTask = { name: 'grasp', termOffsetRange: [5, 10] as const };
    expect(subtaskKnobsOf(parseGenerateConfig({}), fromTask).subtaskTermOffsetRange).toEqual([5, 10]);
    expect(subtaskKnobsOf(parseGenerateConfig({}), 'grasp').subtaskTermOffsetRange).toEqual([10, 20]);
    expect(subtaskKnobsOf(parseGenerateConfig({ subtaskTermOffsetRange: [0, 3] }), fromTask).subtaskTermOffsetRange).toEqual([0, 3]);
    expect(subtaskKnobsOf(parseGenerateConfig({ subtaskTermOffsetRange: [0, 3], subtasks: { grasp: { subtaskTermOffsetRange: [7, 8] } } }), fromTask).subtaskTermOffsetRange).toEqual([7, 8]);
  });

  it('has MimicGen defaults and names the bad field', () => {
    const c = parseGenerateConfig({});
    expect(c).toMatchObject({ selectSrcPerSubtask: false, transformFirstRobotPose: false, interpolateFromLastTargetPose: true, numInterpolationSteps: 5, numFixedSteps: 0, keepFailed: true, maxNumFailures: 50, guarantee: false, numTrials: 10 });
    expect(() => parseGenerateConfig({ nnK: 0 })).toThrow(/invalid field "nnK"/);
    expect(() => parseGenerateConfig({ subtasks: { grasp: { actionNoise: -1 } } })).toThrow(/"subtasks.grasp.actionNoise"/);
    expect(() => parseGenerateConfig({ numInterpolationStep: 3 })).toThrow(/unknown field "numInterpolationStep"/);
  });
});
