/**
 * Resident memory and OS threads over create/dispose cycles on WebGPU (issue 20, point 7).
 *
 * What was measured (SwiftShader, 2 cores; `npm run bench:dispose -- --backend webgpu
 * --threads 0 --cycles 25`, 64 pick-place worlds, reset + 5 steps per cycle):
 * - Threads: 12 before, 14 after every dispose from the first on. The 2 are Dawn's worker
 *   pool for `createComputePipelineAsync`, made on first use and shared by every later device
 *   of the process (a bare acquire/release leaves none; 12 concurrent async pipelines leave 2,
 *   reused by the next device). SwiftShader's own threads (`Thread<NN>`) end with the device.
 * - Resident memory: 107 MiB before, 372 after cycle 1, then 440-704 with no trend over 25
 *   cycles. With MALLOC_ARENA_MAX=2 the same run stays at 371-451, 381-386 from cycle 5 on:
 *   the swing is native memory freed into glibc's per-thread arenas (SwiftShader compiles on
 *   threads made per device), not objects kept alive. Both backends destroy their buffers
 *   and the device on dispose.
 * A WebGPU Sim costs ~24 s to create on SwiftShader (pipeline compilation), so the Sim is
 * cycled twice here; the device path under it (acquire, compile, buffers, dispatch, read
 * back, release) is cycled 30 times.
 */
import { describe, expect, it } from 'vitest';
import { acquireGpu, createComputePipeline, readBuffer } from '../src/gpu/index.js';
import { makeSim, pseudoRandomActions } from './helpers.js';
import { formatUsage, HAS_PROC_STATUS, usageOverCycles } from './resident-memory.js';

const DEVICE_CYCLES = 30;
/** Cycle after which resident memory must stay flat (1-based). */
const DEVICE_WARM_UP = 15;
/**
 * Largest rise of resident memory from cycle DEVICE_WARM_UP to the last (MiB). Measured in
 * this test: 153 MiB after cycle 1, 167 from cycle 8, 168 at cycle 30 (+1.1 MiB from cycle 15);
 * threads constant. Leaving the device and buffer unreleased adds ~13 MiB and 2 threads a cycle.
 */
const DEVICE_RSS_GROWTH_MIB = 25;

const PROBE = {
  name: 'dispose-probe',
  code: `@group(0) @binding(0) var<storage, read_write> o: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) { o[g.x] = f32(g.x) * 2.0; }`,
};

describe.runIf(HAS_PROC_STATUS)('dispose: webgpu', () => {
  it(`device cycles: resident memory and OS threads level off over ${DEVICE_CYCLES} acquire/compile/dispatch/release cycles`, async () => {
    const words = 1 << 20;
    const usage = await usageOverCycles(DEVICE_CYCLES, async (cycle) => {
      const gpu = await acquireGpu({ onNotice: () => {} });
      const { device } = gpu;
      const pipeline = await createComputePipeline(device, { ...PROBE, code: PROBE.code.replace('2.0', `${cycle + 2}.0`) }, 'main');
      const out = device.createBuffer({ size: words * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out } }] }));
      pass.dispatchWorkgroups(words / 64);
      pass.end();
      device.queue.submit([encoder.finish()]);
      const values = new Float32Array(await readBuffer(device, out));
      expect(values[1000]).toBe(1000 * (cycle + 2));
      gpu.check();
      out.destroy();
      gpu.release();
    });
    const series = formatUsage(usage);
    for (const u of usage) expect(u.threads, series).toBe(usage[0].threads);
    const growth = usage[DEVICE_CYCLES - 1].rssMiB - usage[DEVICE_WARM_UP - 1].rssMiB;
    expect(growth, `rss growth ${growth.toFixed(1)} MiB from cycle ${DEVICE_WARM_UP}; rss MiB/threads by cycle: ${series}`).toBeLessThan(DEVICE_RSS_GROWTH_MIB);
  });

  it('Sim cycles: a disposed WebGPU Sim leaves no thread behind for the next one', async () => {
    const usage = await usageOverCycles(2, async (cycle) => {
      const sim = await makeSim({ backend: 'webgpu', numWorlds: 4, seed: cycle });
      await sim.reset();
      for (let step = 0; step < 3; step++) await sim.step(pseudoRandomActions(4, step));
      await sim.dispose();
    });
    // A device kept alive would keep its driver threads (SwiftShader: 2 per device).
    expect(usage[1].threads, formatUsage(usage)).toBe(usage[0].threads);
  });
});
