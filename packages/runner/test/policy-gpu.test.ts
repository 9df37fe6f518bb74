/**
 * The WGSL training kernels of the BC policy (src/policy/gpu/) against the plain-TS reference,
 * run for real on the WebGPU device (SwiftShader on GPU-less machines). Output buffers are
 * poisoned with NaN before each dispatch, so a value a kernel fails to write shows up.
 */
import { composeWgsl, shaderSource } from '@gripgen/shaders';
import { acquireGpu, createBufferWithData, readBuffer, type GpuContext } from '@gripgen/sim-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adam } from '../src/policy/adam.js';
import { GpuAdam } from '../src/policy/gpu/gpu-adam.js';
import { GpuBatchGather } from '../src/policy/gpu/gpu-batch-gather.js';
import { GpuMlp } from '../src/policy/gpu/gpu-mlp.js';
import { GpuStepCounter } from '../src/policy/gpu/step-counter.js';
import { trainPolicyGpu } from '../src/policy/gpu/train-gpu.js';
import { createTrainingKernels, type TrainingKernels } from '../src/policy/gpu/training-kernels.js';
import { SAMPLE_INDEX_WGSL } from '../src/policy/gpu/wgsl/batch-gather.js';
import {
  createMlpWorkspace,
  initMlpParams,
  mlpBackwardMse,
  mlpForward,
  mlpLayerOffsets,
  mlpOutputSize,
  mlpSpec,
  type MlpSpec,
} from '../src/policy/mlp.js';
import { computeDimensionStats } from '../src/policy/normalization.js';
import { batchSampleIndex, fillActionChunk, flattenDataset, trainPolicy } from '../src/policy/train.js';
import { noise, syntheticEpisodes } from './synthetic-data.js';

function fillNaN(device: GPUDevice, buffer: GPUBuffer): void {
  device.queue.writeBuffer(buffer, 0, new Float32Array(buffer.size / 4).fill(Number.NaN));
}

async function readFloats(device: GPUDevice, buffer: GPUBuffer, count = buffer.size / 4): Promise<Float32Array> {
  return new Float32Array(await readBuffer(device, buffer, 4 * count));
}

function encodePass(device: GPUDevice, encode: (pass: GPUComputePassEncoder) => void): void {
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  encode(pass);
  pass.end();
  device.queue.submit([encoder.finish()]);
}

/** Largest |a − b| / scale over all entries; fails on a NaN or a length mismatch. */
function worstError(got: ArrayLike<number>, want: ArrayLike<number>, scale: (j: number) => number): number {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let j = 0; j < want.length; j++) {
    const error = Math.abs(got[j] - want[j]) / scale(j);
    if (!(error <= worst)) worst = Number.isNaN(error) ? Infinity : error;
  }
  return worst;
}

let gpu: GpuContext;
let kernels: TrainingKernels;
beforeAll(async () => {
  gpu = await acquireGpu({ onNotice: () => {} });
  kernels = await createTrainingKernels(gpu.device);
});
afterAll(() => gpu?.release());

// Odd sizes everywhere, so every 4×4 register block has a partial edge.
const SPEC: MlpSpec = mlpSpec({ obsSize: 5, hidden: [8, 6], chunk: 2 });
const BATCH = 13;

/** Parameters with non-zero biases (so bias paths and a generic ReLU pattern are covered), an input and a target. */
function smallProblem(spec: MlpSpec, batch: number) {
  const params = initMlpParams(spec, 11);
  for (const layer of mlpLayerOffsets(spec)) {
    for (let o = 0; o < layer.fanOut; o++) params[layer.bias + o] = 0.3 * noise(12, layer.bias, o);
  }
  const input = Float32Array.from({ length: batch * spec.obsSize }, (_, j) => noise(13, j, 0));
  const target = Float32Array.from({ length: batch * mlpOutputSize(spec) }, (_, j) => noise(14, j, 0));
  return { params, input, target };
}

