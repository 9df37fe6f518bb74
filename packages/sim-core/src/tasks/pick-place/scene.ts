import type { BodyDesc, BoxShapeDesc, PrismaticJointDesc, SceneDesc } from '../../scene/scene-desc.js';
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
  return { halfExtents, offset, friction, frictionCombine, group, collidesWith };
}

/**
 * Builds one pick-place world from its row of randomized parameters.
 * `fingerHalfOpening` sets where the fingers start (m from the centre line).
 */
export function buildPickPlaceScene(params: ArrayLike<number>, offset = 0, fingerHalfOpening = G.fingerTravel): SceneDesc {
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

  const fingerFilter = GROUP.table | GROUP.bin | GROUP.cube;
  // Fingers start at the requested opening, placed in the world through the hand's pose.
  const fingerBody = (name: string, side: 1 | -1): BodyDesc => {
    const local = [0, side * (G.fingerHalfExtents[1] + fingerHalfOpening), 0];
    const c = Math.cos(p(P.handYaw)), s = Math.sin(p(P.handYaw));
    return {
      name,
      kind: 'dynamic',
      position: [handPos[0] + c * local[0] - s * local[1], handPos[1] + s * local[0] + c * local[1], handPos[2]],
      rotation: handQuat as unknown as readonly [number, number, number, number],
      mass: G.fingerMass,
      shapes: [box(G.fingerHalfExtents, [0, 0, G.fingerCenterZ], G.fingerFriction, GROUP.finger, fingerFilter, 'max')],
    };
  };

  const bodies: BodyDesc[] = [
    {
      name: 'table',
      kind: 'fixed',
      position: [0, 0, -G.tableHalfExtents[2]],
      rotation: [0, 0, 0, 1],
      shapes: [box(G.tableHalfExtents, [0, 0, 0], G.tableFriction, GROUP.table, ALL)],
    },
    { name: 'bin', kind: 'fixed', position: [p(P.binX), p(P.binY), 0], rotation: [0, 0, 0, 1], shapes: binWalls },
    {
      name: 'hand',
      kind: 'kinematic',
      position: handPos,
      rotation: handQuat as unknown as readonly [number, number, number, number],
      shapes: [box(G.palmHalfExtents, [0, 0, G.palmCenterZ], G.fingerFriction, GROUP.palm, GROUP.bin | GROUP.cube)],
    },
    fingerBody('fingerLeft', 1),
    fingerBody('fingerRight', -1),
    {
      name: 'cube',
      kind: 'dynamic',
      position: [p(P.cubeX), p(P.cubeY), h],
      rotation: cubeQuat as unknown as readonly [number, number, number, number],
      mass: p(P.cubeMass),
      shapes: [box([h, h, h], [0, 0, 0], p(P.cubeFriction), GROUP.cube, ALL)],
    },
  ];

  const drive = { stiffness: G.fingerDriveStiffness, damping: G.fingerDriveDamping, maxForce: G.fingerMaxForce };
  const joint = (name: string, body2: number, side: 1 | -1): PrismaticJointDesc => ({
    name,
    body1: BODY.hand,
    body2,
    anchor1: [0, side * G.fingerHalfExtents[1], 0],
    anchor2: [0, 0, 0],
    axis: [0, side, 0],
    limits: [0, G.fingerTravel],
    drive,
  });

  return {
    bodies,
    joints: [joint('fingerLeftJoint', BODY.fingerLeft, 1), joint('fingerRightJoint', BODY.fingerRight, -1)],
    controlledBody: BODY.hand,
    contactQueries: [
      [BODY.fingerLeft, BODY.cube],
      [BODY.fingerRight, BODY.cube],
    ],
  };
}
