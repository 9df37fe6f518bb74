/** WebGPU plumbing shared by GPU backends: device acquisition, shader compilation, buffers. */
export { acquireGpu } from './acquire-gpu.js';
export type { AcquireGpuOptions, GpuContext } from './acquire-gpu.js';
export { ADAPTER_ENV, GPU_NOTICES_ENV, resolveAdapterChoice } from './adapter-choice.js';
export type { AdapterChoice } from './adapter-choice.js';
export { describeAdapter, formatAdapter } from './adapter-info.js';
export type { GpuAdapterDescription } from './adapter-info.js';
export { GpuUnavailableError, GpuDeviceError, ShaderCompileError } from './errors.js';
export { compileShader, createComputePipeline } from './compile-shader.js';
export type { ShaderInput } from './compile-shader.js';
export { readBuffer, createBufferWithData } from './buffers.js';
export { GpuWait } from './gpu-wait.js';
export { findSwiftShaderIcd, SWIFTSHADER_ICD_PATHS, SWIFTSHADER_ICD_ENV } from './swiftshader-icd.js';
export { bindBuffers, createStorageBuffer, createStorageBufferWithData, createUniformBuffer } from './storage-buffers.js';
export { dispatchLinear, INVOCATION_WGSL } from './linear-dispatch.js';
