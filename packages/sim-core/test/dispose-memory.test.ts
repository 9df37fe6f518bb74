import { describe, expect, it } from 'vitest';

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
