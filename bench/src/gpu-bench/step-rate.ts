/**
 * `sim.step()` world-steps/s: the whole control step as a caller sees it (action upload and
 * check, dispatch, readback, unpacking), uniform random in-range delta actions, truncated worlds
 * reset (masked, timed) at the end of each episode.
 */
import type { Sim } from '@gripgen/sim-core';
import { fillRandomActions, mulberry32 } from '../rapier-throughput/random-actions.js';
import { stepRounds, type RoundPolicy, type StepRounds } from '../rounds/repeat.js';
import { resetTruncated, type ResetTally } from '../step-loop.js';

/** Measures `sim.step` on `sim` from a full reset (untimed), in rounds of `policy`. */
export async function measureSimStep(sim: Sim, policy: RoundPolicy): Promise<StepRounds> {
  const { numWorlds, actionSize, actionLimits } = sim.spec;
  const random = mulberry32(1);
  const actions = new Float32Array(numWorlds * actionSize);
  const mask = new Uint8Array(numWorlds);
  const tally: ResetTally = { resets: 0, faults: 0, resetMs: 0 };
  let r = await sim.reset();
  return stepRounds(async () => {
    r = await sim.step(fillRandomActions(actions, random, actionLimits));
    r = await resetTruncated(sim, r, mask, tally);
  }, numWorlds, policy);
}
