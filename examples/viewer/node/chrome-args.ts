/**
 * Chrome flags the viewer's pages need on top of the benchmark launcher's WebGPU flags
 * (`WEBGPU_CHROME_ARGS` of bench/src/browser/launch-chrome.ts). Presenting a WebGPU canvas
 * goes through Chrome's GL compositor; on a machine without a GPU that must be ANGLE on
 * SwiftShader, or the GPU process drops the WebGPU instance at the first frame ("A valid
 * external Instance reference no longer exists"). Compute-only pages (the benchmarks) do not
 * present and do not need it.
 */
export const VIEWER_CHROME_ARGS: readonly string[] = ['--use-angle=swiftshader'];
