/**
 * The Gymnasium vector env on rapier: next-step autoreset after each way an episode ends, seeded
 * runs, config errors. The same checks on WebGPU: vector-env-webgpu.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createVectorEnv } from '../src/index.js';
import { checkFault, checkObjectLeavesWorkspace, checkSeededRuns, checkSuccess, checkTimeLimit } from './vector-env-case.js';

describe('createVectorEnv on rapier', () => {
  it('time limit: truncated at maxEpisodeSteps, then the next step resets every world', () => checkTimeLimit('rapier'));
  it('success: terminated with reason success, then the next step resets that world', () => checkSuccess('rapier'));
  it('an object leaving the workspace: terminated with its reason, then reset alone', () => checkObjectLeavesWorkspace('rapier'));
  it('a fault: terminated with reason fault and the last observation, then reset to the next episode', () => checkFault('rapier'));
  it('seeded runs are identical, also after reseeding another env', () => checkSeededRuns('rapier'));

  it('a bad config names the field, the value and what is allowed', async () => {
    await expect(createVectorEnv({ numWorlds: 2, backend: 'rapier', autoresetMode: 'same-step' as 'next-step' })).rejects.toThrow(
      /autoresetMode: .*"next-step".*; got "same-step"/,
    );
    await expect(createVectorEnv({ numWorlds: 2, backend: 'rapier', numEnvs: 2 } as never)).rejects.toThrow(/unknown key "numEnvs"; allowed: .*numWorlds/);
    await expect(createVectorEnv({ numWorlds: 0, backend: 'rapier' })).rejects.toThrow(/numWorlds: .*; got 0/);
  });

  it('step before reset, after close, and a bad seed are refused', async () => {
    const env = await createVectorEnv({ numWorlds: 2, backend: 'rapier', threads: 0 });
    await expect(env.step(new Float32Array(14))).rejects.toThrow(/call reset\(\) before the first step/);
    await expect(env.reset({ seed: -1 })).rejects.toThrow(/seed must be an integer in \[0, 4294967295\]; got -1/);
    await env.close();
    await expect(env.reset()).rejects.toThrow(/closed/);
  });
});
