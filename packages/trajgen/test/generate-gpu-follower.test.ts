/**
 * The GPU waypoint follower (SwiftShader in CI): its kernel computes `followWaypoint`'s action
 * (f32 against the host's f64, noise included) and records the Sim's rows bit for bit; a whole
 * generation run follows the host loop's attempts; its trajectories do not depend on the chunk
 * size or the batch; attempts end (too long, object out of the workspace) as on the host.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSim, readBuffer, type Sim } from '@gripgen/sim-core';
import { generateDataset, getDatagenTask, parseGenerateConfig, recordExpertDemos, runBatchGeneration, type AttemptResult, type GenerationFollower, type SourceDemo } from '../src/index.js';
import { followWaypoint } from '../src/generate/follow-waypoint.js';
import { rowWords, STATE_WORD, WAYPOINT_WORDS } from '../src/generate/gpu/follower-layouts.js';
import { GpuFollower, writeFollowState } from '../src/generate/gpu/gpu-follower.js';
import { carryOff } from './carry-off-demo.js';

const task = getDatagenTask('pick-place');
let demos: SourceDemo[];
let dir: string;

beforeAll(async () => {
  demos = await recordExpertDemos({ count: 10, randomization: 'narrow', seed: 0, threads: 0 });
  dir = await mkdtemp(join(tmpdir(), 'gripgen-gpu-follower-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const webgpuSim = (numWorlds: number, randomization = 'wide') =>
  createSim({ task: 'pick-place', numWorlds, backend: 'webgpu', seed: 1, randomization, actionMode: 'delta', maxEpisodeSteps: 1000 });

/** Every attempt's result, in order. */
async function generate(
  follower: GenerationFollower,
  worlds: number,
  attempts: number,
  options: { chunk?: number; config?: Record<string, unknown>; demos?: SourceDemo[]; randomization?: string } = {},
): Promise<AttemptResult[]> {
  const sim = await webgpuSim(worlds, options.randomization);
  const out: AttemptResult[] = [];
  try {
    await runBatchGeneration({
      sim,
      task,
      demos: options.demos ?? demos,
      config: parseGenerateConfig(options.config ?? {}),
      attemptId: (k) => k,
      wantAttempt: (k) => k < attempts,
      onResult: (r) => (out.push(r), false),
      follower,
      ...(options.chunk !== undefined && { gpuChunkSteps: options.chunk }),
    });
  } finally {
    await sim.dispose();
  }
  return out;
}

