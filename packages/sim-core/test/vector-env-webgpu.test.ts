/**
 * The Gymnasium vector env on WebGPU (pick-place's own kernel; SwiftShader where there is no
 * GPU): the same checks as on rapier (vector-env.test.ts), on a few worlds.
 */
import { describe, it } from 'vitest';
import { checkFault, checkObjectLeavesWorkspace, checkSeededRuns, checkSuccess, checkTimeLimit } from './vector-env-case.js';

describe('createVectorEnv on webgpu', () => {
  it('time limit: truncated at maxEpisodeSteps, then the next step resets every world', () => checkTimeLimit('webgpu'));
  it('success: terminated with reason success, then the next step resets that world', () => checkSuccess('webgpu'));
  it('an object leaving the workspace: terminated with its reason, then reset alone', () => checkObjectLeavesWorkspace('webgpu'));
  it('a fault: terminated with reason fault and the last observation, then reset to the next episode', () => checkFault('webgpu'));
  it('seeded runs are identical, also after reseeding another env', () => checkSeededRuns('webgpu'));
});
