/**
 * Large batches against the device's buffer limits (issue 21, point 2): the backends request the
 * adapter's limits (WebGPU's default is 128 MiB per storage binding) and refuse a batch whose
 * per-world buffers do not fit, naming the buffer, the limit and the most worlds that fit.
 */
import { describe, expect, it } from 'vitest';
import { SolverContact } from '@gripgen/shaders';
import { checkWorldBuffers, createSim, GpuBufferLimitError } from '../src/index.js';

describe('checkWorldBuffers', () => {
  const limits = { maxStorageBufferBindingSize: 1000 * 64 + 16, maxBufferSize: 1 << 30 };
  const specs = [
    { label: 'small', bytesPerWorld: 8 },
    { label: 'contacts', bytesPerWorld: 64, note: 'contactCapacity 4 × 16 B', remedy: 'a lower contactCapacity' },
  ];
  it('accepts the most worlds whose largest buffer fits, refuses one more naming the buffer, the limit and that number', () => {
    expect(() => checkWorldBuffers(limits, 1000, specs, 'test adapter')).not.toThrow();
    const error = (() => {
      try {
        checkWorldBuffers(limits, 1001, specs, 'test adapter');
      } catch (e) {
        return e as GpuBufferLimitError;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(GpuBufferLimitError);
    expect(error!.maxWorlds).toBe(1000);
    expect(error!.message).toBe(
      'numWorlds 1001 needs a 0 MiB "contacts" buffer (64 B per world: contactCapacity 4 × 16 B); test adapter allows 0 MiB per storage buffer ' +
        '(maxStorageBufferBindingSize), so at most 1000 worlds — use fewer worlds per Sim (several Sims share the GPU) or a lower contactCapacity',
    );
    // The smaller of the two limits is the one named.
    expect(() => checkWorldBuffers({ maxStorageBufferBindingSize: 1 << 30, maxBufferSize: 64 * 10 + 16 }, 11, specs, 'x')).toThrow(/\(maxBufferSize\), so at most 10 worlds/);
  });
});

describe('webgpu backends and the adapter limits (SwiftShader)', () => {
  it('the scene solver refuses 262,144 worlds before allocating, naming the contacts buffer, maxStorageBufferBindingSize and the most worlds that fit', async () => {
    const error = await createSim({ task: 'pick-place', backend: 'webgpu', gpuProgram: 'scene', numWorlds: 262_144 }).then(
      () => null,
      (e: unknown) => e as GpuBufferLimitError,
    );
    expect(error).toBeInstanceOf(GpuBufferLimitError);
    // SwiftShader's adapter allows 1 GiB per storage binding; a world's contacts take capacity 64 × the struct's size.
    const perWorld = 64 * SolverContact.size;
    expect(error!.maxWorlds).toBe(Math.floor((2 ** 30 - 16) / perWorld));
    expect(error!.message).toMatch(/^numWorlds 262144 needs a [\d.]+ GiB "scene contacts" buffer \(\d+ B per world: contactCapacity 64 × \d+ B\); .* allows 1\.00 GiB per storage buffer \(maxStorageBufferBindingSize\), so at most \d+ worlds/);
  });

  it('pick-place\'s own kernel creates 135,000 worlds, whose 1 KiB-per-world cache exceeds WebGPU\'s default 128 MiB binding', async () => {
    const sim = await createSim({ task: 'pick-place', backend: 'webgpu', gpuProgram: 'task', numWorlds: 135_000 });
    try {
      expect(sim.spec.numWorlds).toBe(135_000);
    } finally {
      await sim.dispose();
    }
  });
});
