/**
 * Two-level action dimensions (the gripper command): detection from training data, snapping at
 * execution after chunk ensembling, and the policy file's `binaryActions` field.
 */
import { describe, expect, it } from 'vitest';
import { ChunkExecutor } from '../src/evaluate/chunk-executor.js';
import { detectBinaryActions, snapBinaryActions, snapToLevel } from '../src/policy/binary-actions.js';
import { decodePolicy, encodePolicy } from '../src/policy/policy-file.js';
import { BcPolicy } from '../src/policy/policy.js';
import { trainPolicy } from '../src/policy/train.js';
import { noise, syntheticEpisodes } from './synthetic-data.js';

describe('binary actions', () => {
  it('detects exactly the dimensions that take two values over all episodes', () => {
    // Dimension 0: two values split across arrays; 1: constant; 2: three values; 3: two values.
    const a = Float32Array.from([-1, 5, 0, 0.25, /**/ -1, 5, 1, 0.75]);
    const b = Float32Array.from([1, 5, 2, 0.25]);
    expect(detectBinaryActions([a, b], 4)).toEqual([
      { index: 0, low: -1, high: 1 },
      { index: 3, low: 0.25, high: 0.75 },
    ]);
    expect(detectBinaryActions([a], 4).map((d) => d.index)).toEqual([2, 3]);
  });

  it('snaps to the nearer level, the midpoint to the upper one', () => {
    const gripper = { index: 1, low: -1, high: 1 };
    expect([-0.9, -0.01, 0, 0.01, 3].map((v) => snapToLevel(v, gripper))).toEqual([-1, -1, 1, 1, 1]);
    const rows = Float32Array.from([0.5, -0.2, 0.7, 0.3]);
    expect(Array.from(snapBinaryActions(rows, 2, [gripper]))).toEqual(Array.from(Float32Array.from([0.5, -1, 0.7, 1])));
  });

  it('ChunkExecutor snaps after ensembling, so the ensemble votes', () => {
    // One world, chunk 2, action size 2; dimension 1 is binary (−1 / +1). Query 0 predicts +0.9
    // for step 1, query 1 predicts −0.8: the weighted mean is +0.05 (oldest weighted more), so the
    // step-1 command is +1, while either chunk snapped on its own would disagree.
    const binary = [{ index: 1, low: -1, high: 1 }];
    const ex = new ChunkExecutor('ensemble', 1, 2, 2, binary);
    ex.record(Float32Array.from([0.1, -0.3, 0.2, 0.9]));
    expect(Array.from(ex.actions())).toEqual(Array.from(Float32Array.from([0.1, -1])));
    ex.record(Float32Array.from([0.4, -0.8, 0.5, 0.6]));
    const step1 = ex.actions();
    const w = Math.exp(-0.01);
    expect(step1[0]).toBeCloseTo((0.2 + w * 0.4) / (1 + w), 6);
    expect(step1[1]).toBe(1);
    expect(() => new ChunkExecutor('first', 1, 2, 2, [{ index: 2, low: -1, high: 1 }])).toThrow(/binaryActions\[0\]\.index must be an integer in \[0, 2\)/);
  });

  it('training records the gripper dimension of ±1 data; the policy file keeps it', () => {
    const episodes = syntheticEpisodes(4, 20, 6).map((e) => {
      const actions = Float32Array.from(e.actions);
      for (let t = 0; t < e.length; t++) actions[t * 7 + 6] = noise(9, t, 0) > 0 ? 1 : -1;
      return { ...e, actions };
    });
    const { policy } = trainPolicy({ episodes, obsSize: 6, hidden: [8], steps: 5, batchSize: 8, seed: 1 });
    expect(policy.binaryActions).toEqual([{ index: 6, low: -1, high: 1 }]);
    const decoded = decodePolicy(encodePolicy(policy));
    expect(decoded.binaryActions).toEqual(policy.binaryActions);

    const file = JSON.parse(encodePolicy(policy));
    const withLevels = (binaryActions: unknown) => () => decodePolicy(JSON.stringify({ ...file, binaryActions }));
    expect(withLevels([{ index: 7, low: -1, high: 1 }])).toThrow(/'binaryActions' is invalid: binaryActions\[0\]\.index/);
    expect(withLevels([{ index: 6, low: 1, high: -1 }])).toThrow(/low < high/);
    expect(withLevels('gripper')).toThrow(/'binaryActions' must be an array/);
    // A file without the field (written before it existed) reads as no binary dimensions.
    const { binaryActions: _, ...older } = file;
    expect(decodePolicy(JSON.stringify(older)).binaryActions).toEqual([]);
    expect(() => new BcPolicy({ ...policy, binaryActions: [{ index: 6, low: 0, high: 0 }] })).toThrow(/BcPolicy: binaryActions\[0\]/);
  });
});
