/**
 * Source demo selection strategies (MimicGen's `selection_strategy.py`).
 */
import { poseDistance, poseInverse, poseMultiply } from '../pose.js';

/** What a strategy sees of one candidate source demo's segment. */
export interface SelectionCandidate {
  /** Pose of the subtask's object at the segment's first step. */
  objectPose: ArrayLike<number>;
  /** End-effector pose at the segment's first step. */
  eefPose: ArrayLike<number>;
}

/**
 * Picks a candidate index. `random01` is the attempt's uniform draw in [0, 1).
 * - `random`: uniform over all candidates.
 * - `nearestNeighborObject`: score = position distance + rotation angle between the
 *   candidate's object pose and the current one; uniform among the `nnK` lowest.
 * - `nearestNeighborRobotDistance`: the candidate's first end-effector pose, moved with the
 *   object (T_obj_now · T_obj_src⁻¹), against the current end-effector pose; same scoring.
 */
export function selectSource(
  strategy: 'random' | 'nearestNeighborObject' | 'nearestNeighborRobotDistance',
  nnK: number,
  candidates: readonly SelectionCandidate[],
  objectNow: ArrayLike<number>,
  eefNow: ArrayLike<number>,
  random01: number,
): number {
  const n = candidates.length;
  if (n === 0) throw new Error('no source demo to select from');
  if (strategy === 'random') return Math.min(n - 1, Math.floor(random01 * n));
  const scores = candidates.map((c, i) => {
    let d: { position: number; angle: number };
    if (strategy === 'nearestNeighborObject') d = poseDistance(c.objectPose, objectNow);
    else {
      const delta = poseMultiply(new Float64Array(7), objectNow, poseInverse(new Float64Array(7), c.objectPose));
      d = poseDistance(poseMultiply(new Float64Array(7), delta, c.eefPose), eefNow);
    }
    return { i, score: d.position + d.angle };
  });
  scores.sort((a, b) => a.score - b.score || a.i - b.i);
  const k = Math.min(nnK, n);
  return scores[Math.min(k - 1, Math.floor(random01 * k))].i;
}
