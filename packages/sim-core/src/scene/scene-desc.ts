/**
 * Backend-neutral scene description: what a task builds for one world from its randomized
 * parameters, and what every backend turns into its own physics objects. Boxes only — the
 * shape every pick-and-place body here needs, and the one the WGSL solver supports.
 */

/** How the friction coefficients of two touching shapes combine (Rapier's rules; `max` wins over `average`). */
export type FrictionCombine = 'average' | 'max';

/** A box collider attached to a body. */
export interface BoxShapeDesc {
  halfExtents: readonly [number, number, number];
  /** Centre of the box in the body frame. */
  offset: readonly [number, number, number];
  friction: number;
  frictionCombine: FrictionCombine;
  /** Collision group bit of this shape (see `collidesWith`). */
  group: number;
  /** Bit mask of the groups this shape collides with. */
  collidesWith: number;
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
  shapes: readonly BoxShapeDesc[];
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
