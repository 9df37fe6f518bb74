import { bodiesMayTouch, shapesCollide } from '../../../scene/contact-rules.js';
import type { PrismaticJointDesc, SceneDesc, ShapeDesc } from '../../../scene/scene-desc.js';
import type { Task } from '../../../tasks/task.js';

/**
 * What the GPU solver knows of a task's scene before any world exists: its topology (the
 * Model of MuJoCo Warp). Every world of a batch shares it — the same bodies, shapes, joints and
 * collision pairs — and differs only in its Data (poses, sizes, masses, frictions; see
 * `solver-data.ts`). Built once per batch from any world's `SceneDesc`; `checkTopology` refuses
 * a world whose scene does not fit.
 */

/** How the solver moves a body. */
export const BODY_ROLE = {
  /** Never moves (a `fixed` body). */
  static: 0,
  /** Follows the controller (the scene's controlled, `kinematic` body). */
  kinematic: 1,
  /** A `dynamic` body on a prismatic joint of the kinematic body: one coordinate, its travel. */
  link: 2,
  /** A `dynamic` body without a joint: six degrees of freedom. */
  free: 3,
} as const;

/** A body role (see `BODY_ROLE`). */
export type BodyRole = (typeof BODY_ROLE)[keyof typeof BODY_ROLE];

/** Shape types (see `ShapeDesc`). */
export const SHAPE_TYPE = { box: 0, cylinder: 1 } as const;

/** A prismatic joint of a link on the kinematic body, in the kinematic body's frame. */
export interface SolverJoint {
  /** The link's body index. */
  body: number;
  /** The kinematic body carrying it. */
  parent: number;
  anchor1: readonly [number, number, number];
  anchor2: readonly [number, number, number];
  axis: readonly [number, number, number];
  limits: readonly [number, number];
  stiffness: number;
  damping: number;
}

/** One collision pair: two shapes whose bodies may touch; `a` belongs to the later body (the normal points into it). */
export interface SolverPair {
  a: number;
  b: number;
}

/** The topology of a batch's worlds. */
export interface SolverModel {
  bodyNames: readonly string[];
  bodyRole: readonly BodyRole[];
  /** Per body: index of its joint (links), else −1. */
  bodyJoint: readonly number[];
  /** The kinematic body the controller moves. */
  controlledBody: number;
  joints: readonly SolverJoint[];
  /** Per shape: its body and type (`SHAPE_TYPE`). */
  shapeBody: readonly number[];
  shapeType: readonly number[];
  /** Per shape: whether its friction combines with `max` (else average). */
  shapeFrictionMax: readonly boolean[];
  /** First shape of each body; shapes are numbered body after body, in scene order. */
  bodyFirstShape: readonly number[];
  pairs: readonly SolverPair[];
  /** Body pairs of the scene's contact queries. */
  contactQueries: readonly (readonly [number, number])[];
}

/** Thrown when a scene cannot run on the GPU solver, or a world's scene does not fit the batch's model. */
export class SolverSceneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SolverSceneError';
  }
}

/** The role of each body of `scene` (throws when a joint is not one the solver supports). */
function bodyRoles(scene: SceneDesc): { role: BodyRole[]; joint: number[] } {
  const role: BodyRole[] = scene.bodies.map((b) =>
    b.kind === 'fixed' ? BODY_ROLE.static : b.kind === 'kinematic' ? BODY_ROLE.kinematic : BODY_ROLE.free,
  );
  const joint = scene.bodies.map(() => -1);
  scene.joints.forEach((j, k) => {
    if (j.body1 !== scene.controlledBody || scene.bodies[j.body2].kind !== 'dynamic') {
      throw new SolverSceneError(
        `joint "${j.name}": the GPU solver supports prismatic joints from the controlled body "${scene.bodies[scene.controlledBody].name}" to a dynamic body (got "${scene.bodies[j.body1].name}" → "${scene.bodies[j.body2].name}")`,
      );
    }
    if (joint[j.body2] >= 0) throw new SolverSceneError(`body "${scene.bodies[j.body2].name}" is the child of two joints; the GPU solver allows one`);
    role[j.body2] = BODY_ROLE.link;
    joint[j.body2] = k;
  });
  scene.bodies.forEach((b, i) => {
    if (b.kind === 'kinematic' && i !== scene.controlledBody) {
      throw new SolverSceneError(`body "${b.name}" is kinematic but not the controlled body; the GPU solver moves only the controlled body`);
    }
  });
  return { role, joint };
}

