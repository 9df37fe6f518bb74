import { describe, expect, it } from 'vitest';
import { makeSim, repeatAction } from './helpers.js';

type Method = (...args: unknown[]) => unknown;
const SPIED = ['createBuffer', 'createBindGroup', 'createComputePipeline', 'createShaderModule'] as const;

/** Counts calls of GPUDevice methods (every device of this process) until `restore()`. */
function spyOnDevices() {
  const proto = (globalThis as unknown as { GPUDevice: { prototype: Record<string, Method> } }).GPUDevice.prototype;
  const counts = Object.fromEntries(SPIED.map((name) => [name, 0])) as Record<(typeof SPIED)[number], number>;
  const originals = SPIED.map((name) => proto[name]);
  SPIED.forEach((name, i) => {
    proto[name] = function (this: unknown, ...args: unknown[]) {
      counts[name]++;
      return originals[i].apply(this, args);
    };
  });
  return { counts, restore: () => SPIED.forEach((name, i) => (proto[name] = originals[i])) };
}

/**
 * `step()` on 4096 worlds must not allocate per call: no GPU buffers, bind groups, pipelines
 * or shader modules are created while stepping, and the result arrays are the same objects
 * every step. (Command encoders are per submission in WebGPU by design and are not counted.)
 */
describe('WebGPU backend step allocations', () => {
  it('creates no GPU objects per step and reuses its result arrays (4096 worlds)', async () => {
    const n = 4096;
    const sim = await makeSim({ backend: 'webgpu', numWorlds: n, randomization: 'wide' });
    const actions = repeatAction(n, [0.001, 0, -0.001, 0, 0, 0, 0.5]);
    await sim.reset();
    const first = await sim.step(actions);
    const arrays = [first.obs, first.reward, first.success, first.terminated, first.truncated, first.fault];
    const spy = spyOnDevices();
    try {
      for (let s = 0; s < 4; s++) {
        const r = await sim.step(actions);
        const now = [r.obs, r.reward, r.success, r.terminated, r.truncated, r.fault];
        for (let i = 0; i < arrays.length; i++) expect(now[i]).toBe(arrays[i]);
      }
      expect(spy.counts).toEqual({ createBuffer: 0, createBindGroup: 0, createComputePipeline: 0, createShaderModule: 0 });
      // Control: the spy does see the backend's device (a full-state read makes a staging buffer).
      await sim.getState();
      expect(spy.counts.createBuffer).toBeGreaterThan(0);
    } finally {
      spy.restore();
      await sim.dispose();
    }
  });
});
