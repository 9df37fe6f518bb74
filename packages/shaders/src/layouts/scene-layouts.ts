import { defineStruct } from '../layout/struct-layout.js';

/**
 * Buffer rows of the scene solver (`scene-step.wgsl`): the GPU solver that steps any task's
 * scene from its Model (topology, generated as WGSL constants) and per-world Data. The TS
 * specification is sim-core's `SolverSpecWorld`.
 */

/** Uniforms of the scene solver: sizes, control and solver settings, derived coefficients, fault limits. */
export const SceneConfig = defineStruct('SceneConfig', [
  ['numWorlds', 'u32'],
  ['substeps', 'u32'],
  ['iterations', 'u32'],
  ['pgsIterations', 'u32'],
  ['movingPairPgsIterations', 'u32'],
  ['capacity', 'u32'],
  ['dt', 'f32'],
  ['h', 'f32'],
  ['erpInvDt', 'f32'],
  ['cfmFactor', 'f32'],
  ['allowedError', 'f32'],
  ['predictionDistance', 'f32'],
  ['maxCorrectiveVelocity', 'f32'],
  ['warmStartRadius', 'f32'],
  ['driveMaxImpulse', 'f32'],
  ['maxLinearSpeed', 'f32'],
  ['maxAngularSpeed', 'f32'],
  ['pushingImpulse', 'f32'],
]);

/** One body of one world: position, orientation [x, y, z, w], linear and angular velocity. */
export const SolverBody = defineStruct('SolverBody', [
  ['x', 'vec3f'],
  ['q', 'vec4f'],
  ['v', 'vec3f'],
  ['w', 'vec3f'],
]);

/**
 * One world's controller input, written by the host before each step: the controlled body's
 * pose at the start and at the end of the control step, and the commanded joint travel.
 */
export const SolverDrive = defineStruct('SolverDrive', [
  ['fromPos', 'vec3f'],
  ['commanded', 'f32'],
  ['fromQuat', 'vec4f'],
  ['toPos', 'vec3f'],
  ['toQuat', 'vec4f'],
]);

/**
 * One world's solver bookkeeping, kept by the kernel: the joint drives' target, the number of
 * contacts of the last physics step (its warm-start cache rows) and the flags (`SCENE_FLAGS`).
 */
export const SolverWorld = defineStruct('SolverWorld', [
  ['driveTarget', 'f32'],
  ['contactCount', 'u32'],
  ['flags', 'u32'],
]);

/** Bits of `SolverWorld.flags`: the world blew up (it is not stepped until reset); contacts overflowed the capacity in the last step. */
export const SCENE_FLAGS = { fault: 1, overflow: 2 } as const;

/**
 * One contact of a world's last physics step (the solver's scratch, kept for readback): side A
 * is the later body of the pair. After the step, `p` and `d0` hold the point carried with side A
 * and the separation at the end of the step; `lN` the last small step's normal impulse.
 */
export const SolverContact = defineStruct('SolverContact', [
  ['n', 'vec3f'],
  ['d0', 'f32'],
  ['t1', 'vec3f'],
  ['mu', 'f32'],
  ['t2', 'vec3f'],
  ['kN', 'f32'],
  ['rA', 'vec3f'],
  ['kT1', 'f32'],
  ['rB', 'vec3f'],
  ['kT2', 'f32'],
  ['localA', 'vec3f'],
  ['kT12', 'f32'],
  ['localB', 'vec3f'],
  ['lN', 'f32'],
  ['anchor', 'vec3f'],
  ['lT1', 'f32'],
  ['p', 'vec3f'],
  ['lT2', 'f32'],
  ['pair', 'u32'],
  ['a', 'u32'],
  ['b', 'u32'],
  ['locked', 'u32'],
]);
