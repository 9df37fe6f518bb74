/// <reference types="vite/client" />
/**
 * ONNX policies in the page: onnxruntime-web with its WebAssembly execution provider only
 * (`onnxruntime-web/wasm`, CPU, one thread: no worker, no cross-origin isolation needed). Vite
 * bundles the .wasm into the build, so nothing is fetched from elsewhere and the viewer works
 * offline. The contract checks are the runner's (`OnnxPolicy.create`, shared with `gripgen eval`).
 * Imported on demand: the runtime and onnx-proto load only when an .onnx file is picked.
 */
import * as ort from 'onnxruntime-web/wasm';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { OnnxPolicy, type OnnxPolicyTarget } from '@gripgen/runner/onnx';

ort.env.wasm.wasmPaths = { wasm: wasmUrl };
ort.env.wasm.numThreads = 1;

/** Loads the model `bytes` (from file `source`) with onnxruntime-web, checked against the task. */
export function loadOnnxPolicy(bytes: Uint8Array, source: string, target: OnnxPolicyTarget): Promise<OnnxPolicy> {
  return OnnxPolicy.create(bytes, source, target, ort);
}
