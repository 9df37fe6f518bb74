import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { endIdleWorkers, idleWorkerCount } from '../src/backends/cpu-shards/idle-workers.js';
import { formatUsage, HAS_PROC_STATUS, settledUsage, usageOverCycles } from './resident-memory.js';

// Capture Rapier's WebAssembly memory when its module is instantiated (WASM memory never
// shrinks, so a leak of freed worlds shows up as growth of its byte length).
interface WasmMemory { buffer: ArrayBuffer }
interface WasmApi {
  instantiate: (...args: unknown[]) => Promise<unknown>;
  Memory: new (...args: never[]) => WasmMemory;
}
// The compile target's lib has no WebAssembly typings; describe the two members used here.
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const memories: WasmMemory[] = [];
const instantiate = wasm.instantiate.bind(wasm);
wasm.instantiate = async (...args: unknown[]) => {
  const result = (await instantiate(...args)) as { instance?: { exports: object }; exports?: object };
  const exports = result.instance?.exports ?? result.exports ?? {};
  for (const value of Object.values(exports)) if (value instanceof wasm.Memory) memories.push(value);
  return result;
};

describe('dispose', () => {
  it('frees WASM memory: no growth over 1000 create/dispose cycles', async () => {
    const { makeSim, repeatAction } = await import('./helpers.js');
    const cycle = async () => {
      const sim = await makeSim({ numWorlds: 2 });
      await sim.reset();
      await sim.step(repeatAction(2, [0, 0, 0, 0, 0, 0, 1]));
      await sim.dispose();
    };
    for (let i = 0; i < 20; i++) await cycle();
    expect(memories.length).toBeGreaterThan(0);
    const before = memories.map((m) => m.buffer.byteLength);
    for (let i = 0; i < 1000; i++) await cycle();
    const after = memories.map((m) => m.buffer.byteLength);
    expect(after).toEqual(before);
  });

  it('the probe sees leaks: worlds never freed make the memory grow', async () => {
    const { loadRapier } = await import('../src/backends/rapier/rapier-module.js');
    const rapier = await loadRapier();
    const before = memories.map((m) => m.buffer.byteLength);
    const leaked = [];
    for (let i = 0; i < 2000; i++) leaked.push(new rapier.World({ x: 0, y: 0, z: -9.81 }));
    const after = memories.map((m) => m.buffer.byteLength);
    expect(after.some((bytes, i) => bytes > before[i])).toBe(true);
    for (const world of leaked) world.free();
  });
});

/*
 * Resident memory and OS threads over create/dispose cycles with worker shards (issue 20,
 * point 7), measured on 2 cores with `npm run bench:dispose -- --backend rapier --threads 2
 * --worlds 64` (reset + 5 steps per cycle):
 * - before (every Sim started and ended its workers): 340-700 MiB, swinging by up to 300 MiB
 *   from cycle to cycle, +100 MiB from cycle 10 to 40; ~4.4 s per cycle from the sources.
 * - workers parked and reused, no collection in the worker: flat threads, but resident memory
 *   crept by ~0.35 MiB per cycle (491 -> 547 MiB over 200 cycles; in this test, +14.6 MiB from
 *   cycle 10 to 40): the idle isolates kept the old Sims' buffers.
 * - with a collection in the worker after dispose (now): 438 MiB after cycle 1, 457-498 MiB from
 *   cycle 50 to 200 and 458 from cycle 138 on; threads 16 throughout; ~0.3 s per cycle. In this
 *   test: 534, then 504-505 MiB from cycle 3 to 40 (+0.3 MiB from cycle 20 to 40).
 */
const WORKER_CYCLES = 40;
/** Cycle after which resident memory must stay flat (1-based). */
const WORKER_WARM_UP = 10;
/** Largest rise of resident memory from cycle WORKER_WARM_UP to the last (MiB): above the noise, below the creep and swings measured before. */
const WORKER_RSS_GROWTH_MIB = 8;

describe.runIf(HAS_PROC_STATUS)('dispose: worker shards', () => {
  it(`resident memory and OS threads level off over ${WORKER_CYCLES} create/step/dispose cycles (2 worker threads); idle workers are reused, then end`, async () => {
    const { makeSim, pseudoRandomActions } = await import('./helpers.js');
    await endIdleWorkers();
    const baseline = await settledUsage();
    const usage = await usageOverCycles(WORKER_CYCLES, async (cycle) => {
      const sim = await makeSim({ numWorlds: 64, threads: 2, seed: cycle, randomization: 'wide' });
      expect(idleWorkerCount()).toBe(0);
      await sim.reset();
      for (let step = 0; step < 5; step++) await sim.step(pseudoRandomActions(64, step));
      await sim.dispose();
      expect(idleWorkerCount()).toBe(2);
    });
    const series = formatUsage(usage);
    // Two parked workers' threads, no more, from the first cycle on.
    for (const u of usage) expect(u.threads, series).toBe(usage[0].threads);
    const growth = usage[WORKER_CYCLES - 1].rssMiB - usage[WORKER_WARM_UP - 1].rssMiB;
    expect(growth, `rss growth ${growth.toFixed(1)} MiB from cycle ${WORKER_WARM_UP}; rss MiB/threads by cycle: ${series}`).toBeLessThan(WORKER_RSS_GROWTH_MIB);
    await endIdleWorkers();
    expect((await settledUsage()).threads).toBe(baseline.threads);
  });

  it('a Sim on reused workers steps bit-identically to one on fresh workers', async () => {
    const { makeSim, pseudoRandomActions } = await import('./helpers.js');
    const run = async () => {
      const sim = await makeSim({ numWorlds: 16, threads: 2, seed: 3, randomization: 'wide' });
      await sim.reset();
      const obs: Float32Array[] = [];
      for (let step = 0; step < 20; step++) obs.push((await sim.step(pseudoRandomActions(16, step))).obs.slice());
      await sim.dispose();
      return obs;
    };
    await endIdleWorkers();
    const fresh = await run();
    expect(idleWorkerCount()).toBe(2);
    const reused = await run();
    reused.forEach((o, step) => expect(Buffer.from(o.buffer).equals(Buffer.from(fresh[step].buffer)), `step ${step}`).toBe(true));
    await endIdleWorkers();
  });

  it('parked workers do not keep a program alive: it exits as soon as its Sim is disposed', async () => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fileURLToPath(new URL('./fixtures/worker-exit-child.ts', import.meta.url))], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, output).toBe(0);
    // A referenced worker would hold the event loop until its idle timer ended it.
    expect(output).toContain('idle workers at exit: 1');
  });
});
