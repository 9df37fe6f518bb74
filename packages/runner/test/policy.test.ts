import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import {
  createMlpWorkspace,
  initMlpParams,
  mlpBackwardMse,
  mlpForward,
  mlpLayerOffsets,
  mlpParameterCount,
  mlpSpec,
} from '../src/policy/mlp.js';
import { Adam } from '../src/policy/adam.js';
import { lrScale } from '../src/policy/lr-schedule.js';
import { fillActionChunk, trainPolicy } from '../src/policy/train.js';
import { decodePolicy, encodePolicy } from '../src/policy/policy-file.js';
import { loadPolicyFile, savePolicyFile } from '../src/policy/policy-file-node.js';
import { computeDimensionStats } from '../src/policy/normalization.js';
import { noise, syntheticEpisodes } from './synthetic-data.js';

describe('policy MLP', () => {
  it('has the documented parameter layout', () => {
    const spec = mlpSpec({ obsSize: 21, chunk: 2 });
    const layers = mlpLayerOffsets(spec);
    expect(layers.map((l) => [l.fanIn, l.fanOut])).toEqual([[21, 256], [256, 256], [256, 14]]);
    expect(layers[1].weight).toBe(21 * 256 + 256);
    expect(layers[0].bias).toBe(21 * 256);
    expect(mlpParameterCount(spec)).toBe(21 * 256 + 256 + 256 * 256 + 256 + 256 * 14 + 14);
  });

  it('backward pass matches central finite differences (float64, relative error < 1e-6)', () => {
    // Batch 6 and widths 7/6 exercise both the 4-blocked loops and their remainders.
    const spec = mlpSpec({ obsSize: 5, chunk: 2, actionSize: 3, hidden: [7, 6] });
    const batch = 6;
    const params = Float64Array.from(initMlpParams(spec, 11));
    // Non-zero biases, so the check covers them and the ReLU pattern is generic.
    for (const layer of mlpLayerOffsets(spec)) {
      for (let o = 0; o < layer.fanOut; o++) params[layer.bias + o] = 0.3 * noise(12, layer.bias, o);
    }
    const input = Float64Array.from({ length: batch * 5 }, (_, j) => noise(13, j, 0));
    const target = Float64Array.from({ length: batch * 6 }, (_, j) => noise(14, j, 0));
    const workspace = createMlpWorkspace(spec, batch, true);
    const grads = new Float64Array(params.length);
    mlpForward(spec, params, input, batch, workspace);
    mlpBackwardMse(spec, params, target, batch, workspace, grads);

    const scratch = new Float64Array(params.length);
    const lossAt = (p: Float64Array) => {
      mlpForward(spec, p, input, batch, workspace);
      return mlpBackwardMse(spec, p, target, batch, workspace, scratch);
    };
    const h = 1e-6;
    let worst = 0;
    let gradScale = 0;
    for (let j = 0; j < params.length; j++) gradScale = Math.max(gradScale, Math.abs(grads[j]));
    for (let j = 0; j < params.length; j++) {
      const p = Float64Array.from(params);
      p[j] = params[j] + h;
      const up = lossAt(p);
      p[j] = params[j] - h;
      const down = lossAt(p);
      const numeric = (up - down) / (2 * h);
      worst = Math.max(worst, Math.abs(numeric - grads[j]) / gradScale);
    }
    expect(gradScale).toBeGreaterThan(1e-3);
    expect(worst).toBeLessThan(1e-6);
  });

  it('forward of a batch equals the forward of each row alone, bit for bit', () => {
    const spec = mlpSpec({ obsSize: 21, chunk: 2, hidden: [33, 18] });
    const params = initMlpParams(spec, 9);
    const batch = 7;
    const input = Float32Array.from({ length: batch * 21 }, (_, j) => noise(17, j, 0));
    const all = Float32Array.from(mlpForward(spec, params, input, batch, createMlpWorkspace(spec, batch)));
    const single = createMlpWorkspace(spec, 1);
    for (let row = 0; row < batch; row++) {
      const out = mlpForward(spec, params, input.subarray(row * 21, (row + 1) * 21), 1, single);
      expect(Array.from(out)).toEqual(Array.from(all.subarray(row * 14, (row + 1) * 14)));
    }
  });

  it('float32 backward agrees with the float64 reference (relative error < 1e-4)', () => {
    const spec = mlpSpec({ obsSize: 21, hidden: [32, 32] });
    const batch = 16;
    const params32 = initMlpParams(spec, 5);
    const input = Float32Array.from({ length: batch * 21 }, (_, j) => noise(15, j, 0));
    const target = Float32Array.from({ length: batch * 7 }, (_, j) => noise(16, j, 0));
    const grads32 = new Float32Array(params32.length);
    const grads64 = new Float64Array(params32.length);
    mlpForward(spec, params32, input, batch, createMlpWorkspace(spec, batch));
    const ws32 = createMlpWorkspace(spec, batch);
    mlpForward(spec, params32, input, batch, ws32);
    mlpBackwardMse(spec, params32, target, batch, ws32, grads32);
    const ws64 = createMlpWorkspace(spec, batch, true);
    mlpForward(spec, Float64Array.from(params32), Float64Array.from(input), batch, ws64);
    mlpBackwardMse(spec, Float64Array.from(params32), Float64Array.from(target), batch, ws64, grads64);
    let scale = 0;
    let worst = 0;
    for (let j = 0; j < grads64.length; j++) scale = Math.max(scale, Math.abs(grads64[j]));
    for (let j = 0; j < grads64.length; j++) worst = Math.max(worst, Math.abs(grads32[j] - grads64[j]) / scale);
    expect(worst).toBeLessThan(1e-4);
  });
});

