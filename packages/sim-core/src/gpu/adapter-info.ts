/** What gripgen reports about the adapter it runs on (log it beside every benchmark figure). */
export interface GpuAdapterDescription {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** A CPU implementation (SwiftShader, llvmpipe/lavapipe, WARP): correct but slow. */
  readonly isSoftware: boolean;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i;

/** Copies the adapter's `info` into a plain object and decides whether it is a software one. */
export function describeAdapter(adapter: GPUAdapter): GpuAdapterDescription {
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const legacyFallback = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  const d = {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
  };
  const text = `${d.vendor} ${d.architecture} ${d.device} ${d.description}`;
  return { ...d, isSoftware: info?.isFallbackAdapter === true || legacyFallback === true || SOFTWARE.test(text) };
}

/** One line such as `google swiftshader (SwiftShader driver 5.0.0, software)`. */
export function formatAdapter(d: GpuAdapterDescription): string {
  const name = [d.vendor, d.architecture].filter(Boolean).join(' ') || 'unknown adapter';
  const extra = [d.description || d.device, d.isSoftware ? 'software' : 'hardware'].filter(Boolean).join(', ');
  return `${name} (${extra})`;
}
