import type { SceneDesc, ShapeDesc } from './scene-desc.js';

/**
 * The contact rules every backend applies to a scene, written down once (they are Rapier's):
 * which shapes collide, which bodies can touch at all, and how two frictions combine.
 */

/** Whether two shapes' collision groups let them collide: (A.group & B.collidesWith) && (B.group & A.collidesWith). */
export function shapesCollide(a: ShapeDesc, b: ShapeDesc): boolean {
  return (a.group & b.collidesWith) !== 0 && (b.group & a.collidesWith) !== 0;
}

/**
 * Whether bodies `i` and `j` of `scene` can be in contact at all: different bodies, at least
 * one of them dynamic (no contacts between fixed and kinematic bodies, as in Rapier's default
 * active collision types), and not the two ends of a joint (joints disable their bodies' contacts).
 */
export function bodiesMayTouch(scene: SceneDesc, i: number, j: number): boolean {
  if (i === j) return false;
  if (scene.bodies[i].kind !== 'dynamic' && scene.bodies[j].kind !== 'dynamic') return false;
  return !scene.joints.some((joint) => (joint.body1 === i && joint.body2 === j) || (joint.body1 === j && joint.body2 === i));
}

/** The friction coefficient of a contact between two shapes: `max` if either shape asks for it, else the average. */
export function combinedFriction(a: ShapeDesc, b: ShapeDesc): number {
  if (a.frictionCombine === 'max' || b.frictionCombine === 'max') return Math.max(a.friction, b.friction);
  return 0.5 * (a.friction + b.friction);
}
