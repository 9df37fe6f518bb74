/**
 * Policy evaluation with the policy fused into the webgpu step loop (src/evaluate/gpu/) against
 * the CPU loop (`BcPolicy.act` + `ChunkExecutor` + `sim.step`), on the WebGPU device
 * (SwiftShader on GPU-less machines).
 */
import { acquireGpu, createSim, readBuffer, Sim, uniform01, type SimGpuAccess } from '@gripgen/sim-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHUNK_EXECUTIONS, ChunkExecutor } from '../src/evaluate/chunk-executor.js';
import { evaluatePolicy, type PolicyEvaluation } from '../src/evaluate/evaluate-policy.js';
import { evaluatePolicyGpu } from '../src/evaluate/gpu/evaluate-policy-gpu.js';
import { GpuPolicyEvaluator } from '../src/evaluate/gpu/gpu-policy-evaluator.js';
import { initMlpParams, mlpLayerOffsets, mlpSpec, type MlpSpec } from '../src/policy/mlp.js';
import { BcPolicy } from '../src/policy/policy.js';
import { noise } from './synthetic-data.js';

const OBS_SIZE = 21;
const ACTION_SIZE = 7;
const CHUNK = 3;

/**
 * A random policy (obs 21, hidden [16, 8], chunk 3) with non-zero biases and normalization
 * statistics of the scale of pick-place observations and actions.
 */
function randomPolicy(seed: number): BcPolicy {
  const spec = mlpSpec({ obsSize: OBS_SIZE, actionSize: ACTION_SIZE, hidden: [16, 8], chunk: CHUNK });
  const params = initMlpParams(spec, seed);
  for (const layer of mlpLayerOffsets(spec)) {
    for (let o = 0; o < layer.fanOut; o++) params[layer.bias + o] = 0.3 * noise(seed, layer.bias, o);
  }
  const stats = (size: number, stream: number, meanScale: number, stdScale: number) => ({
    mean: Float32Array.from({ length: size }, (_, i) => meanScale * noise(seed + stream, i, 0)),
    std: Float32Array.from({ length: size }, (_, i) => stdScale * (0.2 + uniform01(seed + stream, i, 1, 0))),
  });
  return new BcPolicy({ spec, params, normalization: { obs: stats(OBS_SIZE, 1, 0.2, 0.1), action: stats(ACTION_SIZE, 2, 0.01, 0.02) } });
}

/**
 * A hand-built policy that reaches for the cube and grasps it, as an MLP of the same shape
 * (hidden [16, 8], ReLU, chunk 3), so closed-loop runs produce non-trivial sub-signals. With
 * e = cube − ee (obs 15–17) and closedness c = 0.08 − gripper opening (obs 7):
 * Δp_xy = g·e_xy, Δp_z = g·(e_z + |e_x| + |e_y|) + L·c (stay above the cube until over it, lift
 * once closed), gripper = 1 − K·(|e_x| + |e_y| + |e_z|) (close when near). |·| = relu(x) + relu(−x).
 * The weights are folded through non-trivial normalization statistics, so normalize and
 * de-normalize matter.
 */
function reachPolicy(): BcPolicy {
  const spec: MlpSpec = mlpSpec({ obsSize: OBS_SIZE, actionSize: ACTION_SIZE, hidden: [16, 8], chunk: CHUNK });
  const [l1, l2, l3] = mlpLayerOffsets(spec);
  const params = new Float32Array(l3.bias + l3.fanOut);
  const obsMean = Float32Array.from({ length: OBS_SIZE }, (_, i) => 0.05 * noise(7, i, 0));
  const obsStd = Float32Array.from({ length: OBS_SIZE }, (_, i) => 0.05 + 0.1 * uniform01(7, i, 1, 0));
  const actionMean = Float32Array.from({ length: ACTION_SIZE }, (_, d) => (d === 6 ? 0.2 : 0.002 * noise(8, d, 0)));
  const actionStd = Float32Array.from({ length: ACTION_SIZE }, (_, d) => (d === 6 ? 0.8 : 0.01 + 0.01 * uniform01(8, d, 1, 0)));
  // Layer 1 on raw obs x = std·x̂ + mean: W·x + b = (W·std)·x̂ + (b + W·mean).
  const unit = (o: number, terms: [obs: number, weight: number][], bias = 0) => {
    let b = bias;
    for (const [i, w] of terms) {
      params[l1.weight + o * l1.fanIn + i] = w * obsStd[i];
      b += w * obsMean[i];
    }
    params[l1.bias + o] = b;
  };
  unit(0, [[15, 1]]);
  unit(1, [[15, -1]]);
  unit(2, [[16, 1]]);
  unit(3, [[16, -1]]);
  unit(4, [[17, 1]]);
  unit(5, [[17, -1]]);
  unit(6, [[7, -1]], 0.08);
  for (let o = 0; o < 7; o++) params[l2.weight + o * l2.fanIn + o] = 1; // hidden 2 passes units 0–6 through
  const [g, lift, k] = [0.5, 1, 40];
  for (let j = 0; j < CHUNK; j++) {
    const row = (d: number, weights: number[], bias: number) => {
      const o = j * ACTION_SIZE + d;
      weights.forEach((w, i) => (params[l3.weight + o * l3.fanIn + i] = w / actionStd[d]));
      params[l3.bias + o] = (bias - actionMean[d]) / actionStd[d];
    };
    row(0, [g, -g], 0);
    row(1, [0, 0, g, -g], 0);
    row(2, [g, g, g, g, g, -g, lift], 0);
    for (let d = 3; d < 6; d++) row(d, [], 0);
    row(6, [-k, -k, -k, -k, -k, -k], 1);
  }
  const normalization = { obs: { mean: obsMean, std: obsStd }, action: { mean: actionMean, std: actionStd } };
  return new BcPolicy({ spec, params, normalization });
}

