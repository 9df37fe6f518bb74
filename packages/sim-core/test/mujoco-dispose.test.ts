import { describe, expect, it } from 'vitest';

// Capture MuJoCo's WebAssembly memory when its module is instantiated (WASM memory never
// shrinks, so models or data left unfreed show up as growth of its byte length).
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

describe('mujoco backend: dispose', () => {
  it('frees every mjModel and mjData: no memory growth over 100 create/step/dispose cycles', async () => {
    const { makeSim, repeatAction } = await import('./helpers.js');
    const cycle = async (seed: number) => {
      const sim = await makeSim({ backend: 'mujoco', numWorlds: 4, seed, randomization: 'wide' });
      await sim.reset();
      await sim.step(repeatAction(4, [0, 0, -0.01, 0, 0, 0, 1]));
      await sim.contacts(0);
      await sim.getState();
      await sim.dispose();
    };
    for (let i = 0; i < 10; i++) await cycle(i);
    expect(memories.length).toBeGreaterThan(0);
    const before = memories.map((m) => m.buffer.byteLength);
    for (let i = 0; i < 100; i++) await cycle(i);
    expect(memories.map((m) => m.buffer.byteLength)).toEqual(before);
  });

  it('the probe sees leaks: models never freed make the memory grow', async () => {
    const { loadMujoco } = await import('../src/backends/mujoco/mujoco-module.js');
    const mj = await loadMujoco();
    const before = memories.map((m) => m.buffer.byteLength);
    const xml = '<mujoco><size memory="1M"/><worldbody><body><freejoint/><geom type="box" size=".1 .1 .1"/></body></worldbody></mujoco>';
    const model = mj.MjModel.from_xml_string(xml);
    const leaked = [];
    for (let i = 0; i < 200; i++) leaked.push(new mj.MjData(model));
    expect(memories.some((m, i) => m.buffer.byteLength > before[i])).toBe(true);
    for (const data of leaked) data.delete();
    model.delete();
  });
});