describe('Adam', () => {
  it('matches a hand-computed update for two steps', () => {
    const adam = new Adam(2, { lr: 0.1 });
    const params = Float32Array.of(1, -2);
    adam.step(params, [0.5, -4]);
    // Step 1: m̂ = g, v̂ = g², so p ← p − lr · g / (|g| + ε) = p − 0.1 · sign(g).
    expect(params[0]).toBeCloseTo(0.9, 6);
    expect(params[1]).toBeCloseTo(-1.9, 6);
    adam.step(params, [1, 2]);
    // Step 2, by hand for element 0: m = 0.9·0.05 + 0.1·1 = 0.145, v = 0.999·0.00025 + 0.001·1 = 0.00124975,
    // m̂ = 0.145 / 0.19, v̂ = 0.00124975 / 0.001999.
    const m0 = 0.145 / 0.19;
    const v0 = 0.00124975 / (1 - 0.999 ** 2);
    expect(params[0]).toBeCloseTo(Math.fround(0.9) - (0.1 * m0) / (Math.sqrt(v0) + 1e-8), 6);
    // Element 1: m = 0.9·(−0.4) + 0.1·2 = −0.16, v = 0.999·0.016 + 0.001·4 = 0.019984.
    const m1 = -0.16 / 0.19;
    const v1 = 0.019984 / (1 - 0.999 ** 2);
    expect(params[1]).toBeCloseTo(Math.fround(-1.9) - (0.1 * m1) / (Math.sqrt(v1) + 1e-8), 6);
    expect(adam.stepCount).toBe(2);
  });

  it('applies decoupled weight decay', () => {
    const adam = new Adam(1, { lr: 0.1, weightDecay: 0.5 });
    const params = Float32Array.of(2);
    adam.step(params, [0]);
    expect(params[0]).toBeCloseTo(2 - 0.1 * 0.5 * 2, 6);
  });
});

describe('learning-rate schedule', () => {
  it('cosine decays from 1 to near 0; constant stays 1; Adam scales the step and the weight decay', () => {
    expect(lrScale('cosine', 0, 100)).toBe(1);
    expect(lrScale('cosine', 50, 100)).toBeCloseTo(0.5, 12);
    expect(lrScale('cosine', 99, 100)).toBeCloseTo(0.5 * (1 + Math.cos((Math.PI * 99) / 100)), 12);
    expect(lrScale('cosine', 99, 100)).toBeLessThan(0.001);
    expect(lrScale('constant', 99, 100)).toBe(1);
    expect(() => lrScale('linear' as never, 0, 1)).toThrow(/unknown learning-rate schedule linear/);

    const params = new Float32Array([1, -2]);
    const adam = new Adam(2, { lr: 0.1, weightDecay: 0.5 });
    adam.step(params, [1, 1], 0);
    expect(Array.from(params)).toEqual([1, -2]); // η = 0: no step, no decay
    const half = new Float32Array([1, -2]);
    const full = new Float32Array([1, -2]);
    new Adam(2, { lr: 0.1, weightDecay: 0.5 }).step(half, [1, 1], 0.5);
    new Adam(2, { lr: 0.05, weightDecay: 0.5 }).step(full, [1, 1]);
    expect(Array.from(half)).toEqual(Array.from(full));
  });

  it('trainPolicy rejects an unknown schedule, naming it', () => {
    const episodes = [{ obs: new Float32Array(4), actions: new Float32Array(14), length: 2 }];
    expect(() => trainPolicy({ episodes, obsSize: 2, steps: 1, seed: 0, lrSchedule: 'step' as never })).toThrow(/lrSchedule must be one of constant, cosine/);
  });
});

describe('normalization', () => {
  it('floors tiny standard deviations at 1', () => {
    const stats = computeDimensionStats([Float32Array.of(1, 3, 1, 5), Float32Array.of(1, 7)], 2);
    expect(Array.from(stats.mean)).toEqual([1, 5]);
    expect(stats.std[0]).toBe(1);
    expect(stats.std[1]).toBeCloseTo(Math.sqrt(8 / 3), 6);
  });
});

