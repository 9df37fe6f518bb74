import type { ShaderName } from '@gripgen/shaders';
import type { SceneDesc } from '../scene/scene-desc.js';
import type { ObjectWorkspace } from '../sim/termination.js';
import type { GpuExpertProgram } from './gpu-expert.js';

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
 * A task (ManiSkill-style): everything gripgen knows about one manipulation task, in one object
 * exported by one folder — the scene built from per-world randomized parameters, the
 * randomization presets and their validation, success and named sub-signals, observations and a
 * dense reward (pure functions of the world's state, so every backend evaluates a world the same
 * way), and optionally a scripted expert, the spec MimicGen-style generation needs and a GPU
 * program. Register it with `registerTask` (built-in tasks are registered in `registry.ts`).
 */
export interface Task<Randomization = unknown> {
  id: string;
  /** One line saying what the task is. */
  description: string;
  /** The robot (agent) the scene is built around. */
  agent: 'parallel-gripper';
  /** Names of the randomized parameters (columns of the parameter table). */
  paramNames: readonly string[];
  /** Named randomization presets. */
  presets: Readonly<Record<string, Randomization>>;
  /** The preset worlds are evaluated on (and an override object starts from), e.g. `wide`. */
  defaultPreset: string;
  /** The preset source demos are recorded on (MimicGen's D0), e.g. `narrow`. */
  demoPreset: string;
  /** Resolves and validates a user randomization (preset name or overrides). Throws naming the bad field. */
  resolveRandomization(input: unknown): Randomization;
  /** Draws world `world`'s parameters of episode `episode` into `out` at `offset`. */
  drawParams(randomization: Randomization, seed: number, episode: number, world: number, out: Float32Array, offset: number): void;
  /** Builds one world's scene from its parameters. */
  buildScene(params: ArrayLike<number>, offset: number): SceneDesc;
  /** Number of bodies in the scene. */
  numBodies: number;
  /** The controlled body's initial pose [x, y, z, qx, qy, qz, qw] from the parameters. */
  initialControllerPose(params: ArrayLike<number>, offset: number, out: Float64Array, outOffset: number): void;
  /** Names of the sub-signals; `success` is always entry 0. */
  signalNames: readonly string[];
  /** Evaluates success and sub-signals. Returns the success flag. */
  evaluate(view: WorldView, out: EvaluationOut): boolean;
  /**
   * Names of the observation entries. Conventions the viewer and generation rely on: the
   * end effector is `ee_pos_{x,y,z}`, `ee_quat_{x,y,z,w}`, `gripper_opening`; an object `o`
   * is `o_pos_{x,y,z}` and, if it can turn, `o_quat_{x,y,z,w}`.
   */
  obsNames: readonly string[];
  /** Writes the observation vector. */
  observe(view: WorldView, out: Float32Array, offset: number): void;
  /** Dense reward of the current state (uses the signals just evaluated). */
  reward(view: WorldView, signals: Uint8Array, signalsOffset: number): number;
  /**
   * Where the task's objects must stay: every object `o` with `o_pos_{x,y,z}` observations
   * (the end effector `ee` excepted). On every backend, a world with an object's centre outside
   * this box ends its episode as a failure (`terminated`, with reason `objectBelowTable` or
   * `objectOutsideWorkspace`). Absent: objects are not checked.
   */
  objectWorkspace?: ObjectWorkspace;
  /** A scripted expert for `numWorlds` worlds whose style varies with (seed, episode, world). */
  expert?: (numWorlds: number, seed: number) => ScriptedExpert;
  /** What MimicGen-style generation needs: the object-centric subtasks. */
  datagen?: DatagenSpec;
  /** The task's WGSL program, where the webgpu backend can run it. */
  gpu?: GpuTaskProgram;
  /** Its scripted expert in WGSL, for loops that keep the expert beside `gpu` on the GPU. */
  gpuExpert?: GpuExpertProgram;
}

/** A scripted expert: writes every world's action from the current observations. */
export interface ScriptedExpert {
  /**
   * Writes every world's action into `out` (ACTION_SIZE floats per world) from the
   * observations, the worlds' parameters (privileged information) and episode indices; a
   * world whose step count is 0 starts over. Returns `out`.
   */
  act(obs: Float32Array, obsSize: number, params: Float32Array, episode: Uint32Array, stepCount: Uint32Array, out: Float32Array): Float32Array;
  /** Name of world `w`'s current phase. */
  phaseOf(w: number): string;
}

/** One object-centric subtask (MimicGen's `subtask_term_signal` / `object_ref`). */
export interface SubtaskSpec {
  name: string;
  /** Object whose frame the subtask's poses are relative to (MimicGen's `object_ref`). */
  object: string;
  /** Sub-signal whose first 0→1 edge ends the subtask; null for the last subtask. */
  endSignal: string | null;
  /**
   * Where on the reference object the subtask's frame sits, in half extents along the object's
   * own axes (`[0, 0, 1]`: the centre of its top face, `[0, 0, -1]`: of its bottom face);
   * default its centre. Only generation with `sizeAwareFrames` uses it: MimicGen's frame is the
   * object's centre, the same point whatever the object's size, so a place motion recorded on a
   * 5 cm cube releases 1 cm too high above a 3 cm one; relative to the top face it does not.
   * Needs `DatagenSpec.halfExtents`.
   */
  anchor?: readonly [number, number, number];
  /**
   * The task's default for generation's `subtaskTermOffsetRange` of this subtask: the range of
   * steps drawn per attempt and added to its end (MimicGen sets it per task config; its robosuite
   * tasks use [10, 20] for human demos). A config that sets the knob overrides it.
   */
  termOffsetRange?: readonly [number, number];
}

/** What generation needs to know about a task (MimicGen's task spec). */
export interface DatagenSpec {
  /** Subtasks in order; the last one runs to the end of the demo. */
  subtasks: readonly SubtaskSpec[];
  /**
   * Objects with poses in the observation (see `Task.obsNames`); an object without
   * `o_quat_*` entries has the identity orientation.
   */
  objects: readonly string[];
  /**
   * Half extents (m) along its own axes of object `name` in the world whose parameter row
   * starts at `params[offset]` (see `Task.paramNames`). Required when a subtask has an `anchor`.
   */
  halfExtents?(name: string, params: ArrayLike<number>, offset: number): [number, number, number];
}

/** The webgpu backend's program for a task: the WGSL shader and its generated constants. */
export interface GpuTaskProgram {
  /** Name of the assembled shader module (see @gripgen/shaders). */
  shader: ShaderName;
  /** WGSL `const` declarations appended to the module (the TS constants it uses). */
  wgslConstants(): string;
}
