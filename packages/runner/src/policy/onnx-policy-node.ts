/** Node loading of ONNX policies with onnxruntime-node; the contract itself is in `onnx-policy.ts` (browser-safe). */
import { readFile } from 'node:fs/promises';
import { OnnxPolicy, type OnnxPolicyTarget, type OnnxRuntime } from './onnx-policy.js';

/**
 * Reads the ONNX model at `path` and loads it with onnxruntime-node (CPU), checked against the
 * task (see {@link OnnxPolicy.create}); errors name the path.
 */
export async function loadOnnxPolicy(path: string, target: OnnxPolicyTarget): Promise<OnnxPolicy> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(`cannot read the ONNX model ${path}: ${(error as Error).message}`);
  }
  const ort: OnnxRuntime = await import('onnxruntime-node');
  return OnnxPolicy.create(bytes, path, target, ort);
}
