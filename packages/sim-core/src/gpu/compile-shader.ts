import { ShaderCompileError } from './errors.js';

/** WGSL to compile: a name (used as label and in errors), the code, and optionally a line map. */
export interface ShaderInput {
  readonly name: string;
  readonly code: string;
  /** Maps a line of `code` to its file and line (as `AssembledShader.locate` from @gripgen/shaders does). */
  locate?(line: number): { origin: string; line: number } | undefined;
}

function formatMessage(shader: ShaderInput, m: GPUCompilationMessage): string {
  const where = shader.locate?.(m.lineNum);
  const place = where ? `${where.origin}:${where.line}:${m.linePos}` : `${shader.name}:${m.lineNum}:${m.linePos}`;
  const src = shader.code.split('\n')[m.lineNum - 1];
  return `  ${place} ${m.type}: ${m.message}` + (src !== undefined && m.lineNum > 0 ? `\n      ${src.trim()}` : '');
}

/**
 * Creates a shader module and waits for its compilation messages. Throws
 * {@link ShaderCompileError} if any message has error severity (listing each with the shader
 * name, file and line); warnings go to `onWarning` if given. Pass an `AssembledShader` from
 * @gripgen/shaders directly to get file-relative line numbers.
 */
export async function compileShader(
  device: GPUDevice,
  shader: ShaderInput,
  onWarning?: (message: string) => void,
): Promise<GPUShaderModule> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label: shader.name, code: shader.code });
  const info = await module.getCompilationInfo();
  const scopeError = await device.popErrorScope();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length > 0) {
    throw new ShaderCompileError(
      `shader "${shader.name}" failed to compile:\n${errors.map((m) => formatMessage(shader, m)).join('\n')}`,
      shader.name,
    );
  }
  if (scopeError) throw new ShaderCompileError(`shader "${shader.name}": ${scopeError.message}`, shader.name);
  const warnings = info.messages.filter((m) => m.type === 'warning');
  if (onWarning) for (const m of warnings) onWarning(`shader "${shader.name}":\n${formatMessage(shader, m)}`);
  return module;
}

/**
 * Compiles `shader` and creates a compute pipeline for `entryPoint` (layout `auto` unless
 * given), throwing {@link ShaderCompileError} on a compile or pipeline-creation error.
 */
export async function createComputePipeline(
  device: GPUDevice,
  shader: ShaderInput,
  entryPoint: string,
  layout: GPUPipelineLayout | 'auto' = 'auto',
): Promise<GPUComputePipeline> {
  const module = await compileShader(device, shader);
  try {
    return await device.createComputePipelineAsync({ label: `${shader.name}:${entryPoint}`, layout, compute: { module, entryPoint } });
  } catch (e) {
    throw new ShaderCompileError(`shader "${shader.name}", entry point ${entryPoint}: ${(e as Error).message}`, shader.name);
  }
}
