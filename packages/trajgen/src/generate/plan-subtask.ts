/**
 * The waypoints of one subtask of one attempt (MimicGen's `generate` loop body with
 * `WaypointTrajectory.merge`): the chosen source segment transformed to the object's current
 * pose, preceded by an interpolation from the previous target (or the current pose) and
 * optional fixed steps.
 */
import { CONTROL_LIMITS } from '@gripgen/sim-core';
import type { SourceDemo } from '../demos/source-demo.js';
import { interpolatePoses, poseDistance, poseFrom, transformSegment, type Pose } from '../pose.js';
import type { SubtaskKnobs } from './generate-config.js';

/** One control step's target: pose, gripper action and the std of the action noise. */
export interface Waypoint {
  pose: Pose;
  gripper: number;
  noise: number;
}

/** Inputs of `planSubtask`. */
export interface PlanInput {
  demo: SourceDemo;
  /** The segment's [start, end) steps in the demo. */
  segment: [number, number];
  /** Name of the subtask's reference object. */
  object: string;
  /** The object's pose now. */
  objectNow: ArrayLike<number>;
  /** The object's pose at the segment's start in the demo (default: the demo's record of it). */
  objectThen?: ArrayLike<number>;
  /** Where the interpolation starts: the last target waypoint, or the current pose. */
  from: Waypoint | { pose: ArrayLike<number>; gripper: null };
  /** Prepend the source's robot pose at the segment start (always for the first subtask). */
  includeFirstRobotPose: boolean;
  knobs: SubtaskKnobs;
}

/** Builds the waypoints to execute for one subtask. */
export function planSubtask(input: PlanInput): Waypoint[] {
  const { demo, segment, knobs } = input;
  const [start, end] = segment;
  const sourcePoses: Pose[] = [];
  const gripper: number[] = [];
  if (input.includeFirstRobotPose) {
    sourcePoses.push(poseFrom(demo.eefPose, start * 7));
    gripper.push(demo.gripperAction[start]);
  }
  for (let t = start; t < end; t++) {
    sourcePoses.push(poseFrom(demo.targetPose, t * 7));
    gripper.push(demo.gripperAction[t]);
  }
  const objectSrc = demo.objectPoses[input.object];
  if (!objectSrc) throw new Error(`source demo ${demo.id} has no pose of object "${input.object}"`);
  const transformed = transformSegment(sourcePoses, input.objectNow, input.objectThen ?? poseFrom(objectSrc, start * 7));
  const segmentWaypoints: Waypoint[] = transformed.map((pose, i) => ({ pose, gripper: gripper[i], noise: knobs.actionNoise }));

  const first = segmentWaypoints[0];
  const interpolationSteps = knobs.bridgeSpeed === null ? knobs.numInterpolationSteps : Math.max(knobs.numInterpolationSteps, bridgeSteps(input.from.pose, first.pose, knobs.bridgeSpeed));
  const needInterp = interpolationSteps > 0;
  const needFixed = knobs.numFixedSteps > 0;
  if (!needInterp && !needFixed) return segmentWaypoints;

  const bridgeNoise = knobs.applyNoiseDuringInterpolation ? knobs.actionNoise : 0;
  const out: Waypoint[] = [];
  if (needInterp) {
    // numInterpolationSteps + 2 poses from the start to `first`; the start is not executed.
    const poses = interpolatePoses(input.from.pose, first.pose, interpolationSteps);
    for (let i = 1; i < poses.length; i++) out.push({ pose: poses[i], gripper: first.gripper, noise: bridgeNoise });
  }
  if (needFixed) {
    const n = needInterp ? knobs.numFixedSteps : knobs.numFixedSteps + 1;
    for (let i = 0; i < n; i++) out.push({ pose: Float64Array.from(first.pose), gripper: first.gripper, noise: bridgeNoise });
  }
  // The bridge's last waypoint is the segment's first: it keeps the segment's noise.
  out[out.length - 1].noise = first.noise;
  for (let i = 1; i < segmentWaypoints.length; i++) out.push(segmentWaypoints[i]);
  return out;
}

/**
 * Interpolation steps (poses strictly between `from` and `to`) needed so that no step moves a
 * position component by more than `speed` · `maxDeltaPosition` or turns by more than `speed` ·
 * `maxDeltaRotation`: the per-component and angle limits the controller clips each action to.
 */
export function bridgeSteps(from: ArrayLike<number>, to: ArrayLike<number>, speed: number): number {
  const largest = Math.max(Math.abs(to[0] - from[0]), Math.abs(to[1] - from[1]), Math.abs(to[2] - from[2]));
  const moves = Math.max(largest / (speed * CONTROL_LIMITS.maxDeltaPosition), poseDistance(from, to).angle / (speed * CONTROL_LIMITS.maxDeltaRotation));
  return Math.max(0, Math.ceil(moves - 1e-9) - 1);
}
