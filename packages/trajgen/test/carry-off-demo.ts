/**
 * A "carry-off" source demo: the scripted expert's with its place segment moved 1 m along +x
 * and the gripper kept closed. The controller clips the target to the gripper's reach
 * (x <= 0.85 m), past the table edge (0.8 m): an attempt that follows it carries the cube out
 * of the workspace (`objectOutsideWorkspace`) while still holding it.
 */
import type { SourceDemo } from '../src/index.js';

/** `demo` with every target after the grasp moved 1 m along +x and the gripper closed. */
export function carryOff(demo: SourceDemo): SourceDemo {
  const grasped = demo.signals.isGrasped;
  const edge = grasped.findIndex((v, t) => v === 1 && (t === 0 || grasped[t - 1] === 0));
  const targetPose = Float64Array.from(demo.targetPose);
  const gripperAction = Float64Array.from(demo.gripperAction);
  for (let t = edge + 1; t < demo.length; t++) {
    targetPose[t * 7] += 1;
    gripperAction[t] = 1;
  }
  return { ...demo, id: `${demo.id}-carry-off`, targetPose, gripperAction };
}
