import type { BodyDesc, BoxShapeDesc, SceneDesc } from '../../scene/scene-desc.js';
import { parallelGripperParts } from '../../agents/parallel-gripper/bodies.js';
import { quatFromYaw } from '../../math/quat.js';
import { CUBE_STACK_GEOMETRY as G } from './geometry.js';
import { CUBE_STACK_BODY as BODY, type CubeStackLayout } from './layout.js';

/** Collision group bits of a stacking scene. */
export const CUBE_STACK_GROUP = { table: 1, palm: 2, finger: 4, cube: 8 } as const;

const ALL = 0xffff;

const box = (halfExtents: readonly [number, number, number], friction: number, group: number): BoxShapeDesc => ({
  type: 'box',
  halfExtents,
  offset: [0, 0, 0],
  friction,
  frictionCombine: 'average',
  group,
  collidesWith: ALL,
});

/**
 * Builds one stacking world from its row of randomized parameters: the table, the gripper
 * (fully open) at its start pose, and each cube resting on the table at its drawn position and
 * yaw (`separateCubes` keeps them apart). Contact queries: each finger against each cube, in
 * the order `fingerContactQuery` gives.
 */
export function buildCubeStackScene(layout: CubeStackLayout, params: ArrayLike<number>, offset = 0): SceneDesc {
  const p = (i: number) => params[offset + i];
  const hand = layout.hand;
  const handQuat = quatFromYaw([0, 0, 0, 1], p(hand.yaw)) as unknown as readonly [number, number, number, number];
  const gripper = parallelGripperParts([p(hand.x), p(hand.y), p(hand.z)], handQuat, G.fingerTravel, {
    palm: CUBE_STACK_GROUP.palm,
    finger: CUBE_STACK_GROUP.finger,
    palmTouches: CUBE_STACK_GROUP.cube,
    fingerTouches: CUBE_STACK_GROUP.table | CUBE_STACK_GROUP.cube,
  });
  const cubes: BodyDesc[] = layout.spec.cubes.map((letter, k) => {
    const c = layout.cubeCols[k];
    const h = p(c.edge) / 2;
    return {
      name: `cube${letter}`,
      kind: 'dynamic',
      position: [p(c.x), p(c.y), h],
      rotation: quatFromYaw([0, 0, 0, 1], p(c.yaw)) as unknown as readonly [number, number, number, number],
      mass: p(c.mass),
      shapes: [box([h, h, h], p(c.friction), CUBE_STACK_GROUP.cube)],
    };
  });
  const table: BodyDesc = {
    name: 'table',
    kind: 'fixed',
    position: [0, 0, -G.tableHalfExtents[2]],
    rotation: [0, 0, 0, 1],
    shapes: [box(G.tableHalfExtents, G.tableFriction, CUBE_STACK_GROUP.table)],
  };
  return {
    bodies: [table, ...gripper.bodies, ...cubes],
    joints: gripper.joints(BODY.hand, BODY.fingerLeft, BODY.fingerRight),
    controlledBody: BODY.hand,
    contactQueries: cubes.flatMap((_, k) => [
      [BODY.fingerLeft, BODY.firstCube + k] as const,
      [BODY.fingerRight, BODY.firstCube + k] as const,
    ]),
  };
}
