/**
 * @gripgen/shaders — the WGSL sources of gripgen (embedded as strings, usable in Node and in
 * bundles), how they are assembled into modules, and the struct layouts shared by WGSL and TS.
 *
 * ```ts
 * import { assembleShader, BoxInstance, structView } from '@gripgen/shaders';
 * const { code } = assembleShader('box-render'); // struct decls + quat + the shader
 * const rows = structView(BoxInstance, new ArrayBuffer(BoxInstance.byteSize(numBoxes)));
 * ```
 */
export { SHADERS, SHADER_NAMES, isShaderName, shaderSource, assembleShader, shaderCode } from './registry.js';
export type { ShaderName, AssembleOptions } from './registry.js';
export type { WgslSourceEntry } from './wgsl-source-entry.js';
export { composeWgsl } from './compose.js';
export type { AssembledShader, WgslSegment, WgslPiece } from './compose.js';
export { defineStruct } from './layout/struct-layout.js';
export type { FieldSpec, FieldLayout, StructLayout } from './layout/struct-layout.js';
export { wgslStruct } from './layout/wgsl-struct.js';
export { structView } from './layout/struct-view.js';
export type { StructView } from './layout/struct-view.js';
export { wgslTypeInfo } from './layout/wgsl-types.js';
export type { WgslScalar, WgslPlainType, WgslTypeInfo } from './layout/wgsl-types.js';
export { STRUCT_LAYOUTS, SimConfig, WorldState, CacheEntry, WorldOutput, MAX_WORLD_CONTACTS, PICK_PLACE_OBS_SIZE, OUTPUT_FLAGS, BoxInstance, RenderFrame, BOX_FLAGS, SceneConfig, SolverBody, SolverContact, SolverDrive, SolverWorld, SCENE_FLAGS } from './layouts/index.js';
