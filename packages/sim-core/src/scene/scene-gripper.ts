import type { PrismaticJointDesc, SceneDesc } from './scene-desc.js';

/** The gripper of a scene: the controlled body (the hand) and the fingers it carries. */
export interface SceneGripper {
  /** Index of the hand (the scene's `controlledBody`). */
  hand: number;
  /** Each body the hand carries on a prismatic joint (a finger), with that joint, in joint order. */
  fingers: { body: number; joint: PrismaticJointDesc }[];
}

/**
 * Finds the gripper of `scene`: the controlled body and the bodies joined to it (its fingers),
 * whatever the task. Renderers and inspectors use it to tell the gripper from the objects.
 */
export function sceneGripper(scene: SceneDesc): SceneGripper {
  const hand = scene.controlledBody;
  const fingers = scene.joints.filter((j) => j.body1 === hand).map((joint) => ({ body: joint.body2, joint }));
  return { hand, fingers };
}
