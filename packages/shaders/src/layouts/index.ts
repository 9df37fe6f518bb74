import type { StructLayout } from '../layout/struct-layout.js';
import { BoxInstance, RenderFrame } from './render-layouts.js';
import { CacheEntry, SimConfig, WorldOutput, WorldState } from './sim-layouts.js';
import { SceneConfig, SolverBody, SolverContact, SolverDrive, SolverWorld } from './scene-layouts.js';

export { CacheEntry, SimConfig, WorldOutput, WorldState, MAX_WORLD_CONTACTS, PICK_PLACE_OBS_SIZE, OUTPUT_FLAGS } from './sim-layouts.js';
export { BoxInstance, RenderFrame, BOX_FLAGS } from './render-layouts.js';
export { SceneConfig, SolverBody, SolverContact, SolverDrive, SolverWorld, SCENE_FLAGS } from './scene-layouts.js';

/**
 * Every struct layout that shaders in this package may name with `// #struct Name`,
 * by struct name. Add new layouts here (one file per layout in this folder).
 */
export const STRUCT_LAYOUTS: Readonly<Record<string, StructLayout>> = {
  [SimConfig.name]: SimConfig,
  [WorldState.name]: WorldState,
  [CacheEntry.name]: CacheEntry,
  [WorldOutput.name]: WorldOutput,
  [RenderFrame.name]: RenderFrame,
  [BoxInstance.name]: BoxInstance,
  [SceneConfig.name]: SceneConfig,
  [SolverBody.name]: SolverBody,
  [SolverDrive.name]: SolverDrive,
  [SolverWorld.name]: SolverWorld,
  [SolverContact.name]: SolverContact,
};
