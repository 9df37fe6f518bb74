/**
 * Backend-neutral scene description: what a task builds for one world from its randomized
 * parameters, and what every backend turns into its own physics objects. Shapes are boxes and
 * cylinders (axis along the body's z).
 */

/** How the friction coefficients of two touching shapes combine (Rapier's rules; `max` wins over `average`). */
export type FrictionCombine = 'average' | 'max';

/** What every collider has: where it sits on its body, its friction and collision groups. */
interface ShapeCommon {
  /** Centre of the shape in the body frame. */
  offset: readonly [number, number, number];
  friction: number;
  frictionCombine: FrictionCombine;
  /** Collision group bit of this shape (see `collidesWith`). */
  group: number;
  /** Bit mask of the groups this shape collides with. */
  collidesWith: number;
}

/** A box collider attached to a body (axes along the body's). */
export interface BoxShapeDesc extends ShapeCommon {
  type: 'box';
  halfExtents: readonly [number, number, number];
}

/** A solid cylinder attached to a body, its axis along the body's z axis. */
export interface CylinderShapeDesc extends ShapeCommon {
  type: 'cylinder';
  radius: number;
  /** Half the cylinder's length along its axis. */
  halfHeight: number;
}

/** A collider attached to a body. */
export type ShapeDesc = BoxShapeDesc | CylinderShapeDesc;

/** Half extents of a shape's bounding box in its body's frame, about the shape's centre. */
export function shapeHalfExtents(shape: ShapeDesc): readonly [number, number, number] {
  if (shape.type === 'cylinder') return [shape.radius, shape.radius, shape.halfHeight];
  return shape.halfExtents;
}

/** Volume of a shape (m³): a body's mass is spread over its shapes in proportion to it. */
export function shapeVolume(shape: ShapeDesc): number {
  if (shape.type === 'cylinder') return 2 * Math.PI * shape.radius * shape.radius * shape.halfHeight;
  return 8 * shape.halfExtents[0] * shape.halfExtents[1] * shape.halfExtents[2];
}

/** A rigid body. */
export interface BodyDesc {
  name: string;
  /** `fixed`: static; `kinematic`: moved by the controller; `dynamic`: simulated. */
  kind: 'fixed' | 'kinematic' | 'dynamic';
  position: readonly [number, number, number];
  /** Orientation as a quaternion [x, y, z, w]. */
  rotation: readonly [number, number, number, number];
  /** Total mass (kg) of a dynamic body, spread uniformly over its shapes' volume. */
  mass?: number;
  shapes: readonly ShapeDesc[];
}

/** A prismatic joint between two bodies with a position drive limited in force. */
export interface PrismaticJointDesc {
  name: string;
  body1: number;
  body2: number;
  /** Anchor on body1, in its frame. */
  anchor1: readonly [number, number, number];
  /** Anchor on body2, in its frame. */
  anchor2: readonly [number, number, number];
  /** Sliding axis in body1's frame (unit vector). */
  axis: readonly [number, number, number];
  /** Travel limits along the axis (m). */
  limits: readonly [number, number];
  drive: { stiffness: number; damping: number; maxForce: number };
}

/** Everything a backend needs to build one world. */
export interface SceneDesc {
  bodies: readonly BodyDesc[];
  joints: readonly PrismaticJointDesc[];
  /** Index of the kinematic body the end-effector controller moves. */
  controlledBody: number;
  /** Pairs of bodies whose "touching with a pushing contact" flag the task evaluates. */
  contactQueries: readonly (readonly [number, number])[];
}

/** Floats per body in a state row: position (3), quaternion (4), linear velocity (3), angular velocity (3). */
export const BODY_STATE_SIZE = 13;
