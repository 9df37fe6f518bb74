import type { BodyDesc, BoxShapeDesc, PrismaticJointDesc } from '../../scene/scene-desc.js';
import { PARALLEL_GRIPPER as G } from './geometry.js';

/** Collision groups the gripper's shapes belong to and touch (bit masks of the scene's groups). */
export interface GripperCollision {
  palm: number;
  finger: number;
  /** Groups the palm collides with. */
  palmTouches: number;
  /** Groups the fingers collide with. */
  fingerTouches: number;
}

/** The gripper's part of a scene: the hand, its two fingers and their prismatic joints. */
export interface GripperParts {
  /** Hand (kinematic, moved by the controller), left finger, right finger. */
  bodies: [BodyDesc, BodyDesc, BodyDesc];
  /** The fingers' joints, given the scene indices the three bodies will have. */
  joints(hand: number, left: number, right: number): [PrismaticJointDesc, PrismaticJointDesc];
}

/**
 * The parallel gripper's bodies at a hand pose (TCP position and orientation) with each finger
 * `travel` (m) from its closed position (0 … `fingerTravel`). The fingers are mounted on the hand
 * by prismatic joints along its ±y axis, driven as `drive.ts` says; an arm carrying the hand would
 * be another agent whose last link takes the hand's place.
 */
export function parallelGripperParts(
  position: readonly [number, number, number],
  rotation: readonly [number, number, number, number],
  travel: number,
  collision: GripperCollision,
): GripperParts {
  const pad = (halfExtents: readonly [number, number, number], offset: readonly [number, number, number], group: number, touches: number, combine: 'average' | 'max'): BoxShapeDesc => ({
    type: 'box',
    halfExtents,
    offset,
    friction: G.fingerFriction,
    frictionCombine: combine,
    group,
    collidesWith: touches,
  });
  const [qx, qy, qz, qw] = rotation;
  // The hand's y axis in the world: where the fingers sit and slide.
  const yAxis = [2 * (qx * qy - qw * qz), 1 - 2 * (qx * qx + qz * qz), 2 * (qy * qz + qw * qx)];
  const finger = (name: string, side: 1 | -1): BodyDesc => {
    const d = side * (G.fingerHalfExtents[1] + travel);
    return {
      name,
      kind: 'dynamic',
      position: [position[0] + d * yAxis[0], position[1] + d * yAxis[1], position[2] + d * yAxis[2]],
      rotation,
      mass: G.fingerMass,
      shapes: [pad(G.fingerHalfExtents, [0, 0, G.fingerCenterZ], collision.finger, collision.fingerTouches, 'max')],
    };
  };
  const hand: BodyDesc = {
    name: 'hand',
    kind: 'kinematic',
    position,
    rotation,
    shapes: [pad(G.palmHalfExtents, [0, 0, G.palmCenterZ], collision.palm, collision.palmTouches, 'average')],
  };
  const drive = { stiffness: G.fingerDriveStiffness, damping: G.fingerDriveDamping, maxForce: G.fingerMaxForce };
  const joint = (name: string, body1: number, body2: number, side: 1 | -1): PrismaticJointDesc => ({
    name,
    body1,
    body2,
    anchor1: [0, side * G.fingerHalfExtents[1], 0],
    anchor2: [0, 0, 0],
    axis: [0, side, 0],
    limits: [0, G.fingerTravel],
    drive,
  });
  return {
    bodies: [hand, finger('fingerLeft', 1), finger('fingerRight', -1)],
    joints: (h, l, r) => [joint('fingerLeftJoint', h, l, 1), joint('fingerRightJoint', h, r, -1)],
  };
}