describe('trainPolicy', () => {
  const episodes = syntheticEpisodes(20, 50, 6);

  it('drives the loss down by a large factor on a small synthetic dataset', () => {
    const { lossHistory, policy, samples } = trainPolicy({
      episodes,
      obsSize: 6,
      hidden: [64, 64],
      steps: 600,
      batchSize: 64,
      lr: 3e-3,
      seed: 1,
    });
    expect(samples).toBe(1000);
    const mean = (from: number, to: number) => lossHistory.slice(from, to).reduce((s, v) => s + v, 0) / (to - from);
    const first = mean(0, 10);
    const last = mean(580, 600);
    expect(first / last).toBeGreaterThan(20);
    // De-normalized actions are in dataset units: the error is small relative to each action's spread.
    const predicted = policy.act(episodes[0].obs.subarray(0, 6));
    const std = policy.normalization.action.std;
    for (let a = 0; a < 7; a++) {
      expect(std[a]).toBeGreaterThan(3);
      expect(Math.abs(predicted[a] - episodes[0].actions[a]) / std[a]).toBeLessThan(0.25);
    }
  });

  it('is deterministic: same seed gives bit-identical weights, another seed differs', () => {
    const options = { episodes, obsSize: 6, chunk: 3, hidden: [16], steps: 30, batchSize: 32, seed: 7 };
    const a = trainPolicy(options).policy.params;
    const b = trainPolicy(options).policy.params;
    const c = trainPolicy({ ...options, seed: 8 }).policy.params;
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
  });

  it('pads action chunks with the last action of the episode', () => {
    // Two episodes of 3 and 2 steps, actions of size 2, flattened as the trainer does.
    const actions = Float32Array.of(10, 11, 20, 21, 30, 31, /* episode 2 */ 40, 41, 50, 51);
    const chunk = (row: number, last: number) => Array.from(fillActionChunk(actions, row, last, 3, 2, new Float32Array(6)));
    expect(chunk(0, 2)).toEqual([10, 11, 20, 21, 30, 31]);
    expect(chunk(1, 2)).toEqual([20, 21, 30, 31, 30, 31]);
    expect(chunk(2, 2)).toEqual([30, 31, 30, 31, 30, 31]);
    expect(chunk(3, 4)).toEqual([40, 41, 50, 51, 50, 51]);
    expect(chunk(4, 4)).toEqual([50, 51, 50, 51, 50, 51]);
  });

  it('trains with action chunks (loss falls although future steps are only partly predictable)', () => {
    const { lossHistory } = trainPolicy({ episodes, obsSize: 6, chunk: 4, hidden: [32], steps: 200, batchSize: 64, lr: 3e-3, seed: 2 });
    expect(lossHistory[0] / lossHistory[lossHistory.length - 1]).toBeGreaterThan(2);
  });
});

describe('policy file', () => {
  const { policy } = trainPolicy({
    episodes: syntheticEpisodes(4, 20, 6),
    obsSize: 6,
    chunk: 2,
    hidden: [16, 8],
    steps: 20,
    batchSize: 16,
    seed: 3,
    obsNames: ['a', 'b', 'c', 'd', 'e', 'f'],
  });
  const obs = Float32Array.from({ length: 5 * 6 }, (_, j) => 5 + 3 * noise(20, j, 0));

  it('round-trips exactly through encode/decode and through a file', async () => {
    const decoded = decodePolicy(encodePolicy(policy));
    expect(decoded.spec).toEqual(policy.spec);
    expect(decoded.obsNames).toEqual(policy.obsNames);
    expect(Buffer.from(decoded.params.buffer).equals(Buffer.from(policy.params.buffer))).toBe(true);
    expect(Array.from(decoded.act(obs, 5))).toEqual(Array.from(policy.act(obs, 5)));

    const dir = mkdtempSync(join(tmpdir(), 'gripgen-policy-'));
    try {
      const path = join(dir, 'policy.json');
      await savePolicyFile(path, policy);
      const loaded = await loadPolicyFile(path);
      expect(Array.from(loaded.act(obs, 5))).toEqual(Array.from(policy.act(obs, 5)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects invalid files with an error naming the field', () => {
    const good = JSON.parse(encodePolicy(policy));
    const broken = (mutate: (file: any) => void) => {
      const file = structuredClone(good);
      mutate(file);
      return () => decodePolicy(JSON.stringify(file));
    };
    expect(broken((f) => (f.format = 'something-else'))).toThrow(/'format'/);
    expect(broken((f) => (f.version = 2))).toThrow(/'version'/);
    expect(broken((f) => (f.hidden = [16, -1]))).toThrow(/'hidden\[1\]'/);
    expect(broken((f) => f.normalization.obs.std.pop())).toThrow(/'normalization\.obs\.std' has 5 entries, expected 6/);
    expect(broken((f) => (f.normalization.action.std[0] = 0))).toThrow(/'normalization\.action\.std'/);
    expect(broken((f) => (f.obsNames = ['x']))).toThrow(/'obsNames'/);
    expect(broken((f) => (f.chunk = 3))).toThrow(/'parameterCount'/);
    expect(broken((f) => (f.weights.data = f.weights.data.slice(0, 40)))).toThrow(/'weights\.data'/);
    expect(broken((f) => (f.weights.data = '!!not base64!!'))).toThrow(/'weights\.data'/);
    expect(() => decodePolicy('{"format": ')).toThrow(/not valid JSON/);
  });
});
