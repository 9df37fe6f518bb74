import { defineStruct } from '../layout/struct-layout.js';

/**
 * Uniforms of the simulation kernels (`sim-step`): sizes, the control and solver settings,
 * and the solver coefficients the host derives from them (see `physicsCoefficients` in
 * sim-core). `opaqueZero` must be 0 (see `noContract` in hash-prng.wgsl).
 */
export const SimConfig = defineStruct('SimConfig', [
  ['numWorlds', 'u32'],
  ['seed', 'u32'],
  ['opaqueZero', 'u32'],
  ['absoluteActions', 'u32'],
  ['maxEpisodeSteps', 'u32'],
  ['substeps', 'u32'],
  ['iterations', 'u32'],
  ['numParams', 'u32'],
  ['dt', 'f32'],
  ['h', 'f32'],
  ['erpInvDt', 'f32'],
  ['cfmFactor', 'f32'],
  ['allowedError', 'f32'],
  ['predictionDistance', 'f32'],
  ['maxCorrectiveVelocity', 'f32'],
  ['warmStartRadius', 'f32'],
  ['driveErpInvDt', 'f32'],
  ['driveCfm', 'f32'],
  ['driveMaxImpulse', 'f32'],
  ['pushingImpulse', 'f32'],
]);

/**
 * The dynamic state of one pick-place world on the GPU (one row per world): the cube, the
 * kinematic hand, the fingers' travel, the gripper drive, the controller target, and
 * per-world constants derived from the randomized parameters.
 */
export const WorldState = defineStruct('WorldState', [
  ['cubePos', 'vec3f'],
  ['cubeHalf', 'f32'],
  ['cubeQuat', 'vec4f'],
  ['cubeVel', 'vec3f'],
  ['cubeMass', 'f32'],
  ['cubeAngVel', 'vec3f'],
  ['cubeInvInertia', 'f32'],
  ['handPos', 'vec3f'],
  ['cubeFriction', 'f32'],
  ['handQuat', 'vec4f'],
  ['handVel', 'vec3f'],
  ['commandedTravel', 'f32'],
  ['handAngVel', 'vec3f'],
  ['driveTarget', 'f32'],
  ['targetPos', 'vec3f'],
  ['gripperCommand', 'f32'],
  ['targetQuat', 'vec4f'],
  ['travel', 'vec2f'],
  ['travelSpeed', 'vec2f'],
  ['queryImpulse', 'vec2f'],
  ['binPos', 'vec2f'],
  ['cacheCount', 'u32'],
  ['overflow', 'u32'],
]);

/** Contact slots per world (warm-start cache and solver), as in the TS reference. */
export const MAX_WORLD_CONTACTS = 32;

/** One warm-start cache entry: the contact point in the primary body's frame, its pair, its impulses. */
export const CacheEntry = defineStruct('CacheEntry', [
  ['local', 'vec3f'],
  ['pair', 'u32'],
  ['impulse', 'vec3f'],
]);

/** Floats in a pick-place observation. */
export const PICK_PLACE_OBS_SIZE = 21;

/**
 * What the host reads back after every reset and step, one row per world: the
 * observation, the reward, flags (bit 0 success, 1 terminated, 2 truncated, 3 fault,
 * 4 + k sub-signal k, 12 contact overflow, 13 action rejected: the step's action had a
 * non-finite entry and was dropped), the episode index, the step count and the world key
 * (the `world` of the randomization's PRNG key).
 */
export const WorldOutput = defineStruct('WorldOutput', [
  ['obs', 'f32', PICK_PLACE_OBS_SIZE],
  ['reward', 'f32'],
  ['flags', 'u32'],
  ['episode', 'u32'],
  ['stepCount', 'u32'],
  ['worldKey', 'u32'],
]);

/** Bits of `WorldOutput.flags`. */
export const OUTPUT_FLAGS = { success: 0, terminated: 1, truncated: 2, fault: 3, firstSignal: 4, overflow: 12, actionRejected: 13 } as const;
