import { PARALLEL_GRIPPER } from '../../../agents/parallel-gripper/geometry.js';
import { SHAPE_TYPE, type SolverModel } from './solver-model.js';

/** Rows of `worldData` (vec4f) per world: per body 1, per shape 2, per joint 1. */
export function dataStride(model: SolverModel): number {
  return model.bodyNames.length + 2 * model.shapeBody.length + model.joints.length;
}

/** Floats of `coords` per world: per joint (travel, rate), per contact query 1 (at least 1). */
export function coordStride(model: SolverModel): number {
  return Math.max(1, 2 * model.joints.length + model.contactQueries.length);
}

/** A WGSL f32 literal that is exactly the f32 nearest to v. */
function f32(v: number): string {
  const s = String(Math.fround(v));
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** `const NAME = array<type, n>(…)`, padded to one entry when empty (WGSL has no empty arrays). */
function constArray(name: string, type: string, values: readonly string[], pad: string): string {
  const list = values.length > 0 ? values : [pad];
  return `var<private> ${name}: array<${type}, ${list.length}> = array<${type}, ${list.length}>(${list.join(', ')});`;
}

const vec3 = (v: readonly number[]) => `vec3f(${v.map(f32).join(', ')})`;

/**
 * The topology of `model` as WGSL `const` declarations (the scene solver's Model), and the
 * contact capacity per world (the size of the kernel's private contact array): sizes, body
 * roles and joints, shapes, collision pairs, joint geometry and drives, contact queries. Appended
 * to the assembled `scene-step` module; one module per task, no kernel names a body.
 */
export function solverModelWgsl(model: SolverModel, capacity: number): string {
  const u = (v: number) => `${v}u`;
  const nj = model.joints.length;
  const lines = [
    '// ---- generated from the task\'s scene (solver-model-wgsl.ts) ----',
    `const NUM_BODIES: u32 = ${model.bodyNames.length}u;`,
    `const NUM_SHAPES: u32 = ${model.shapeBody.length}u;`,
    `const NUM_PAIRS: u32 = ${model.pairs.length}u;`,
    `const NUM_JOINTS: u32 = ${nj}u;`,
    `const JOINT_SLOTS: u32 = ${Math.max(1, nj)}u;`,
    `const NUM_QUERIES: u32 = ${model.contactQueries.length}u;`,
    `const CONTROLLED_BODY: u32 = ${model.controlledBody}u;`,
    `const CAPACITY: u32 = ${capacity}u;`,
    `const DATA_STRIDE: u32 = ${dataStride(model)}u;`,
    `const COORD_STRIDE: u32 = ${coordStride(model)}u;`,
    // The agent's servo reach (agents/parallel-gripper/drive.ts: maxForce / stiffness).
    `const SERVO_REACH: f32 = ${f32(PARALLEL_GRIPPER.fingerMaxForce / PARALLEL_GRIPPER.fingerDriveStiffness)};`,
    constArray('BODY_ROLE', 'u32', model.bodyRole.map(u), '0u'),
    constArray('BODY_JOINT', 'i32', model.bodyJoint.map((j) => `${j}i`), '-1i'),
    constArray('SHAPE_BODY', 'u32', model.shapeBody.map(u), '0u'),
    constArray('SHAPE_TYPE', 'u32', model.shapeType.map(u), '0u'),
    `const SHAPE_CYLINDER: u32 = ${SHAPE_TYPE.cylinder}u;`,
    `const HAS_CYLINDERS: bool = ${model.shapeType.includes(SHAPE_TYPE.cylinder)};`,
    constArray('SHAPE_FRICTION_MAX', 'u32', model.shapeFrictionMax.map((m) => (m ? '1u' : '0u')), '0u'),
    constArray('PAIR_A', 'u32', model.pairs.map((p) => u(p.a)), '0u'),
    constArray('PAIR_B', 'u32', model.pairs.map((p) => u(p.b)), '0u'),
    constArray('JOINT_BODY', 'u32', model.joints.map((j) => u(j.body)), '0u'),
    constArray('JOINT_ANCHOR1', 'vec3f', model.joints.map((j) => vec3(j.anchor1)), 'vec3f(0.0)'),
    constArray('JOINT_ANCHOR2', 'vec3f', model.joints.map((j) => vec3(j.anchor2)), 'vec3f(0.0)'),
    constArray('JOINT_AXIS', 'vec3f', model.joints.map((j) => vec3(j.axis)), 'vec3f(0.0)'),
    constArray('JOINT_LIMITS', 'vec2f', model.joints.map((j) => `vec2f(${f32(j.limits[0])}, ${f32(j.limits[1])})`), 'vec2f(0.0)'),
    constArray('JOINT_STIFFNESS', 'f32', model.joints.map((j) => f32(j.stiffness)), '0.0'),
    constArray('JOINT_DAMPING', 'f32', model.joints.map((j) => f32(j.damping)), '0.0'),
    constArray('QUERY_A', 'u32', model.contactQueries.map((q) => u(q[0])), '0u'),
    constArray('QUERY_B', 'u32', model.contactQueries.map((q) => u(q[1])), '0u'),
  ];
  return lines.join('\n') + '\n';
}
