/** Deterministic test data shared by the runner's policy tests. */
import { uniform01 } from '@gripgen/sim-core';
import type { TrainingEpisode } from '../src/policy/train.js';

/** Deterministic noise in [-1, 1). */
export function noise(seed: number, a: number, b: number): number {
  return 2 * uniform01(seed, a, b, 0) - 1;
}

/**
 * Synthetic dataset: obs in [-1, 1)^obsSize scaled per dimension, actions a fixed nonlinear
 * function of obs (tanh of a linear map, plus a product term) plus 1% noise, in units far from 0/1
 * so normalization matters.
 */
export function syntheticEpisodes(numEpisodes: number, length: number, obsSize: number): TrainingEpisode[] {
  const episodes: TrainingEpisode[] = [];
  for (let e = 0; e < numEpisodes; e++) {
    const obs = new Float32Array(length * obsSize);
    const actions = new Float32Array(length * 7);
    for (let t = 0; t < length; t++) {
      for (let i = 0; i < obsSize; i++) obs[t * obsSize + i] = 5 + (i + 1) * noise(1, e * length + t, i);
      for (let a = 0; a < 7; a++) {
        let lin = 0;
        for (let i = 0; i < obsSize; i++) lin += (noise(2, a, i) * (obs[t * obsSize + i] - 5)) / (i + 1);
        const x0 = obs[t * obsSize + (a % obsSize)] - 5;
        actions[t * 7 + a] = 100 + 10 * Math.tanh(lin) + 3 * x0 * x0 + 0.1 * noise(3, e * length + t, a);
      }
    }
    episodes.push({ obs, actions, length });
  }
  return episodes;
}
