/**
 * Observation history (policy/observation-history.ts): the rows training builds equal the rows an
 * acting policy builds step by step; a policy with history learns what one observation cannot
 * tell (here: the last step's motion), and every place that takes a policy file keeps or refuses
 * the history, naming it.
 */
import { describe, expect, it } from 'vitest';
import { historyEpisode, ObservationHistory, writeHistoryRow } from '../src/policy/observation-history.js';
import { trainPolicy, type TrainingEpisode } from '../src/policy/train.js';
import { decodePolicy, encodePolicy } from '../src/policy/policy-file.js';
import { policyToOnnx } from '../src/policy/onnx-export.js';
import { noise } from './synthetic-data.js';

describe('observation history rows', () => {
  it('are the current observation and its latest changes, the steps before the first taken equal to it', () => {
    // obsSize 2, three steps, history 3.
    const episode: TrainingEpisode = { obs: Float32Array.of(1, 10, 3, 14, 8, 11), actions: new Float32Array(21), length: 3 };
    const rows = historyEpisode(episode, 2, 3).obs;
    expect(Array.from(rows)).toEqual([
      /* t = 0 */ 1, 10, 0, 0, 0, 0,
      /* t = 1 */ 3, 14, 2, 4, 0, 0,
      /* t = 2 */ 8, 11, 5, -3, 2, 4,
    ]);
    expect(historyEpisode(episode, 2, 1)).toBe(episode);
    const out = new Float32Array(5).fill(NaN);
    writeHistoryRow(episode.obs, (k) => [4, 2][k], 2, 2, out, 1);
    expect(Array.from(out.subarray(1))).toEqual([8, 11, 5, -3]);
  });

  it('built step by step for several worlds equal the training rows of each world, bit for bit', () => {
    const obsSize = 3;
    const numWorlds = 4;
    const steps = 7;
    const obsOf = (w: number, t: number) => Array.from({ length: obsSize }, (_, i) => 0.37 * noise(5, w * 100 + t, i) + t * 0.01);
    for (const history of [1, 2, 4]) {
      const acting = new ObservationHistory(obsSize, history, numWorlds);
      const got: Float32Array[] = [];
      for (let t = 0; t < steps; t++) {
        const obs = Float32Array.from({ length: numWorlds * obsSize }, (_, j) => obsOf(Math.floor(j / obsSize), t)[j % obsSize]);
        got.push(acting.rows(obs).slice());
      }
      for (let w = 0; w < numWorlds; w++) {
        const episode: TrainingEpisode = {
          obs: Float32Array.from({ length: steps * obsSize }, (_, j) => obsOf(w, Math.floor(j / obsSize))[j % obsSize]),
          actions: new Float32Array(steps * 7),
          length: steps,
        };
        const want = historyEpisode(episode, obsSize, history).obs;
        const width = obsSize * history;
        for (let t = 0; t < steps; t++) {
          expect(Array.from(got[t].subarray(w * width, (w + 1) * width)), `history ${history}, world ${w}, step ${t}`).toEqual(Array.from(want.subarray(t * width, (t + 1) * width)));
        }
      }
    }
  });
});

/**
 * Episodes in which the action is the last step's motion (×10) of a random walk: one observation
 * (the position) cannot tell it, the position and its latest change can.
 */
function motionEpisodes(count: number, length: number): TrainingEpisode[] {
  return Array.from({ length: count }, (_, e) => {
    const obs = new Float32Array(length * 2);
    const actions = new Float32Array(length * 7);
    let x = noise(7, e, 0);
    let y = noise(7, e, 1);
    for (let t = 0; t < length; t++) {
      const dx = t === 0 ? 0 : 0.05 * noise(8, e * length + t, 0);
      const dy = t === 0 ? 0 : 0.05 * noise(8, e * length + t, 1);
      x += dx;
      y += dy;
      obs.set([x, y], t * 2);
      actions.set([10 * dx, 10 * dy, 0, 0, 0, 0, -1], t * 7);
    }
    return { obs, actions, length };
  });
}

describe('a policy with observation history', () => {
  const episodes = motionEpisodes(30, 40);
  const train = (history: number) => trainPolicy({ episodes, obsSize: 2, history, hidden: [32, 32], steps: 600, batchSize: 64, lr: 3e-3, seed: 4 });
  const tail = (loss: Float32Array) => loss.slice(-50).reduce((s, v) => s + v, 0) / 50;

  it('learns what one observation cannot tell: the loss on the motion falls far below the history-less policy', () => {
    const without = train(1);
    const withHistory = train(2);
    expect(withHistory.policy.spec.history).toBe(2);
    expect(withHistory.policy.normalization.obs.mean.length).toBe(4);
    expect(without.policy.spec).not.toHaveProperty('history');
    // Without history the two motion columns are noise to the network (normalized loss near 2/7).
    expect(tail(without.lossHistory)).toBeGreaterThan(0.2);
    expect(tail(without.lossHistory) / tail(withHistory.lossHistory)).toBeGreaterThan(5);
  });

  it('acts through actor(numWorlds) on raw observations as on the training rows; act() refuses, naming actor', () => {
    const { policy } = train(2);
    expect(() => policy.act(episodes[0].obs.subarray(0, 2))).toThrow(/observation history of 2 steps.*policy\.actor\(numWorlds\)/);
    const actor = policy.actor(2);
    const rows = [historyEpisode(episodes[0], 2, 2).obs, historyEpisode(episodes[1], 2, 2).obs];
    for (let t = 0; t < 5; t++) {
      const obs = Float32Array.of(...episodes[0].obs.subarray(t * 2, t * 2 + 2), ...episodes[1].obs.subarray(t * 2, t * 2 + 2));
      const got = actor.act(obs, 2, new Float32Array(14)) as Float32Array;
      const want = policy.actOnRows(Float32Array.of(...rows[0].subarray(t * 4, t * 4 + 4), ...rows[1].subarray(t * 4, t * 4 + 4)), 2);
      expect(Array.from(got)).toEqual(Array.from(want));
    }
    expect(() => actor.act(new Float32Array(6), 3, new Float32Array(21))).toThrow(/made for 2 worlds, asked for 3/);
  });

  it('round-trips through the policy file; a bad history is named; the ONNX export refuses it', () => {
    const { policy } = trainPolicy({ episodes, obsSize: 2, history: 3, hidden: [8], steps: 5, batchSize: 16, seed: 1 });
    const text = encodePolicy(policy);
    const decoded = decodePolicy(text);
    expect(decoded.spec).toEqual(policy.spec);
    expect(decoded.normalization.obs.std.length).toBe(6);
    const obs = Float32Array.of(0.1, 0.2);
    expect(Array.from(decoded.actor(1).act(obs, 1, new Float32Array(7)) as Float32Array)).toEqual(Array.from(policy.actor(1).act(obs, 1, new Float32Array(7)) as Float32Array));
    const file = JSON.parse(text);
    expect(() => decodePolicy(JSON.stringify({ ...file, history: 17 }))).toThrow(/history.*at most 16, got 17/);
    expect(() => decodePolicy(JSON.stringify({ ...file, history: 0 }))).toThrow(/history/);
    expect(() => decodePolicy(JSON.stringify({ ...file, history: 2 }))).toThrow(/normalization\.obs/);
    // A file without the field is a history-1 policy, as before the field existed.
    const plain = JSON.parse(encodePolicy(trainPolicy({ episodes, obsSize: 2, hidden: [8], steps: 5, batchSize: 16, seed: 1 }).policy));
    expect(plain).not.toHaveProperty('history');
    expect(() => policyToOnnx(policy)).toThrow(/observation history of 3 steps/);
  });
});
