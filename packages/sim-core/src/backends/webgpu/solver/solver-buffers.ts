import { SceneConfig, structView } from '@gripgen/shaders';
import { FAULT_LIMITS } from '../../../sim/fault-limits.js';
import type { PhysicsSettings } from '../../rapier/physics-settings.js';
import { CONTACT_MODEL, physicsCoefficients } from '../physics-coefficients.js';
import type { SolverModel } from './solver-model.js';
import { MASS_SIZE, SHAPE_SIZE, type SolverWorldData } from './solver-data.js';

/**
 * The scene solver's buffers as its kernels bind them (scene-bindings.wgsl): binding types in
 * binding order (config, bodies, worldData, drives, worlds, coords, cache, contacts), the
 * uniforms, and a world's Data as `worldData` rows. Shared by the backend and the stage tests.
 */
export const SCENE_BINDING_TYPES: readonly GPUBufferBindingType[] = [
  'uniform', 'storage', 'read-only-storage', 'read-only-storage', 'storage', 'storage', 'storage', 'storage',
];

/** What the solver's uniforms are computed from. */
export interface SceneConfigInput {
  numWorlds: number;
  physics: PhysicsSettings;
  /** Contacts per world. */
  capacity: number;
  /** Sweeps per solve in a step where a free body touches a free body or a link. */
  movingPairPgsIterations: number;
}

/** The `SceneConfig` uniform block: sizes, solver settings, derived coefficients, fault limits. */
export function sceneConfigBytes(input: SceneConfigInput): ArrayBuffer {
  const { physics } = input;
  const k = physicsCoefficients(physics);
  const bytes = new ArrayBuffer(SceneConfig.size);
  const view = structView(SceneConfig, bytes);
  const values: Record<string, number> = {
    numWorlds: input.numWorlds,
    substeps: physics.substeps,
    iterations: physics.solverIterations,
    pgsIterations: physics.pgsIterations,
    movingPairPgsIterations: input.movingPairPgsIterations,
    capacity: input.capacity,
    dt: k.dt,
    h: k.h,
    erpInvDt: k.erpInvDt,
    cfmFactor: k.cfmFactor,
    allowedError: physics.allowedLinearError,
    predictionDistance: CONTACT_MODEL.predictionDistance,
    maxCorrectiveVelocity: CONTACT_MODEL.maxCorrectiveVelocity,
    warmStartRadius: CONTACT_MODEL.warmStartRadius,
    driveMaxImpulse: k.driveMaxImpulse,
    maxLinearSpeed: FAULT_LIMITS.maxLinearSpeed,
    maxAngularSpeed: FAULT_LIMITS.maxAngularSpeed,
    pushingImpulse: CONTACT_MODEL.pushingImpulse,
  };
  for (const [name, v] of Object.entries(values)) view.write(0, name as Parameters<typeof view.write>[1], v);
  return bytes;
}

/** Writes world Data `d` into `out` as the kernel's `worldData` rows (4 floats each, `dataStride(model)` rows). */
export function packWorldData(model: SolverModel, d: SolverWorldData, out: Float32Array): void {
  const nb = model.bodyNames.length;
  const ns = model.shapeBody.length;
  for (let i = 0; i < nb; i++) out.set(d.mass.subarray(i * MASS_SIZE, (i + 1) * MASS_SIZE), 4 * i);
  for (let s = 0; s < ns; s++) {
    const o = 4 * (nb + 2 * s);
    out.set(d.shape.subarray(s * SHAPE_SIZE, s * SHAPE_SIZE + 3), o);
    out[o + 3] = d.shape[s * SHAPE_SIZE + 6];
    out.set(d.shape.subarray(s * SHAPE_SIZE + 3, s * SHAPE_SIZE + 6), o + 4);
    out[o + 7] = 0;
  }
  out.set(d.linkRotation, 4 * (nb + 2 * ns));
}
