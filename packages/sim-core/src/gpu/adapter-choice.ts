import { GpuUnavailableError } from './errors.js';

/**
 * Which adapter to use: `auto` prefers a hardware adapter and falls back to SwiftShader;
 * `gpu` requires hardware; `swiftshader` forces the software adapter.
 */
export type AdapterChoice = 'auto' | 'gpu' | 'swiftshader';

/** Environment variable that forces an {@link AdapterChoice} (Node only). */
export const ADAPTER_ENV = 'GRIPGEN_ADAPTER';

/** The choice from an explicit option, else `$GRIPGEN_ADAPTER`, else `auto`; rejects unknown values. */
export function resolveAdapterChoice(option: AdapterChoice | undefined, envValue: string | undefined): AdapterChoice {
  const value = option ?? (envValue?.trim() || undefined) ?? 'auto';
  if (value === 'auto' || value === 'gpu' || value === 'swiftshader') return value;
  throw new GpuUnavailableError(`${option ? 'adapter option' : ADAPTER_ENV} must be auto, gpu or swiftshader (got "${value}")`);
}

/**
 * Environment variable that silences the one-line adapter notices (the software fallback) of
 * {@link acquireGpu}'s default notice handler in Node: `off` silences them, anything else (or
 * unset) prints them on stderr. The `gripgen` CLI sets it to `off` unless `--verbose` is given
 * (its reports name the adapter).
 */
export const GPU_NOTICES_ENV = 'GRIPGEN_GPU_NOTICES';