/** The observation rows on the GPU now (the Sim's output buffer). */
async function gpuObservations(access: SimGpuAccess): Promise<Float32Array> {
  const { strideWords, obsOffsetWords, obsSize } = access.outputLayout;
  const rows = new Float32Array(await readBuffer(access.device, access.outputs, 4 * strideWords * access.numWorlds));
  const obs = new Float32Array(access.numWorlds * obsSize);
  for (let w = 0; w < access.numWorlds; w++) obs.set(rows.subarray(w * strideWords + obsOffsetWords, w * strideWords + obsOffsetWords + obsSize), w * obsSize);
  return obs;
}

beforeAll(async () => {
  // Loads Dawn, which defines the WebGPU globals (GPUBuffer, …) the spies below patch.
  (await acquireGpu({ onNotice: () => {} })).release();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('GPU policy evaluation (webgpu backend)', () => {
  // Tolerance: |GPU − CPU| ≤ 1e-4 · action std (the network's output units) per entry. The CPU
  // reference sums each layer in f64 and rounds once per value; the kernels run in f32 (with
  // fused multiply-adds), so outputs differ by a few f32 ulps of the layer sums. Measured worst
  // on SwiftShader (7 steps × 16 worlds): first 3.4e-6, open-loop 4.3e-6, ensemble 3.3e-6.
  const TOLERANCE = 1e-4;
  const NUM_WORLDS = 16;
  const STEPS = 7;

  it('feeds the Sim the same actions as BcPolicy.act + ChunkExecutor, in every chunk-execution mode', async () => {
    const sim = await createSim({ task: 'pick-place', backend: 'webgpu', numWorlds: NUM_WORLDS, seed: 5, actionMode: 'delta' });
    const worst: Record<string, number> = {};
    try {
      const access = sim.gpuAccess();
      const { device } = access;
      // The gripper is binary, with levels either side of the median first prediction, so
      // snapping picks both levels.
      const unsnapped = randomPolicy(21);
      await sim.reset();
      const first = unsnapped.act(await gpuObservations(access), NUM_WORLDS);
      const gripper = Array.from({ length: NUM_WORLDS }, (_, w) => first[w * CHUNK * ACTION_SIZE + 6]).sort((x, y) => x - y);
      const median = gripper[NUM_WORLDS / 2];
      const levels = { index: 6, low: Math.fround(median - 0.5), high: Math.fround(median + 0.5) };
      const policy = new BcPolicy({ ...unsnapped, binaryActions: [levels] });
      for (const mode of CHUNK_EXECUTIONS) {
        await sim.reset();
        const evaluator = await GpuPolicyEvaluator.create(sim, policy, mode);
        const executor = new ChunkExecutor(mode, NUM_WORLDS, CHUNK, ACTION_SIZE, policy.binaryActions);
        worst[mode] = 0;
        const gripperLevels = new Set<number>();
        try {
          for (let s = 0; s < STEPS; s++) {
            const obs = await gpuObservations(access);
            if (executor.needsQuery()) executor.record(policy.act(obs, NUM_WORLDS));
            const want = executor.actions();
            device.queue.writeBuffer(access.actions, 0, new Float32Array(NUM_WORLDS * ACTION_SIZE).fill(Number.NaN));
            const encoder = device.createCommandEncoder();
            evaluator.encodeStep(encoder);
            device.queue.submit([encoder.finish()]);
            const got = new Float32Array(await readBuffer(device, access.actions, 4 * NUM_WORLDS * ACTION_SIZE));
            for (let w = 0; w < NUM_WORLDS; w++) gripperLevels.add(got[w * ACTION_SIZE + 6]);
            for (let j = 0; j < want.length; j++) {
              const error = Math.abs(got[j] - want[j]) / policy.normalization.action.std[j % ACTION_SIZE];
              expect(error, `${mode}, step ${s}, world ${Math.floor(j / ACTION_SIZE)}, entry ${j % ACTION_SIZE}: got ${got[j]}, want ${want[j]}`).toBeLessThanOrEqual(TOLERANCE);
              worst[mode] = Math.max(worst[mode], error);
            }
          }
          expect(evaluator.stepsEncoded).toBe(STEPS);
          // The binary gripper was snapped on the GPU, to both of its levels.
          expect([...gripperLevels].sort((x, y) => x - y)).toEqual([levels.low, levels.high]);
          // Random actions may blow a world up (a fault resets it; the reference reads the same
          // observations, so the comparison holds), but none was non-finite.
          const { flags } = await evaluator.readOutcomes();
          const rejected = 1 << access.outputLayout.flagBits.actionRejected;
          expect(Array.from(flags).filter((f) => (f & rejected) !== 0)).toEqual([]);
        } finally {
          evaluator.destroy();
        }
      }
    } finally {
      await sim.dispose();
    }
    console.log(`GPU vs CPU actions, worst |Δ| / action std over ${STEPS} steps × ${NUM_WORLDS} worlds: ${JSON.stringify(worst)}`);
  });

  it('a full evaluation with the policy on the GPU matches the CPU loop on the same backend, without policy.act or per-step readback', async () => {
    const policy = reachPolicy();
    const options = { policy, numWorlds: 32, steps: 40, seed: 3, backend: 'webgpu' as const, execution: 'ensemble' as const };
    const act = vi.spyOn(policy, 'act');
    const simStep = vi.spyOn(Sim.prototype, 'step');
    const mapAsync = vi.spyOn(GPUBuffer.prototype, 'mapAsync');

    const progress: number[] = [];
    const gpu = await evaluatePolicy({ ...options, onStep: (done) => progress.push(done) });
    expect(gpu.policyOnGpu).toBe(true);
    expect(act).not.toHaveBeenCalled();
    expect(simStep).not.toHaveBeenCalled();
    // reset() reads back outputs and parameters (2), the evaluation its latches once (1).
    const gpuReadbacks = mapAsync.mock.calls.length;
    expect(gpuReadbacks).toBeLessThanOrEqual(3);
    expect(progress).toEqual(Array.from({ length: 41 }, (_, i) => i));

    mapAsync.mockClear();
    const cpu = await evaluatePolicy({ ...options, policyOnGpu: false });
    expect(cpu.policyOnGpu).toBe(false);
    expect(act).toHaveBeenCalled();
    // The spy does count readbacks: the CPU loop reads back every step.
    expect(mapAsync.mock.calls.length).toBeGreaterThanOrEqual(options.steps);

    const summary = (e: PolicyEvaluation) => ({ successes: e.successes, faults: e.faults, signalRates: e.signalRates });
    console.log(`GPU loop: ${JSON.stringify(summary(gpu))}; CPU loop: ${JSON.stringify(summary(cpu))}; GPU readbacks ${gpuReadbacks}`);
    // The hand-built policy does something (else the comparison says little).
    expect(cpu.signalRates.isGrasped).toBeGreaterThan(0);
    // The actions differ by f32 rounding (previous test), which contact dynamics may amplify:
    // allowed, one world of 32 per count and rate. Measured on SwiftShader: identical
    // (0 successes, 0 faults, isGrasped 31/32, isLifted 32/32, isAtRest 32/32 in both loops).
    const oneWorld = 1 / options.numWorlds;
    expect(Math.abs(gpu.successes - cpu.successes)).toBeLessThanOrEqual(1);
    expect(Math.abs(gpu.faults - cpu.faults)).toBeLessThanOrEqual(1);
    for (const [name, rate] of Object.entries(cpu.signalRates)) {
      expect(Math.abs(gpu.signalRates[name] - rate), name).toBeLessThanOrEqual(oneWorld + 1e-12);
    }
  });

  it('rejects a policy that outputs non-finite actions, naming a world, and a GPU policy on the rapier backend', async () => {
    const broken = randomPolicy(4);
    broken.params[mlpLayerOffsets(broken.spec)[2].bias + 2] = Number.NaN; // action entry 2 of chunk entry 0
    await expect(evaluatePolicyGpu({ policy: broken, numWorlds: 4, steps: 2, seed: 9, execution: 'first' })).rejects.toThrow(
      /non-finite action in 4 world\(s\), first world 0/,
    );
    await expect(evaluatePolicy({ policy: broken, numWorlds: 1, steps: 1, seed: 9, backend: 'rapier', threads: 0, policyOnGpu: true })).rejects.toThrow(
      /policyOnGpu needs the webgpu backend/,
    );
  });
});
