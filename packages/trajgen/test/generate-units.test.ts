import { describe, expect, it } from 'vitest';
import type { SourceDemo } from '../src/demos/source-demo.js';
import { parseGenerateConfig, subtaskKnobsOf } from '../src/generate/generate-config.js';
import { planSubtask } from '../src/generate/plan-subtask.js';
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

describe('generate config', () => {
  it('has MimicGen defaults and names the bad field', () => {
    const c = parseGenerateConfig({});
    expect(c).toMatchObject({ selectSrcPerSubtask: false, transformFirstRobotPose: false, interpolateFromLastTargetPose: true, numInterpolationSteps: 5, numFixedSteps: 0, keepFailed: true, maxNumFailures: 50, guarantee: false, numTrials: 10 });
    expect(() => parseGenerateConfig({ nnK: 0 })).toThrow(/invalid field "nnK"/);
    expect(() => parseGenerateConfig({ subtasks: { grasp: { actionNoise: -1 } } })).toThrow(/"subtasks.grasp.actionNoise"/);
    expect(() => parseGenerateConfig({ numInterpolationStep: 3 })).toThrow(/unknown field "numInterpolationStep"/);
  });
});