function solverJoint(j: PrismaticJointDesc): SolverJoint {
  return {
    body: j.body2,
    parent: j.body1,
    anchor1: j.anchor1,
    anchor2: j.anchor2,
    axis: j.axis,
    limits: j.limits,
    stiffness: j.drive.stiffness,
    damping: j.drive.damping,
  };
}

/** Builds the model of `scene` (any world of the batch). */
export function buildSolverModel(scene: SceneDesc): SolverModel {
  const { role, joint } = bodyRoles(scene);
  const shapes: { body: number; desc: ShapeDesc }[] = [];
  const bodyFirstShape: number[] = [];
  scene.bodies.forEach((b, i) => {
    bodyFirstShape.push(shapes.length);
    for (const desc of b.shapes) shapes.push({ body: i, desc });
  });
  const moves = (body: number) => role[body] === BODY_ROLE.link || role[body] === BODY_ROLE.free;
  // Contacts are solved in pair order. As in Rapier, contacts between two moving bodies come
  // first and contacts with a static or kinematic body last, so that within one sweep a push
  // from above (a cube dropped on a stack) reaches the ground contact that stops it.
  const twoBody: SolverPair[] = [];
  const oneBody: SolverPair[] = [];
  for (let a = 0; a < shapes.length; a++) {
    for (let b = 0; b < a; b++) {
      const ba = shapes[a].body;
      const bb = shapes[b].body;
      if (!moves(ba) && !moves(bb)) continue;
      if (!bodiesMayTouch(scene, ba, bb) || !shapesCollide(shapes[a].desc, shapes[b].desc)) continue;
      // Shapes are numbered in body order, so `a` belongs to the later body.
      (moves(ba) && moves(bb) ? twoBody : oneBody).push({ a, b });
    }
  }
  const pairs = [...twoBody, ...oneBody];
  return {
    bodyNames: scene.bodies.map((b) => b.name),
    bodyRole: role,
    bodyJoint: joint,
    controlledBody: scene.controlledBody,
    joints: scene.joints.map(solverJoint),
    shapeBody: shapes.map((s) => s.body),
    shapeType: shapes.map((s) => SHAPE_TYPE[s.desc.type]),
    shapeFrictionMax: shapes.map((s) => s.desc.frictionCombine === 'max'),
    bodyFirstShape,
    pairs,
    contactQueries: scene.contactQueries,
  };
}

/**
 * Throws a `SolverSceneError` naming the first difference when world `world`'s scene does not
 * have `model`'s topology (bodies, roles, shapes and their types, groups and friction rules,
 * joints, contact queries): every world of a batch must share one model.
 */
export function checkTopology(model: SolverModel, scene: SceneDesc, world: number): void {
  const fail = (what: string) => {
    throw new SolverSceneError(`world ${world}: its scene differs from the batch's model: ${what}`);
  };
  const other = buildSolverModel(scene);
  if (other.bodyNames.join() !== model.bodyNames.join()) fail(`bodies [${other.bodyNames.join(', ')}], model [${model.bodyNames.join(', ')}]`);
  if (other.bodyRole.join() !== model.bodyRole.join()) fail('body kinds or joints');
  if (other.shapeType.join() !== model.shapeType.join() || other.shapeBody.join() !== model.shapeBody.join()) fail('shapes');
  if (other.shapeFrictionMax.join() !== model.shapeFrictionMax.join()) fail('friction combine rules');
  if (other.pairs.map((p) => `${p.a}:${p.b}`).join() !== model.pairs.map((p) => `${p.a}:${p.b}`).join()) fail('collision groups');
  if (JSON.stringify(other.joints) !== JSON.stringify(model.joints)) fail('joints');
  if (JSON.stringify(other.contactQueries) !== JSON.stringify(model.contactQueries)) fail('contact queries');
}


/**
 * Whether the scene solver runs `task` (its scene has a model; `buildSolverModel` explains a
 * refusal with a `SolverSceneError`), judged on the scene of a parameter row of 0.05s.
 */
export function sceneSolverRuns(task: Pick<Task, 'paramNames' | 'buildScene'>): boolean {
  try {
    buildSolverModel(task.buildScene(new Float32Array(task.paramNames.length).fill(0.05), 0));
    return true;
  } catch (e) {
    if (e instanceof SolverSceneError) return false;
    throw e;
  }
}