/** Largest |a − b| over the first `rows` rows of width `width`. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>, rows: number, width: number): number {
  let m = 0;
  for (let i = 0; i < rows * width; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('GPU waypoint follower', () => {
  it('computes followWaypoint’s action (noise included) from the Sim’s observation, records the Sim’s rows bit for bit, and holds worlds without waypoints', async () => {
    const n = 8;
    const R = 2;
    /** Waypoints per world this chunk: world 6 has none (held), world 7 one. */
    const counts = [2, 2, 2, 2, 2, 2, 0, 1];
    const sim: Sim = await webgpuSim(n);
    const follower = await GpuFollower.create(sim, R);
    try {
      const r = await sim.reset();
      const obsSize = sim.spec.obsSize;
      const obs0 = r.obs.slice();
      const access = sim.gpuAccess();
      const outputsBefore = new Uint32Array(await readBuffer(access.device, access.outputs));
      const { waypoints, states, ring, ringU32 } = follower.chunk;
      const eef = new Float64Array(7);
      const targets: Float64Array[][] = [];
      for (let w = 0; w < n; w++) {
        writeFollowState(states, w, 100 + w, 5 * w, counts[w]);
        task.eefPose(obs0, w * obsSize, eef);
        targets.push([]);
        for (let i = 0; i < R; i++) {
          // A target a few centimetres and degrees away (some beyond the per-step limits), noise on even worlds.
          const turn = 0.05 * (w + 1) * (i + 1);
          const target = Float64Array.of(eef[0] + 0.01 * (w - 3), eef[1] + 0.02 * i, eef[2] - 0.05, Math.sin(turn / 2), 0, 0, Math.cos(turn / 2));
          targets[w].push(target);
          const o = (w * R + i) * WAYPOINT_WORDS;
          waypoints.set(target, o);
          waypoints[o + 7] = i === 0 ? -1 : 1;
          waypoints[o + 8] = w % 2 === 0 ? 0.05 : 0;
        }
      }
      // Poison: the kernels must write every action they record.
      access.device.queue.writeBuffer(access.actions, 0, new Float32Array(n * 7).fill(Number.NaN));
      await follower.runChunk();
      const W = rowWords(obsSize);
      const SW = GpuFollower.STATE_WORDS;
      const want = new Float32Array(7);
      const outputs = new Uint32Array(await readBuffer(access.device, access.outputs));
      const { strideWords, obsOffsetWords } = access.outputLayout;
      for (let w = 0; w < n; w++) {
        expect(states[w * SW + STATE_WORD.done], `world ${w} steps`).toBe(counts[w]);
        expect(states[w * SW + STATE_WORD.end], `world ${w} end`).toBe(0);
        const base = w * R * W;
        for (let i = 0; i < counts[w]; i++) {
          // The observation the step started from: the reset's, then the ring's row before.
          const before = i === 0 ? obs0.subarray(w * obsSize) : ring.subarray(base + (i - 1) * obsSize);
          task.eefPose(before, 0, eef);
          followWaypoint(want, 0, eef, targets[w][i], i === 0 ? -1 : 1, w % 2 === 0 ? 0.05 : 0, sim.spec.seed, 100 + w, 5 * w + i);
          const got = ring.subarray(base + R * obsSize + i * 7, base + R * obsSize + i * 7 + 7);
          // f32 on the GPU against f64 on the host: |Δ| ≤ 1e-5 (actions are at most 0.03 m and 0.25 rad).
          for (let k = 0; k < 7; k++) expect(Math.abs(got[k] - want[k]), `world ${w} step ${i} action ${k}: ${got[k]} vs ${want[k]}`).toBeLessThanOrEqual(1e-5);
        }
        // The last recorded row is the Sim's output row now, bit for bit; a held world's row did not change.
        const row = outputs.subarray(w * strideWords + obsOffsetWords, w * strideWords + obsOffsetWords + obsSize);
        if (counts[w] === 0) expect(row).toEqual(outputsBefore.subarray(w * strideWords + obsOffsetWords, w * strideWords + obsOffsetWords + obsSize));
        else expect(ringU32.subarray(base + (counts[w] - 1) * obsSize, base + counts[w] * obsSize)).toEqual(row);
      }
    } finally {
      follower.destroy();
      await sim.dispose();
    }
  });

  it('follows the host loop: the same attempts end the same way, actions equal to f32 rounding', async () => {
    const attempts = 16;
    const host = await generate('host', 8, attempts);
    const gpu = await generate('gpu', 8, attempts);
    expect(gpu.map((r) => r.index)).toEqual(host.map((r) => r.index));
    let same = 0;
    for (let k = 0; k < attempts; k++) {
      const a = host[k].episode;
      const b = gpu[k].episode;
      if (a.length === b.length && a.success === b.success && host[k].end === gpu[k].end) same++;
      // The first steps, before the f32 differences can grow through the contacts.
      expect(maxDiff(a.actions, b.actions, 10, 7), `attempt ${k}`).toBeLessThan(1e-5);
      expect(b.subtaskStarts[1], `attempt ${k}`).toBe(a.subtaskStarts[1]);
    }
    // Chaotic contact dynamics may turn an f32 difference into another outcome now and then.
    expect(same).toBeGreaterThanOrEqual(attempts - 1);
    expect(gpu.filter((r) => r.episode.success).length).toBeGreaterThanOrEqual(attempts - 2);
  });

  it('gives the same trajectories bit for bit whatever the chunk size and the batch size', async () => {
    const attempts = 10;
    const a = await generate('gpu', 8, attempts, { chunk: 16 });
    const b = await generate('gpu', 3, attempts, { chunk: 5 });
    for (let k = 0; k < attempts; k++) {
      expect(b[k].end, `attempt ${k}`).toBe(a[k].end);
      expect(b[k].episode, `attempt ${k}`).toEqual(a[k].episode);
    }
  });

  it('ends attempts that run too long, and attempts whose object leaves the workspace, as the host loop does', async () => {
    // 40 steps cut every attempt during its place subtask (a chunk of 16 ends at 48).
    const tooLong = await generate('gpu', 4, 4, { config: { maxAttemptSteps: 40 }, chunk: 16 });
    for (const r of tooLong) {
      expect(r.end).toBe('tooLong');
      expect(r.episode.length).toBe(40);
      expect(r.episode.success).toBe(false);
    }
    const expert = await recordExpertDemos({ count: 2, randomization: 'narrow', seed: 0, threads: 0 });
    const carry = { demos: [expert[0], carryOff(expert[1])], randomization: 'narrow' };
    const host = await generate('host', 4, 8, carry);
    const gpu = await generate('gpu', 4, 8, carry);
    expect(gpu.some((r) => r.end === 'objectOutsideWorkspace')).toBe(true);
    for (let k = 0; k < 8; k++) {
      expect(gpu[k].end, `attempt ${k}`).toBe(host[k].end);
      expect(gpu[k].episode.length, `attempt ${k}`).toBe(host[k].episode.length);
      expect(gpu[k].leftWorkspace?.object ?? null).toBe(host[k].leftWorkspace?.object ?? null);
      if (gpu[k].leftWorkspace) expect(gpu[k].leftWorkspace!.position[0]).toBeGreaterThan(0.8);
    }
  });

  it('generateDataset takes the GPU follower on webgpu by default and records it in the identity; asking for it elsewhere is refused', async () => {
    const out = join(dir, 'auto');
    const stats = await generateDataset({ demos, out, config: { numTrials: 4 }, worlds: 4, backend: 'webgpu', randomization: 'narrow', seed: 1 });
    expect(stats.follower).toBe('gpu');
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(JSON.stringify(manifest)).toContain('"follower":"gpu"');
    const host = await generateDataset({ demos, out: join(dir, 'host'), config: { numTrials: 4 }, worlds: 4, backend: 'webgpu', randomization: 'narrow', seed: 1, follower: 'host' });
    expect(host.follower).toBe('host');
    await expect(generateDataset({ demos, out: join(dir, 'rapier'), config: { numTrials: 1 }, worlds: 1, backend: 'rapier', threads: 0, follower: 'gpu' })).rejects.toThrow(
      /follower "gpu" needs the webgpu backend.*rapier/,
    );
  });
});
