/** An object that leaves the workspace ends its world's episode as a failure on the WebGPU scene solver (see object-workspace-case.ts). */
import { describe, it } from 'vitest';
import { checkObjectLeavingWorkspace } from './object-workspace-case.js';

describe('an object that leaves the workspace', () => {
  it('webgpu scene solver: ends the episode outside, then below the table; other worlds unchanged', () =>
    checkObjectLeavingWorkspace({ backend: 'webgpu', gpuProgram: 'scene' }, true), 120_000);
});
