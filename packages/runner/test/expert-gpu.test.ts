/**
 * The pick-place expert on the GPU (`GpuExpertLoop`, SwiftShader in CI) against the host expert
 * (`PickPlaceExpert`): fed the same observations it writes the same actions up to f32 rounding,
 * and over an episode it succeeds as often.
 */
import { createSim, getTask, readBuffer, type ScriptedExpert, type Sim } from '@gripgen/sim-core';
import { describe, expect, it } from 'vitest';
import { GpuExpertLoop } from '../src/expert-gpu-loop.js';
import { runExpertEpisode } from '../src/expert-run.js';

const SEED = 3;

/** The Sim's observation rows, episodes and step counts as they are on the GPU now. */
async function gpuRows(sim: Sim): Promise<{ obs: Float32Array; episode: Uint32Array; stepCount: Uint32Array }> {
  const access = sim.gpuAccess();
  const { strideWords, obsOffsetWords, obsSize, episodeOffsetWords, stepCountOffsetWords } = access.outputLayout;
  const n = sim.spec.numWorlds;
  const bytes = await readBuffer(access.device, access.outputs, 4 * strideWords * n);
  const f = new Float32Array(bytes);
  const u = new Uint32Array(bytes);
  const obs = new Float32Array(n * obsSize);
  const episode = new Uint32Array(n);
  const stepCount = new Uint32Array(n);
  for (let w = 0; w < n; w++) {
    obs.set(f.subarray(w * strideWords + obsOffsetWords, w * strideWords + obsOffsetWords + obsSize), w * obsSize);
    episode[w] = u[w * strideWords + episodeOffsetWords];
    stepCount[w] = u[w * strideWords + stepCountOffsetWords];
  }
  return { obs, episode, stepCount };
}

describe('pick-place expert on the GPU', () => {
  it('writes the host expert’s actions (|Δ| ≤ 1e-5) from the same observations, step after step', async () => {
    const n = 16;
    const steps = 90;
    const sim = await createSim({ task: 'pick-place', numWorlds: n, backend: 'webgpu', seed: SEED, randomization: 'wide' });
    const host: ScriptedExpert = getTask('pick-place').expert!(n, SEED);
    const want = new Float32Array(n * 7);
    try {
      await sim.reset();
      const loop = await GpuExpertLoop.create(sim, getTask('pick-place'), SEED);
      const access = sim.gpuAccess();
      let compared = 0;
      let mismatched = 0;
      try {
        for (let s = 0; s < steps; s++) {
          const rows = await gpuRows(sim);
          host.act(rows.obs, sim.spec.obsSize, sim.paramTable, rows.episode, rows.stepCount, want);
          // Poison: the kernel must write every world's action.
          access.device.queue.writeBuffer(access.actions, 0, new Float32Array(n * 7).fill(Number.NaN));
          await loop.run(1);
          const got = new Float32Array(await readBuffer(access.device, access.actions, 4 * 7 * n));
          for (let w = 0; w < n; w++) {
            compared++;
            let worst = 0;
            for (let k = 0; k < 7; k++) worst = Math.max(worst, Math.abs(got[w * 7 + k] - want[w * 7 + k]));
            expect(Number.isFinite(worst), `world ${w} step ${s}`).toBe(true);
            // A phase threshold met by one rounding and missed by the other flips the phase one step early or late.
            if (worst > 1e-5) mismatched++;
          }
        }
      } finally {
        loop.destroy();
      }
      expect(mismatched / compared).toBeLessThanOrEqual(0.01);
    } finally {
      await sim.dispose();
    }
  });

  it('runs a whole episode on the GPU with the host expert’s success rate (128 wide worlds)', async () => {
    const options = { task: 'pick-place', numWorlds: 128, backend: 'webgpu' as const, seed: SEED, randomization: 'wide', steps: 200 };
    const gpu = await runExpertEpisode({ ...options, expertOnGpu: true });
    const host = await runExpertEpisode({ ...options, expertOnGpu: false });
    expect(gpu.expertOn).toBe('gpu');
    expect(host.expertOn).toBe('host');
    expect(gpu.faults).toBe(0);
    expect(gpu.successRate).toBeGreaterThanOrEqual(0.95);
    expect(Math.abs(gpu.successes - host.successes)).toBeLessThanOrEqual(4);
    await expect(runExpertEpisode({ ...options, numWorlds: 1, backend: 'rapier', threads: 0, expertOnGpu: true })).rejects.toThrow(/no GPU expert loop/);
  });
});
