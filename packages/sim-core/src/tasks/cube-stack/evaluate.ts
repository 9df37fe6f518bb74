import type { EvaluationOut, WorldView } from '../task.js';
import { bodyOffset, cubeBottomZ, cubeTopZ, isBodyAtRest, isOverTopFace } from './cube-geometry.js';
import { CUBE_STACK_BODY as BODY, fingerContactQuery, type CubeStackLayout } from './layout.js';

/** Thresholds of the stacking signals. */
export const STACK_THRESHOLDS = {
  /** A cube rests on another when its lowest point is within this of the other's highest point (m). */
  maxGap: 0.005,
  /** A cube whose lowest point is this far above the table counts as lifted (m). */
  liftHeight: 0.02,
  /** At rest below these speeds (m/s, rad/s). */
  maxRestSpeed: 0.02,
  maxRestAngularSpeed: 0.5,
} as const;

/** Reward of each completed placement; success adds 1 more. */
const REWARD_PER_PLACEMENT = 4;

/**
 * Sub-signal names of a stacking plan: `success`, then for each placement of cube X onto Y
 * `isGraspedX`, `isLiftedX` and `xOnY`, then `isAtRest`.
 */
export function cubeStackSignalNames(layout: CubeStackLayout): string[] {
  const names = ['success'];
  for (const { pick, onto } of layout.spec.plan) names.push(`isGrasped${pick}`, `isLifted${pick}`, `${pick.toLowerCase()}On${onto}`);
  names.push('isAtRest');
  return names;
}

/** Whether cube `k` is pinched: both finger pads touch it with a pushing contact. */
export function isPinched(view: WorldView, k: number): boolean {
  const c = view.contacts, o = view.contactsOffset;
  return c[o + fingerContactQuery(k, 0)] === 1 && c[o + fingerContactQuery(k, 1)] === 1;
}

/**
 * Whether cube `top` rests on cube `bottom` (scene-order indices): its lowest point is within
 * `maxGap` of `bottom`'s highest point and its centre lies over `bottom`'s top face.
 */
export function cubeRestsOn(view: WorldView, layout: CubeStackLayout, top: number, bottom: number): boolean {
  const b = view.bodies;
  const t = bodyOffset(view.bodiesOffset, BODY.firstCube + top);
  const u = bodyOffset(view.bodiesOffset, BODY.firstCube + bottom);
  const hTop = view.params[view.paramsOffset + layout.cubeCols[top].edge] / 2;
  const hBottom = view.params[view.paramsOffset + layout.cubeCols[bottom].edge] / 2;
  const gap = cubeBottomZ(b, t, hTop) - cubeTopZ(b, u, hBottom);
  return Math.abs(gap) <= STACK_THRESHOLDS.maxGap && isOverTopFace(b, u, hBottom, b[t], b[t + 1], b[t + 2]);
}

/** The evaluation of a stacking plan: its signal names, `Task.evaluate` and `Task.reward`. */
export interface CubeStackEvaluation {
  signalNames: readonly string[];
  evaluate(view: WorldView, out: EvaluationOut): boolean;
  reward(view: WorldView, signals: Uint8Array, signalsOffset: number): number;
}

/**
 * Evaluates a stacking plan. A placement X-on-Y is done (`xOnY`) when X rests on Y (see
 * `cubeRestsOn`) and is not pinched; success is every placement done with every cube at rest
 * (MimicGen's stack checks: released, lifted, touching the cube below).
 */
export function cubeStackEvaluation(layout: CubeStackLayout): CubeStackEvaluation {
  const signalNames = cubeStackSignalNames(layout);
  const numPlacements = layout.steps.length;
  const atRestSignal = 1 + 3 * numPlacements;
  const numCubes = layout.spec.cubes.length;

  const evaluate = (view: WorldView, out: EvaluationOut): boolean => {
    const b = view.bodies, s = out.signals, o = out.signalsOffset;
    let allPlaced = true;
    for (let i = 0; i < numPlacements; i++) {
      const { pick, onto } = layout.steps[i];
      const c = bodyOffset(view.bodiesOffset, BODY.firstCube + pick);
      const grasped = isPinched(view, pick);
      const h = view.params[view.paramsOffset + layout.cubeCols[pick].edge] / 2;
      const placed = !grasped && cubeRestsOn(view, layout, pick, onto);
      s[o + 1 + 3 * i] = grasped ? 1 : 0;
      s[o + 2 + 3 * i] = cubeBottomZ(b, c, h) > STACK_THRESHOLDS.liftHeight ? 1 : 0;
      s[o + 3 + 3 * i] = placed ? 1 : 0;
      allPlaced &&= placed;
    }
    let atRest = true;
    for (let k = 0; k < numCubes && atRest; k++) {
      atRest = isBodyAtRest(b, bodyOffset(view.bodiesOffset, BODY.firstCube + k), STACK_THRESHOLDS.maxRestSpeed, STACK_THRESHOLDS.maxRestAngularSpeed);
    }
    s[o + atRestSignal] = atRest ? 1 : 0;
    const success = allPlaced && atRest;
    s[o] = success ? 1 : 0;
    return success;
  };

  // Staged dense reward in [0, 4·placements + 1] (ManiSkill StackCube style): each placement done
  // in order counts 4; the next one earns up to 1 for reaching its cube, 1 for grasping it
  // and up to 2 for bringing it to its resting place on the cube below; success adds 1.
  const reward = (view: WorldView, signals: Uint8Array, o: number): number => {
    if (signals[o]) return REWARD_PER_PLACEMENT * numPlacements + 1;
    let done = 0;
    while (done < numPlacements && signals[o + 3 + 3 * done]) done++;
    if (done === numPlacements) return REWARD_PER_PLACEMENT * numPlacements;
    const b = view.bodies;
    const { pick, onto } = layout.steps[done];
    const c = bodyOffset(view.bodiesOffset, BODY.firstCube + pick);
    const u = bodyOffset(view.bodiesOffset, BODY.firstCube + onto);
    const h = bodyOffset(view.bodiesOffset, BODY.hand);
    let reward = REWARD_PER_PLACEMENT * done + 1 - Math.tanh(5 * Math.hypot(b[c] - b[h], b[c + 1] - b[h + 1], b[c + 2] - b[h + 2]));
    if (signals[o + 1 + 3 * done]) {
      const p = view.params, po = view.paramsOffset;
      const restZ = b[u + 2] + (p[po + layout.cubeCols[onto].edge] + p[po + layout.cubeCols[pick].edge]) / 2;
      reward += 1 + 2 * (1 - Math.tanh(5 * Math.hypot(b[c] - b[u], b[c + 1] - b[u + 1], b[c + 2] - restZ)));
    }
    return reward;
  };

  return { signalNames, evaluate, reward };
}
