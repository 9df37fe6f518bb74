import { describeAdapter, formatAdapter } from './adapter-info.js';
import type { AdapterChoice } from './adapter-choice.js';
import { GpuUnavailableError } from './errors.js';

/**
 * Finds an adapter through `navigator.gpu` (browsers, Puppeteer pages, workers). In Chrome the
 * software adapter is SwiftShader, reached with `forceFallbackAdapter`.
 */
export async function requestBrowserAdapter(gpu: GPU, choice: AdapterChoice, notice: (line: string) => void): Promise<GPUAdapter> {
  if (choice !== 'swiftshader') {
    const hw = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (hw && !describeAdapter(hw).isSoftware) return hw;
    if (choice === 'gpu') {
      throw new GpuUnavailableError(
        `adapter "gpu" requested but navigator.gpu offers ${hw ? `only ${formatAdapter(describeAdapter(hw))}` : 'no adapter'}`,
      );
    }
    if (hw) {
      notice(`gripgen: using software WebGPU adapter ${formatAdapter(describeAdapter(hw))}; it is slow`);
      return hw;
    }
  }
  const sw = await gpu.requestAdapter({ forceFallbackAdapter: true });
  if (!sw) {
    throw new GpuUnavailableError(
      'navigator.gpu offers no adapter, not even a fallback one (Chromium: --enable-unsafe-webgpu --use-webgpu-adapter=swiftshader)',
    );
  }
  if (choice === 'auto') notice(`gripgen: no hardware GPU adapter; using ${formatAdapter(describeAdapter(sw))}`);
  return sw;
}
