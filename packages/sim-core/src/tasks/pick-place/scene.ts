import type { BodyDesc, BoxShapeDesc, PrismaticJointDesc, SceneDesc } from '../../scene/scene-desc.js';
import { parallelGripperParts } from '../../agents/parallel-gripper/bodies.js';
import { quatFromYaw } from '../../math/quat.js';
import { PICK_PLACE_GEOMETRY as G } from './geometry.js';
import { P } from './params.js';

/** Body indices of the pick-place scene. */
export const BODY = { table: 0, bin: 1, hand: 2, fingerLeft: 3, fingerRight: 4, cube: 5 } as const;

/** Number of bodies in a pick-place world. */
export const NUM_PICK_PLACE_BODIES = 6;

/** Collision group bits. */
export const GROUP = { table: 1, bin: 2, palm: 4, finger: 8, cube: 16 } as const;

const ALL = 0xffff;

function box(
  halfExtents: readonly [number, number, number],
  offset: readonly [number, number, number],
  friction: number,
  group: number,
  collidesWith: number,
  frictionCombine: 'average' | 'max' = 'average',
): BoxShapeDesc {
  return { type: 'box', halfExtents, offset, friction, frictionCombine, group, collidesWith };
}

/** Pick-place's bodies in scene order (see `BODY`) and the fingers' joints. */
export interface PickPlaceSceneParts {
  bodies: BodyDesc[];
  joints: PrismaticJointDesc[];
}

/**
 * The bodies of one pick-place world from its row of randomized parameters (table, bin,
 * gripper, cube, in `BODY` order) and the fingers' joints: what pick-place is, and what a task
 * that adds objects to it starts from. `fingerHalfOpening` sets where the fingers start (each
 * finger's travel, m); `gripperAlsoTouches` adds collision groups the palm and fingers collide
 * with (the added objects' groups).
 */
export function pickPlaceSceneParts(
  params: ArrayLike<number>,
  offset = 0,
  fingerHalfOpening: number = G.fingerTravel,
  gripperAlsoTouches = 0,
): PickPlaceSceneParts {
  const p = (i: number) => params[offset + i];
  const edge = p(P.cubeEdge);
  const h = edge / 2;
  const handQuat = quatFromYaw([0, 0, 0, 1], p(P.handYaw)) as number[];
  const cubeQuat = quatFromYaw([0, 0, 0, 1], p(P.cubeYaw)) as number[];
  const handPos = [p(P.handX), p(P.handY), p(P.handZ)] as const;

  const wallOffset = G.binInnerHalfSize + G.binWallHalfThickness;
  const wallHalfLength = G.binInnerHalfSize + 2 * G.binWallHalfThickness;
  const wallHalfHeight = G.binRimHeight / 2;
  const binWalls: BoxShapeDesc[] = [
    box([G.binWallHalfThickness, wallHalfLength, wallHalfHeight], [wallOffset, 0, wallHalfHeight], G.binFriction, GROUP.bin, ALL),
    box([G.binWallHalfThickness, wallHalfLength, wallHalfHeight], [-wallOffset, 0, wallHalfHeight], G.binFriction, GROUP.bin, ALL),
    box([G.binInnerHalfSize, G.binWallHalfThickness, wallHalfHeight], [0, wallOffset, wallHalfHeight], G.binFriction, GROUP.bin, ALL),
    box([G.binInnerHalfSize, G.binWallHalfThickness, wallHalfHeight], [0, -wallOffset, wallHalfHeight], G.binFriction, GROUP.bin, ALL),
  ];

  const gripper = parallelGripperParts(handPos, handQuat as unknown as readonly [number, number, number, number], fingerHalfOpening, {
    palm: GROUP.palm,
    finger: GROUP.finger,
    palmTouches: GROUP.bin | GROUP.cube | gripperAlsoTouches,
    fingerTouches: GROUP.table | GROUP.bin | GROUP.cube | gripperAlsoTouches,
  });

  const bodies: BodyDesc[] = [
    {
      name: 'table',
      kind: 'fixed',
      position: [0, 0, -G.tableHalfExtents[2]],
      rotation: [0, 0, 0, 1],
      shapes: [box(G.tableHalfExtents, [0, 0, 0], G.tableFriction, GROUP.table, ALL)],
    },
    { name: 'bin', kind: 'fixed', position: [p(P.binX), p(P.binY), 0], rotation: [0, 0, 0, 1], shapes: binWalls },
    ...gripper.bodies,
    {
      name: 'cube',
      kind: 'dynamic',
      position: [p(P.cubeX), p(P.cubeY), h],
      rotation: cubeQuat as unknown as readonly [number, number, number, number],
      mass: p(P.cubeMass),
      shapes: [box([h, h, h], [0, 0, 0], p(P.cubeFriction), GROUP.cube, ALL)],
    },
  ];
  return { bodies, joints: gripper.joints(BODY.hand, BODY.fingerLeft, BODY.fingerRight) };
}

/** The contact queries of pick-place's signals: each finger with the cube. */
export const PICK_PLACE_CONTACT_QUERIES: readonly (readonly [number, number])[] = [
  [BODY.fingerLeft, BODY.cube],
  [BODY.fingerRight, BODY.cube],
];

/**
 * Builds one pick-place world from its row of randomized parameters.
 * `fingerHalfOpening` sets where the fingers start (each finger's travel, m).
 */
export function buildPickPlaceScene(params: ArrayLike<number>, offset = 0, fingerHalfOpening: number = G.fingerTravel): SceneDesc {
  const { bodies, joints } = pickPlaceSceneParts(params, offset, fingerHalfOpening);
  return { bodies, joints, controlledBody: BODY.hand, contactQueries: PICK_PLACE_CONTACT_QUERIES };
}
