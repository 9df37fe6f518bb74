import type { SceneDesc } from '../scene/scene-desc.js';

/**
 * Everything a backend reads to evaluate and observe one world after a control step.
 * Arrays are world-major rows; `offset`s point at this world's row.
 */
export interface WorldView {
  /** Body states, BODY_STATE_SIZE floats per body, in scene order. */
  bodies: ArrayLike<number>;
  bodiesOffset: number;
  /** One flag per scene contact query (1 = touching with a pushing contact). */
  contacts: ArrayLike<number>;
  contactsOffset: number;
  /** The world's randomized parameters. */
  params: ArrayLike<number>;
  paramsOffset: number;
  /** Controller state: target position (3), quaternion (4), gripper command (1). */
  controller: ArrayLike<number>;
  controllerOffset: number;
  /** Finger travel per gripper joint (m). */
  jointTravel: ArrayLike<number>;
}

/** Where a task writes one world's evaluation. */
export interface EvaluationOut {
  /** One flag per entry of `signalNames`, at `signalsOffset`. */
  signals: Uint8Array;
  signalsOffset: number;
}

/**
 * A registered task (ManiSkill-style): a scene built from per-world randomized parameters,
 * success and named sub-signals, observations and a dense reward. Pure functions of the
 * world's state, so every backend evaluates a world the same way.
 */
export interface Task<Randomization = unknown> {
  id: string;
  /** Names of the randomized parameters (columns of the parameter table). */
  paramNames: readonly string[];
  /** Named randomization presets. */
  presets: Readonly<Record<string, Randomization>>;
  /** Resolves and validates a user randomization (preset name or overrides). Throws naming the bad field. */
  resolveRandomization(input: unknown): Randomization;
  /** Draws world `world`'s parameters of episode `episode` into `out` at `offset`. */
  drawParams(randomization: Randomization, seed: number, episode: number, world: number, out: Float32Array, offset: number): void;
  /** Builds one world's scene from its parameters. */
  buildScene(params: ArrayLike<number>, offset: number): SceneDesc;
  /** Number of bodies in the scene. */
  numBodies: number;
  /** Index of the body the controller moves, and its initial pose [x, y, z, qx, qy, qz, qw] from the parameters. */
  initialControllerPose(params: ArrayLike<number>, offset: number, out: Float64Array, outOffset: number): void;
  /** Names of the sub-signals; `success` is always entry 0. */
  signalNames: readonly string[];
  /** Evaluates success and sub-signals. Returns the success flag. */
  evaluate(view: WorldView, out: EvaluationOut): boolean;
  /** Names of the observation entries. */
  obsNames: readonly string[];
  /** Writes the observation vector. */
  observe(view: WorldView, out: Float32Array, offset: number): void;
  /** Dense reward of the current state (uses the signals just evaluated). */
  reward(view: WorldView, signals: Uint8Array, signalsOffset: number): number;
}
