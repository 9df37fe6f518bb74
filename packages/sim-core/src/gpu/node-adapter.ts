import { existsSync, readdirSync } from 'node:fs';
import { describeAdapter, formatAdapter } from './adapter-info.js';
import type { AdapterChoice } from './adapter-choice.js';
import { GpuUnavailableError } from './errors.js';
import { findSwiftShaderIcd } from './swiftshader-icd.js';

/**
 * Adapter selection in Node through Dawn (`webgpu` package).
 *
 * Dawn's Vulkan backend discovers drivers through the Vulkan loader, which reads
 * `VK_ICD_FILENAMES` / `VK_DRIVER_FILES` when an instance first enumerates adapters,
 * i.e. during the first `requestAdapter()` of a `create()`d GPU object (verified with
 * webgpu 0.6.2: setting the variable after `create()` but before `requestAdapter()` works,
 * restoring it before `requestAdapter()` does not). A second `create()` builds a fresh
 * instance that re-reads the variables; each instance is kept and reused (see `instances`). So the fallback is:
 *   1. `create()` with the environment as it is, `requestAdapter()`: hardware if any
 *      (Dawn rejects Mesa's llvmpipe, so on a GPU-less machine this yields null);
 *   1b. if that found no hardware adapter and the caller set neither variable, the same with
 *      each existing file of {@link HARDWARE_ICD_PATHS} (GPU drivers installed outside the
 *      loader's search path, as in NVIDIA containers);
 *   2. otherwise point both variables at SwiftShader's ICD, `requestAdapter()` from the instance
 *      for those variables (created the first time), then restore the variables (adapters, once
 *      found, keep working), so child processes inherit the caller's environment.
 * Calls are serialized because the environment is process-global.
 *
 * On Linux, step 1 is skipped when no GPU device node exists ({@link hasGpuDeviceNode}) and the
 * caller set neither variable (`gpu` then fails at once, `auto` goes to SwiftShader): no hardware
 * Vulkan driver can work then, and the probe only prints driver noise on stderr (Dawn, from
 * native code: the Mesa drivers it rejects, e.g. "Warning: Vulkan shaderUniform*ArrayDynamicIndexing
 * required" for llvmpipe).
 */

type WebgpuModule = { create(options: string[]): GPU; globals: Record<string, unknown> };

const ICD_VARS = ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES'] as const;

let webgpuModule: Promise<WebgpuModule> | undefined;
let queue: Promise<unknown> = Promise.resolve();

async function loadWebgpu(): Promise<WebgpuModule> {
  // A computed specifier keeps browser bundlers from trying to resolve Dawn's native module.
  const specifier = 'webgpu';
  webgpuModule ??= (import(/* @vite-ignore */ specifier) as Promise<WebgpuModule>).then((m) => {
    // WebGPU's constant namespaces (GPUBufferUsage, GPUMapMode, …) as in a browser; never overwrites.
    const g = globalThis as Record<string, unknown>;
    for (const [k, v] of Object.entries(m.globals)) if (!(k in g)) g[k] = v;
    return m;
  });
  return webgpuModule;
}

/**
 * Dawn instances, one per (Vulkan driver variables, Dawn options), created on first use and kept
 * for the life of the process. Creating and dropping instances as devices come and go crashed the
 * process at random (glibc "The futex facility returned an unexpected error code" or
 * `std::system_error`, in about 1 of 4 runs of a test that acquired and released a few devices):
 * a dropped instance is torn down by the garbage collector while another instance works. A kept
 * instance does not keep Node alive once its devices are destroyed.
 */
const instances = new Map<string, GPU>();

/** How many Dawn instances this process has created (for tests: acquiring devices again reuses them). */
export function dawnInstanceCount(): number {
  return instances.size;
}

/** `requestAdapter()` on the instance for the current driver variables and `dawnOptions`, created on first use. */
async function requestFromInstance(dawnOptions: readonly string[], powerPreference: GPUPowerPreference): Promise<GPUAdapter | null> {
  const key = JSON.stringify([...ICD_VARS.map((k) => process.env[k] ?? null), dawnOptions]);
  let gpu = instances.get(key);
  if (!gpu) {
    const { create } = await loadWebgpu();
    gpu = create([...dawnOptions]);
    instances.set(key, gpu);
  }
  return gpu.requestAdapter({ powerPreference });
}

