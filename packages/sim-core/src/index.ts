/**
 * @gripgen/sim-core — the pick-and-place world, its randomization and controller, the
 * `Sim` API, and the Rapier, WebGPU and MuJoCo backends.
 */
export { createSim, Sim } from './sim/sim.js';
export type { SimSpec, StepResult, StepOptions, SimState, ResetOptions, Perturbation } from './sim/sim.js';
export type { SimGpuAccess, SimOutputLayout } from './sim/gpu-access.js';
export { contactForceBetween, gripForce, pickPlaceGripForce } from './sim/contacts.js';
export type { ContactPoint } from './sim/contacts.js';
export { simConfigSchema, parseSimConfig } from './config/sim-config.js';
export type { SimConfig, SimConfigInput } from './config/sim-config.js';
export { ACTION_SIZE, ACTION_NAMES, CONTROL_LIMITS, applyAction } from './controller/ee-controller.js';
export type { ActionMode } from './controller/ee-controller.js';
export { DEFAULT_PHYSICS } from './backends/rapier/physics-settings.js';
export type { PhysicsSettings } from './backends/rapier/physics-settings.js';
export { FAULT_LIMITS } from './sim/fault-limits.js';
export type { RapierWorldState } from './backends/rapier/shard.js';
export { DEFAULT_MUJOCO, mujocoSubsteps } from './backends/mujoco/mujoco-settings.js';
export type { MujocoSettings } from './backends/mujoco/mujoco-settings.js';
export type { MujocoWorldState } from './backends/mujoco/shard.js';
export { sceneToMjcf } from './backends/mujoco/scene-mjcf.js';
export type { SceneMjcf, MjcfNames, MjcfOptions } from './backends/mujoco/scene-mjcf.js';
export type { BackendKind } from './sim/sim-backend.js';
export { SolverSceneError, sceneSolverRuns } from './backends/webgpu/solver/solver-model.js';
export { shapesCollide, bodiesMayTouch, combinedFriction } from './scene/contact-rules.js';
export { getTask, taskIds, registerTask, DEFAULT_TASK_ID } from './tasks/registry.js';
export type { Task, WorldView, EvaluationOut, ScriptedExpert, DatagenSpec, SubtaskSpec, GpuTaskProgram } from './tasks/task.js';
export { obsPoseSlot, readObsPose } from './tasks/obs-poses.js';
export type { ObsPoseSlot } from './tasks/obs-poses.js';
export { randomizationSpace } from './random/randomization-space.js';
export type { ParamBounds, RandomizationSpace, RandomizationSpaceSpec } from './random/randomization-space.js';
export { around, fixed, drawRandomization, parameterSpan } from './random/randomization.js';
export type { Grade, Randomization, Range, Ranges } from './random/randomization.js';
export { parallelGripperParts, PARALLEL_GRIPPER } from './agents/parallel-gripper/index.js';
export { hashKey, mix32, uniform01, uniformRange } from './random/hash-prng.js';
export { BODY_STATE_SIZE, shapeHalfExtents, shapeVolume } from './scene/scene-desc.js';
export { sceneGripper } from './scene/scene-gripper.js';
export type { SceneGripper } from './scene/scene-gripper.js';
export type { SceneDesc, BodyDesc, BoxShapeDesc, CylinderShapeDesc, ShapeDesc, PrismaticJointDesc, FrictionCombine } from './scene/scene-desc.js';
export { PICK_PLACE_GEOMETRY, WORKSPACE } from './tasks/pick-place/geometry.js';
export { PICK_PLACE_PARAM_NAMES, PICK_PLACE_PRESETS, NARROW, WIDE, WIDEST, TIGHT, GRADED, MIXED } from './tasks/pick-place/params.js';
export type { PickPlaceParamName, PickPlaceRandomization, PickPlaceRanges } from './tasks/pick-place/params.js';
export { PICK_PLACE_SIGNALS, SIGNAL, SUCCESS_THRESHOLDS } from './tasks/pick-place/evaluate.js';
export { PICK_PLACE_OBS_NAMES } from './tasks/pick-place/observe.js';
export { BODY } from './tasks/pick-place/scene.js';
export { PickPlaceExpert, EXPERT_PHASES, EXPERT_STYLE_RANGES } from './tasks/pick-place/expert.js';
export type { PickPlaceExpertOptions } from './tasks/pick-place/expert.js';
export * from './math/quat.js';
export * from './gpu/index.js';