describe('dense layer kernels vs mlp.ts', () => {
  // Relative error, with outputs smaller than 0.1 in magnitude compared at 0.1: the TS reference
  // sums each output in f64 (rounding once), the kernel in f32, so an output that nearly cancels
  // (|y| ≪ the sum of |w·x|) carries an absolute error of a few f32 ulps of its terms.
  it('forward output matches mlpForward within 1e-5 relative (obs 5, hidden [8, 6], chunk 2, batch 13)', async () => {
    const { device } = gpu;
    const { params, input } = smallProblem(SPEC, BATCH);
    const mlp = new GpuMlp(device, kernels, SPEC, BATCH);
    device.queue.writeBuffer(mlp.params, 0, params);
    device.queue.writeBuffer(mlp.activations[0], 0, input);
    for (const buffer of mlp.activations.slice(1)) fillNaN(device, buffer);
    encodePass(device, (pass) => mlp.encodeForward(pass));
    const got = await readFloats(device, mlp.output);
    const want = mlpForward(SPEC, params, input, BATCH, createMlpWorkspace(SPEC, BATCH));
    const hidden = await readFloats(device, mlp.activations[1]);
    mlp.destroy();
    gpu.check();

    expect(got.length).toBe(BATCH * 14);
    expect(worstError(got, want, (j) => Math.max(Math.abs(want[j]), 0.1))).toBeLessThan(1e-5);
    // The ReLU really clamps some units (else the mask paths below test nothing).
    expect(hidden.filter((v) => v === 0).length).toBeGreaterThan(5);
  });

  it('gradients of every parameter match mlpBackwardMse within 1e-5 of the largest gradient of their layer block', async () => {
    const { device } = gpu;
    const { params, input, target } = smallProblem(SPEC, BATCH);
    const mlp = new GpuMlp(device, kernels, SPEC, BATCH);
    device.queue.writeBuffer(mlp.params, 0, params);
    device.queue.writeBuffer(mlp.activations[0], 0, input);
    device.queue.writeBuffer(mlp.target, 0, target);
    for (const buffer of [mlp.grads, ...mlp.activations.slice(1), ...mlp.deltas]) fillNaN(device, buffer);
    encodePass(device, (pass) => {
      mlp.encodeForward(pass);
      mlp.encodeBackward(pass);
    });
    const got = await readFloats(device, mlp.grads);
    mlp.destroy();
    gpu.check();

    const workspace = createMlpWorkspace(SPEC, BATCH);
    const want = new Float32Array(params.length);
    mlpForward(SPEC, params, input, BATCH, workspace);
    mlpBackwardMse(SPEC, params, target, BATCH, workspace, want);
    // Scale: the largest |gradient| of the same block (one layer's weights, or its biases).
    const blockScale = new Float32Array(params.length);
    for (const layer of mlpLayerOffsets(SPEC)) {
      for (const [from, to] of [[layer.weight, layer.bias], [layer.bias, layer.bias + layer.fanOut]]) {
        let max = 0;
        for (let j = from; j < to; j++) max = Math.max(max, Math.abs(want[j]));
        blockScale.fill(max, from, to);
      }
    }
    expect(Math.min(...blockScale)).toBeGreaterThan(1e-4);
    expect(worstError(got, want, (j) => blockScale[j])).toBeLessThan(1e-5);
  });
});

