/**
 * Large batches against the device's buffer limits (issue 21, point 2): the backends request the
 * adapter's limits (WebGPU's default is 128 MiB per storage binding); the scene solver splits a
 * batch whose per-world buffers exceed one binding into shards of worlds, each dispatched on its
 * own; pick-place's own kernel refuses a batch that does not fit, naming the buffer, the limit and
 * the most worlds that fit.
 */
import { describe, expect, it } from 'vitest';
import { SolverContact } from '@gripgen/shaders';
import { checkWorldBuffers, createSim, getTask, GpuBufferLimitError, type Sim, type StepResult } from '../src/index.js';
import { planBufferShards, SHARD_WORLD_MULTIPLE } from '../src/backends/webgpu/buffer-shards.js';

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
  it('pick-place\'s own kernel creates 135,000 worlds, whose 1 KiB-per-world cache exceeds WebGPU\'s default 128 MiB binding', async () => {
    const sim = await createSim({ task: 'pick-place', backend: 'webgpu', gpuProgram: 'task', numWorlds: 135_000 });
    try {
      expect(sim.spec.numWorlds).toBe(135_000);
    } finally {
      await sim.dispose();
    }
  });
});

describe('world shards of the scene solver', () => {
  it('plans one shard when every buffer fits, else shards of a multiple of 256 worlds that fit the limit; a row too large is refused naming its buffer', () => {
    const spec = (bytesPerWorld: number, label = 'rows') => ({ label, bytesPerWorld });
    // Limits under which a buffer may hold `bytes` (buffers are rounded up to 16 bytes).
    const fits = (bytes: number) => ({ maxStorageBufferBindingSize: bytes + 16, maxBufferSize: 2 ** 40 });
    expect(planBufferShards(1000, [spec(64), spec(8)], fits(1 << 20), 'test adapter')).toEqual([{ first: 0, count: 1000 }]);
    // SwiftShader's 1 GiB binding and capacity-64 contact rows: 262,144 worlds need three shards.
    const row = 64 * SolverContact.size;
    const shards = planBufferShards(262_144, [spec(row), spec(100)], fits(2 ** 30 - 16), 'test adapter');
    const size = Math.floor(Math.floor((2 ** 30 - 16) / row) / SHARD_WORLD_MULTIPLE) * SHARD_WORLD_MULTIPLE;
    expect(shards[0]).toEqual({ first: 0, count: size });
    expect(shards.reduce((n, s) => n + s.count, 0)).toBe(262_144);
    expect(shards.every((s, i) => s.first === i * size && s.count * row <= 2 ** 30 - 16)).toBe(true);
    expect(shards.length).toBe(Math.ceil(262_144 / size));
    // worldsPerShard caps the size, never raises it past what fits.
    expect(planBufferShards(300, [spec(64)], fits(1 << 20), 'x', 128)).toEqual([{ first: 0, count: 128 }, { first: 128, count: 128 }, { first: 256, count: 44 }]);
    expect(planBufferShards(1000, [spec(64)], fits(64 * 300), 'x', 500)[0]).toEqual({ first: 0, count: 256 });
    expect(() => planBufferShards(10, [spec(8)], fits(1000), 'x', 0)).toThrow(/worldsPerShard must be an integer ≥ 1/);
    const tooLarge = { label: 'scene contacts', bytesPerWorld: 2048, note: 'contactCapacity 64 × 32 B', remedy: 'a lower contactCapacity' };
    expect(() => planBufferShards(10, [spec(8), tooLarge], fits(1000), 'test adapter')).toThrow(GpuBufferLimitError);
    expect(() => planBufferShards(10, [spec(8), tooLarge], fits(1000), 'test adapter')).toThrow(
      'one world\'s "scene contacts" row takes 2048 B (contactCapacity 64 × 32 B), more than test adapter allows per storage buffer (1000 B) — use a lower contactCapacity',
    );
  });

  it('a sharded batch steps exactly as one shard: stack expert, 300 worlds in shards of 128 (outputs, state and contacts bit for bit)', async () => {
    const n = 300;
    const run = async (worldsPerShard?: number) => {
      const sim = await createSim({ task: 'stack', backend: 'webgpu', numWorlds: n, seed: 3, randomization: 'wide', worldsPerShard });
      try {
        const expert = getTask('stack').expert!(n, 0);
        const actions = new Float32Array(n * 7);
        let r: StepResult = await sim.reset();
        const rows: Float32Array[] = [];
        for (let t = 0; t < 12; t++) {
          expert.act(r.obs, sim.spec.obsSize, sim.paramTable, r.episode, r.stepCount, actions);
          r = await sim.step(actions);
          rows.push(Float32Array.from(r.obs), Float32Array.from(r.reward), Float32Array.from(r.signals));
        }
        const contacts = await contactsOf(sim, [0, 127, 128, 299]);
        const state = await sim.getState();
        const bytes = (state.worlds as { bytes: Uint8Array }[]).map((s) => Array.from(s.bytes));
        // Restoring the state (written back shard by shard) and stepping on gives the same again.
        await sim.step(new Float32Array(n * 7));
        await sim.setState(state);
        r = await sim.step(actions);
        rows.push(Float32Array.from(r.obs));
        return { spec: sim.spec, rows, state: bytes, contacts };
      } finally {
        await sim.dispose();
      }
    };
    const one = await run();
    const sharded = await run(128);
    expect(one.spec.worldsPerShard).toBe(n);
    expect(sharded.spec.worldsPerShard).toBe(128);
    expect(sharded.rows).toEqual(one.rows);
    expect(sharded.state).toEqual(one.state);
    expect(sharded.contacts).toEqual(one.contacts);
    // The check has teeth: the worlds moved, and the last shard's worlds have contacts.
    expect(one.rows[0]).not.toEqual(one.rows[one.rows.length - 3]);
    expect(one.contacts[3]!.length).toBeGreaterThan(0);
  });
});

async function contactsOf(sim: Sim, worlds: number[]) {
  const out = [];
  for (const w of worlds) out.push(await sim.contacts(w));
  return out;
}

