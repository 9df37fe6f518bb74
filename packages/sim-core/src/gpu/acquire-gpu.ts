import { describeAdapter, type GpuAdapterDescription } from './adapter-info.js';
import { ADAPTER_ENV, GPU_NOTICES_ENV, resolveAdapterChoice, type AdapterChoice } from './adapter-choice.js';
import { requestBrowserAdapter } from './browser-adapter.js';
import { DeviceErrorLog } from './device-errors.js';
import { GpuDeviceError, GpuUnavailableError } from './errors.js';

/** Options of {@link acquireGpu}. */
export interface AcquireGpuOptions {
  /** Which adapter; default `$GRIPGEN_ADAPTER` in Node, else `auto` (hardware, else SwiftShader). */
  adapter?: AdapterChoice;
  /** Receives one-line notices (the software fallback). Default: stderr in Node (none when `$GRIPGEN_GPU_NOTICES` is `off`), `console.warn` in browsers. */
  onNotice?: (line: string) => void;
  /** Called as soon as an uncaptured device error or device loss is recorded (they are also thrown by `check()`). */
  onError?: (error: GpuDeviceError) => void;
  /** Limits to request; `'adapter'` requests every limit at the adapter's maximum. Default: WebGPU defaults. */
  requiredLimits?: Record<string, number> | 'adapter';
  /** Features to request (each must be supported by the adapter). */
  requiredFeatures?: GPUFeatureName[];
  /** Features to request where the adapter has them (`device.features` says which were granted). */
  optionalFeatures?: GPUFeatureName[];
  /** Node only: options for Dawn's `create()`, e.g. `['backend=vulkan']`. */
  dawnOptions?: string[];
  /** Label of the device (appears in Dawn's error messages). */
  label?: string;
}

/**
 * An acquired WebGPU device. Errors the device reports asynchronously are recorded; call
 * {@link GpuContext.check} (e.g. at the start and end of every `step()`) to turn them into
 * exceptions. Call {@link GpuContext.release} when done: in Node the process cannot exit
 * while a Dawn device is alive.
 */
export interface GpuContext {
  readonly device: GPUDevice;
  readonly adapter: GPUAdapter;
  readonly adapterInfo: GpuAdapterDescription;
  /** Whether the device was lost (not counting {@link release}). */
  readonly lost: boolean;
  /** Uncaptured errors recorded since the last {@link check}. */
  readonly errors: readonly GpuDeviceError[];
  /** Throws {@link GpuDeviceError} if the device was lost or reported an uncaptured error since the last call. */
  check(): void;
  /** Destroys the device. Idempotent. */
  release(): void;
}

const isNode = (): boolean => typeof process !== 'undefined' && typeof process.versions?.node === 'string';

function defaultNotice(): (line: string) => void {
  if (isNode()) return (line) => void (process.env[GPU_NOTICES_ENV] === 'off' || process.stderr.write(line + '\n'));
  return (line) => console.warn(line);
}

function adapterLimits(adapter: GPUAdapter): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key in adapter.limits) {
    const v = (adapter.limits as unknown as Record<string, unknown>)[key];
    if (typeof v === 'number') out[key] = v;
  }
  return out;
}

/**
 * Acquires a WebGPU device: through `navigator.gpu` where it exists (browsers), else through
 * Dawn's `webgpu` package in Node (see node-adapter.ts for the hardware → SwiftShader
 * fallback). Throws {@link GpuUnavailableError} when no adapter of the requested kind exists.
 * The Node code is loaded with a dynamic `import()`, so a browser bundle that splits chunks
 * (Vite/Rollup by default, esbuild `--splitting --external:node:*`) never loads it; Dawn itself
 * is imported by a computed specifier and is never bundled (a Node bundle finds `webgpu` in
 * `node_modules` at run time).
 *
 * ```ts
 * const gpu = await acquireGpu();
 * try { ...; gpu.check(); } finally { gpu.release(); }
 * ```
 */
export async function acquireGpu(options: AcquireGpuOptions = {}): Promise<GpuContext> {
  const notice = options.onNotice ?? defaultNotice();
  const navGpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  let adapter: GPUAdapter;
  if (navGpu) {
    adapter = await requestBrowserAdapter(navGpu, resolveAdapterChoice(options.adapter, undefined), notice);
  } else if (isNode()) {
    const choice = resolveAdapterChoice(options.adapter, process.env[ADAPTER_ENV]);
    const { requestNodeAdapter } = await import('./node-adapter.js');
    adapter = await requestNodeAdapter(choice, options.dawnOptions ?? [], notice);
  } else {
    throw new GpuUnavailableError('WebGPU is not available here (no navigator.gpu, not Node)');
  }
  const adapterInfo = describeAdapter(adapter);
  const requiredLimits = options.requiredLimits === 'adapter' ? adapterLimits(adapter) : options.requiredLimits;
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      label: options.label ?? 'gripgen',
      requiredLimits,
      requiredFeatures: [...(options.requiredFeatures ?? []), ...(options.optionalFeatures ?? []).filter((f) => adapter.features.has(f))],
    });
  } catch (e) {
    throw new GpuUnavailableError(`requestDevice failed on ${adapterInfo.vendor} ${adapterInfo.architecture}: ${(e as Error).message}`);
  }
  const log = new DeviceErrorLog(device, options.onError);
  let released = false;
  return {
    device,
    adapter,
    adapterInfo,
    get lost() {
      return log.lost;
    },
    get errors() {
      return log.errors;
    },
    check: () => log.check(),
    release() {
      if (released) return;
      released = true;
      log.markReleased();
      device.destroy(); // lets Node exit: Dawn keeps the process alive while a device lives
    },
  };
}