describe('Adam kernel vs adam.ts', () => {
  // Adam.step computes each update in f64 from the f32 state, the kernel in f32. Parameters and v
  // (a sum of positive terms) agree to 1e-6 relative; m = β1·m + (1−β1)·g can cancel, so its
  // error is measured relative to the largest |g| the element saw.
  it('three steps (weight decay on) match Adam.step: params and v within 1e-6 relative, m within 1e-6 of max |g|', async () => {
    const { device } = gpu;
    const count = 1001;
    const params = Float32Array.from({ length: count }, (_, j) => 2 * noise(30, j, 0));
    const grads = [0, 1, 2].map((s) => Float32Array.from({ length: count }, (_, j) => (j % 7 === 0 ? 0 : 10 ** (2 * noise(31, j, s)) * noise(32, j, s))));
    const options = { lr: 0.01, beta1: 0.8, beta2: 0.99, weightDecay: 0.1 };
    const paramBuffer = createBufferWithData(device, params, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    const gradBuffer = createBufferWithData(device, grads[0], GPUBufferUsage.STORAGE);
    const counter = new GpuStepCounter(device);
    const adam = new GpuAdam(device, kernels, { params: paramBuffer, grads: gradBuffer, parameterCount: count }, counter.buffer, { ...options, maxSteps: 3 });
    const reference = new Adam(count, options);
    const want = Float32Array.from(params);
    for (let step = 0; step < 3; step++) {
      // The loss-reduce kernel advances the counter in training; here the host sets it.
      counter.set(step);
      device.queue.writeBuffer(gradBuffer, 0, grads[step]);
      encodePass(device, (pass) => adam.encode(pass));
      reference.step(want, grads[step]);
    }
    const got = await readFloats(device, paramBuffer);
    const m = await readFloats(device, adam.m);
    const v = await readFloats(device, adam.v);
    for (const b of [paramBuffer, gradBuffer]) b.destroy();
    adam.destroy();
    counter.destroy();
    gpu.check();

    // Params move by ~lr per step; 1e-6 × |p| is a few f32 ulps of p (|p| < 0.01 compared at 0.01).
    expect(worstError(got, want, (j) => Math.max(Math.abs(want[j]), 1e-2))).toBeLessThan(1e-6);
    const gradScale = (j: number) => Math.max(...grads.map((g) => Math.abs(g[j])), 1e-30);
    expect(worstError(m, reference.m, gradScale)).toBeLessThan(1e-6);
    expect(worstError(v, reference.v, (j) => Math.max(Math.abs(reference.v[j]), 1e-30))).toBeLessThan(1e-6);
    expect(got.some((p, j) => p !== params[j])).toBe(true);
  });
});

describe('mini-batch sampling on the GPU', () => {
  it('sampleIndex in WGSL gives the TS batchSampleIndex bit for bit (seeds, steps, rows, dataset sizes up to 2^29 − 1)', async () => {
    const { device } = gpu;
    const sizes = [1, 2, 3, 7, 1000, 20000, 65535, 65536, 65537, 2 ** 24 - 1, 2 ** 24, 2 ** 24 + 1, 123456789, 2 ** 28 + 3, 2 ** 29 - 1];
    const seeds = [0, 1, 12345, 0xdeadbeef, 0xffffffff];
    const keys: number[] = [];
    for (const samples of sizes) {
      for (const seed of seeds) for (let k = 0; k < 64; k++) keys.push(seed, (k * 7919) % 100003, k % 9 === 0 ? 0xffffffff - k : k * 31, samples);
    }
    const n = keys.length / 4;
    const code = composeWgsl('sample-index-probe', [], [
      { origin: 'hash-prng.wgsl', text: shaderSource('hash-prng') },
      { origin: 'sample-index', text: SAMPLE_INDEX_WGSL },
      {
        origin: 'probe',
        text: `@group(0) @binding(0) var<storage, read> keys: array<vec4u>; // seed, step, row, samples
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
const STREAM: u32 = 0x62617463u;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (gid.x >= arrayLength(&keys)) { return; }
  let k = keys[gid.x];
  out[gid.x] = sampleIndex(k.x, STREAM, k.y, k.z, k.w);
}`,
      },
    ]);
    const module = device.createShaderModule({ code: code.code });
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const keyBuffer = createBufferWithData(device, Uint32Array.from(keys), GPUBufferUsage.STORAGE);
    const out = createBufferWithData(device, new Uint32Array(n).fill(0xffffffff), GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [keyBuffer, out].map((buffer, binding) => ({ binding, resource: { buffer } })) });
    encodePass(device, (pass) => {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(Math.ceil(n / 64));
    });
    const got = new Uint32Array(await readBuffer(device, out));
    keyBuffer.destroy();
    out.destroy();
    gpu.check();
    const bad: string[] = [];
    for (let i = 0; i < n; i++) {
      const [seed, step, row, samples] = keys.slice(4 * i, 4 * i + 4);
      const want = batchSampleIndex(seed, step, row, samples);
      if (got[i] !== want && bad.length < 5) bad.push(`seed ${seed} step ${step} row ${row} samples ${samples}: gpu ${got[i]} ts ${want}`);
    }
    expect(bad).toEqual([]);
  });

  it('the gather kernel builds the mini-batches of trainPolicy bit for bit, chunks padded at episode ends', async () => {
    const { device } = gpu;
    const spec = mlpSpec({ obsSize: 5, chunk: 3, hidden: [4] });
    const episodes = syntheticEpisodes(7, 4, 5).map((e, i) => ({ ...e, length: 1 + (i % 4), obs: e.obs.subarray(0, 5 * (1 + (i % 4))), actions: e.actions.subarray(0, 7 * (1 + (i % 4))) }));
    const normalization = {
      obs: computeDimensionStats(episodes.map((e) => e.obs), 5),
      action: computeDimensionStats(episodes.map((e) => e.actions), 7),
    };
    const data = flattenDataset(episodes, 5, 7, normalization);
    const batch = 29;
    const seed = 4242;
    const mlp = new GpuMlp(device, kernels, spec, batch);
    const counter = new GpuStepCounter(device);
    const gather = new GpuBatchGather(device, kernels, data, mlp, counter.buffer, seed);
    const outSize = mlpOutputSize(spec);
    const wantObs = new Float32Array(batch * 5);
    const wantTarget = new Float32Array(batch * outSize);
    for (const step of [0, 1, 977]) {
      counter.set(step);
      fillNaN(device, mlp.activations[0]);
      fillNaN(device, mlp.target);
      encodePass(device, (pass) => gather.encode(pass));
      const gotObs = await readFloats(device, mlp.activations[0]);
      const gotTarget = await readFloats(device, mlp.target);
      for (let r = 0; r < batch; r++) {
        const sample = batchSampleIndex(seed, step, r, data.samples);
        wantObs.set(data.obs.subarray(sample * 5, (sample + 1) * 5), r * 5);
        fillActionChunk(data.actions, sample, data.lastIndex[sample], spec.chunk, 7, wantTarget, r * outSize);
      }
      expect(Array.from(gotObs), `obs, step ${step}`).toEqual(Array.from(wantObs));
      expect(Array.from(gotTarget), `targets, step ${step}`).toEqual(Array.from(wantTarget));
    }
    gather.destroy();
    counter.destroy();
    mlp.destroy();
    gpu.check();
  });
});

