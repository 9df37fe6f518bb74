/**
 * `gpuFeatures` (opt-in, for benchmarks): the webgpu backend asks for the listed WebGPU features
 * the adapter has and skips the others; without it the device gets none of them.
 */
import { describe, expect, it } from 'vitest';
import { createSim } from '../src/index.js';

describe('gpuFeatures', () => {
  it('grants the features the adapter has, skips the rest, and requests none by default', async () => {
    const withFeatures = await createSim({ task: 'pick-place', numWorlds: 1, backend: 'webgpu', gpuFeatures: ['timestamp-query', 'no-such-feature'] });
    const plain = await createSim({ task: 'pick-place', numWorlds: 1, backend: 'webgpu' });
    try {
      // SwiftShader (and GPUs) have timestamp-query.
      expect(withFeatures.gpuAccess().device.features.has('timestamp-query')).toBe(true);
      expect(withFeatures.gpuAccess().device.features.has('no-such-feature')).toBe(false);
      expect(plain.gpuAccess().device.features.has('timestamp-query')).toBe(false);
    } finally {
      await withFeatures.dispose();
      await plain.dispose();
    }
  }, 120_000);
});