/** Hardware Vulkan ICD files outside the loader's default search path, tried when it finds none. */
export const HARDWARE_ICD_PATHS: readonly string[] = ['/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json'];

/** {@link requestFromInstance} with the loader pointed at `icd` only; restores the variables after. */
async function requestWithIcd(dawnOptions: readonly string[], icd: string): Promise<GPUAdapter | null> {
  const saved = ICD_VARS.map((k) => [k, process.env[k]] as const);
  for (const k of ICD_VARS) process.env[k] = icd;
  try {
    return await requestFromInstance(dawnOptions, 'high-performance');
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/**
 * Device nodes through which a hardware GPU driver reaches its device on Linux: DRM render and
 * card nodes (Mesa, AMD, Intel, NVIDIA's open driver), NVIDIA's proprietary nodes, WSL's /dev/dxg,
 * Adreno and Mali.
 */
export const GPU_DEVICE_NODES: readonly string[] = ['/dev/dri', '/dev/nvidiactl', '/dev/dxg', '/dev/kgsl-3d0', '/dev/mali0'];

/** Whether this machine has a GPU device node (always true off Linux, where there is no such check). */
export function hasGpuDeviceNode(): boolean {
  if (process.platform !== 'linux') return true;
  return GPU_DEVICE_NODES.some((path) => {
    if (path !== '/dev/dri') return existsSync(path);
    try {
      return readdirSync(path).length > 0;
    } catch {
      return false;
    }
  });
}

async function select(choice: AdapterChoice, dawnOptions: readonly string[], notice: (line: string) => void): Promise<GPUAdapter> {
  const noHardware = !hasGpuDeviceNode() && ICD_VARS.every((k) => !process.env[k]);
  if (noHardware && choice === 'gpu') {
    throw new GpuUnavailableError(
      `GRIPGEN_ADAPTER=gpu but this machine has no GPU device node (${GPU_DEVICE_NODES.join(', ')}): no hardware GPU adapter ` +
        '(check that the GPU driver is installed and the device is passed to this container)',
    );
  }
  if (choice !== 'swiftshader' && !noHardware) {
    const hw = await requestFromInstance(dawnOptions, 'high-performance');
    if (hw && !describeAdapter(hw).isSoftware) return hw;
    if (!hw && ICD_VARS.every((k) => !process.env[k])) {
      for (const icd of HARDWARE_ICD_PATHS.filter((p) => existsSync(p))) {
        const found = await requestWithIcd(dawnOptions, icd);
        if (found && !describeAdapter(found).isSoftware) return found;
      }
    }
    if (hw && choice === 'auto') {
      // The environment already selects a software driver (e.g. VK_ICD_FILENAMES=SwiftShader): use it.
      notice(`gripgen: using software WebGPU adapter ${formatAdapter(describeAdapter(hw))}; it is slow`);
      return hw;
    }
    if (choice === 'gpu') {
      const found = hw ? `only a software adapter (${formatAdapter(describeAdapter(hw))})` : 'no adapter';
      throw new GpuUnavailableError(
        `GRIPGEN_ADAPTER=gpu but Dawn found ${found}: no hardware GPU adapter ` +
          '(check the GPU driver and its Vulkan ICD, e.g. VK_DRIVER_FILES=/path/to/nvidia_icd.json, and that libvulkan.so.1 is installed)',
      );
    }
  }
  const icd = findSwiftShaderIcd();
  const sw = await requestWithIcd(dawnOptions, icd);
  if (!sw) {
    throw new GpuUnavailableError(
      `Dawn found no adapter with the SwiftShader driver ${icd}; is the Vulkan loader installed (Debian/Ubuntu: apt-get install libvulkan1)?`,
    );
  }
  if (choice === 'auto') notice(`gripgen: no hardware GPU adapter; using SwiftShader (software, slow) from ${icd}`);
  return sw;
}

/**
 * Finds a WebGPU adapter in Node according to `choice` (see the module comment for the
 * hardware → SwiftShader fallback). `notice` receives the one-line fallback notice.
 */
export function requestNodeAdapter(
  choice: AdapterChoice,
  dawnOptions: readonly string[],
  notice: (line: string) => void,
): Promise<GPUAdapter> {
  const run = queue.then(() => select(choice, dawnOptions, notice));
  queue = run.catch(() => undefined);
  return run;
}