describe('trainPolicyGpu vs trainPolicy', () => {
  const episodes = syntheticEpisodes(20, 50, 6);
  const options = { episodes, obsSize: 6, chunk: 2, hidden: [32, 24], steps: 50, batchSize: 64, lr: 3e-3, weightDecay: 1e-4, seed: 5 };

  it('50 steps with the same seed: final parameters within 1e-4 of the largest |weight|, losses within 1e-5 relative, loss falls', async () => {
    const reference = trainPolicy(options);
    const progress: number[] = [];
    const result = await trainPolicyGpu({ ...options, device: gpu.device, lossReadbackEvery: 16, onProgress: (p) => progress.push(p.step) });
    gpu.check();

    expect(result.samples).toBe(reference.samples);
    expect(progress).toEqual(Array.from({ length: 50 }, (_, s) => s + 1));
    const want = reference.policy.params;
    const got = result.policy.params;
    const scale = want.reduce((m, p) => Math.max(m, Math.abs(p)), 0);
    // f32 sums run in another order on the GPU; Adam's sign-like steps carry the difference along.
    expect(worstError(got, want, () => scale)).toBeLessThan(1e-4);
    expect(worstError(result.lossHistory, reference.lossHistory, (s) => reference.lossHistory[s])).toBeLessThan(1e-5);
    const mean = (h: Float32Array, from: number, to: number) => h.slice(from, to).reduce((s, v) => s + v, 0) / (to - from);
    expect(mean(result.lossHistory, 0, 5) / mean(result.lossHistory, 45, 50)).toBeGreaterThan(2);
    expect(result.policy.normalization).toEqual(reference.policy.normalization);
  });

  it('with the cosine learning-rate schedule: same tolerances, and the parameters differ from the constant-rate run', async () => {
    const cosine = { ...options, lrSchedule: 'cosine' as const };
    const reference = trainPolicy(cosine);
    const result = await trainPolicyGpu({ ...cosine, device: gpu.device, lossReadbackEvery: 16 });
    gpu.check();
    const want = reference.policy.params;
    const scale = want.reduce((m, p) => Math.max(m, Math.abs(p)), 0);
    expect(worstError(result.policy.params, want, () => scale)).toBeLessThan(1e-4);
    expect(worstError(result.lossHistory, reference.lossHistory, (s) => reference.lossHistory[s])).toBeLessThan(1e-5);
    const constant = trainPolicy(options).policy.params;
    expect(worstError(constant, want, () => scale)).toBeGreaterThan(1e-3);
  });

  it('with an observation history of 3: the gather copies the history rows; same tolerances as without', async () => {
    const withHistory = { ...options, history: 3, steps: 30 };
    const reference = trainPolicy(withHistory);
    const result = await trainPolicyGpu({ ...withHistory, device: gpu.device, lossReadbackEvery: 16 });
    gpu.check();
    expect(result.policy.spec.history).toBe(3);
    expect(result.policy.normalization).toEqual(reference.policy.normalization);
    const want = reference.policy.params;
    const scale = want.reduce((m, p) => Math.max(m, Math.abs(p)), 0);
    expect(worstError(result.policy.params, want, () => scale)).toBeLessThan(1e-4);
    expect(worstError(result.lossHistory, reference.lossHistory, (s) => reference.lossHistory[s])).toBeLessThan(1e-5);
  });

  it('acquires (and releases) a device of its own when none is given', async () => {
    const result = await trainPolicyGpu({ ...options, steps: 3 });
    const reference = trainPolicy({ ...options, steps: 3 });
    expect(result.lossHistory.length).toBe(3);
    expect(worstError(result.lossHistory, reference.lossHistory, (s) => reference.lossHistory[s])).toBeLessThan(1e-5);
  });
});
