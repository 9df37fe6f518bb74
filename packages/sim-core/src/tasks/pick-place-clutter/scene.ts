import type { BodyDesc, SceneDesc, ShapeDesc } from '../../scene/scene-desc.js';
import { quatFromYaw } from '../../math/quat.js';
import { PICK_PLACE_GEOMETRY as G } from '../pick-place/geometry.js';
import { BODY as PICK_PLACE_BODY, NUM_PICK_PLACE_BODIES, PICK_PLACE_CONTACT_QUERIES, pickPlaceSceneParts } from '../pick-place/scene.js';
import { DISTRACTORS } from './distractors.js';
import { DISTRACTOR_COLUMNS } from './placement.js';

/** Collision group of the distractors (the bits below are pick-place's `GROUP`). */
export const DISTRACTOR_GROUP = 32;

/** Scene index of slot `slot`'s distractor: after pick-place's bodies, in slot order. */
export function distractorBody(slot: number): number {
  return NUM_PICK_PLACE_BODIES + slot;
}

/** Body indices: pick-place's (table, bin, hand, fingers, cube), then one per distractor slot. */
export const BODY = PICK_PLACE_BODY;

/** Number of bodies in a pick-place-clutter world. */
export const NUM_CLUTTER_BODIES = NUM_PICK_PLACE_BODIES + DISTRACTORS.length;

/**
 * Builds one pick-place-clutter world from its row of randomized parameters: pick-place's world
 * (the gripper now also touches distractors) and every distractor slot, each resting on the
 * table where the parameters put it — in play, or parked (see `placeDistractors`). Distractors
 * collide with everything.
 */
export function buildClutterScene(params: ArrayLike<number>, offset = 0, fingerHalfOpening: number = G.fingerTravel): SceneDesc {
  const p = (i: number) => params[offset + i];
  const { bodies, joints } = pickPlaceSceneParts(params, offset, fingerHalfOpening, DISTRACTOR_GROUP);
  DISTRACTORS.forEach((d, slot) => {
    const c = DISTRACTOR_COLUMNS[slot];
    const halfHeight = p(c.height) / 2;
    const common = { offset: [0, 0, 0] as const, friction: p(c.friction), frictionCombine: 'average' as const, group: DISTRACTOR_GROUP, collidesWith: 0xffff };
    const shape: ShapeDesc =
      d.shape === 'box'
        ? { type: 'box', halfExtents: [p(c.sizeX) / 2, p(c.sizeY) / 2, halfHeight], ...common }
        : { type: 'cylinder', radius: p(c.sizeX) / 2, halfHeight, ...common };
    const body: BodyDesc = {
      name: d.name,
      kind: 'dynamic',
      position: [p(c.x), p(c.y), halfHeight],
      rotation: (c.yaw >= 0 ? quatFromYaw([0, 0, 0, 1], p(c.yaw)) : [0, 0, 0, 1]) as unknown as readonly [number, number, number, number],
      mass: p(c.mass),
      shapes: [shape],
    };
    bodies.push(body);
  });
  return { bodies, joints, controlledBody: BODY.hand, contactQueries: PICK_PLACE_CONTACT_QUERIES };
}
