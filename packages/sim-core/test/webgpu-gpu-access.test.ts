/**
 * Sim.gpuAccess(): stepping with actions already on the GPU (SwiftShader in CI) gives the same
 * worlds as step(actions), and a non-finite GPU-side action is dropped and flagged without
 * touching the other worlds.
 */
import { describe, expect, it } from 'vitest';
import { readBuffer, type Sim } from '../src/index.js';
import { makeSim, pseudoRandomActions } from './helpers.js';

const NUM_WORLDS = 4;
const STEPS = 4;
/** World whose action of step NAN_STEP has a NaN gripper command on the GPU path. */
const NAN_WORLD = 1;
const NAN_STEP = 1;

const actionsOf = (step: number) => pseudoRandomActions(NUM_WORLDS, step);

/** The flags word of every world in the GPU output rows. */
async function readFlags(sim: Sim): Promise<number[]> {
  const access = sim.gpuAccess();
  const { strideWords, flagsOffsetWords } = access.outputLayout;
  const words = new Uint32Array(await readBuffer(access.device, access.outputs, 4 * strideWords * NUM_WORLDS));
  return Array.from({ length: NUM_WORLDS }, (_, w) => words[w * strideWords + flagsOffsetWords]);
}

describe('Sim.gpuAccess (webgpu backend)', () => {
  it('steps with GPU-resident actions like step(actions); a NaN action is dropped and flagged in its world only', async () => {
    const reference = await makeSim({ backend: 'webgpu', numWorlds: NUM_WORLDS });
    await reference.reset();
    for (let s = 0; s < STEPS - 1; s++) await reference.step(actionsOf(s));
    const want = await reference.step(actionsOf(STEPS - 1));
    const wantObs = want.obs.slice();
    await reference.dispose();

    const sim = await makeSim({ backend: 'webgpu', numWorlds: NUM_WORLDS });
    const access = sim.gpuAccess();
    expect(() => access.encodeStep(access.device.createCommandEncoder())).toThrow(/reset\(\)/);
    await sim.reset();
    const { device, outputLayout } = access;
    expect(outputLayout.obsSize).toBe(sim.spec.obsSize);
    expect(outputLayout.numSignals).toBe(sim.spec.signalNames.length);
    const rejectedBit = 1 << outputLayout.flagBits.actionRejected;
    for (let s = 0; s < STEPS - 1; s++) {
      const actions = actionsOf(s);
      if (s === NAN_STEP) actions[NAN_WORLD * 7 + 6] = Number.NaN;
      device.queue.writeBuffer(access.actions, 0, actions);
      const encoder = device.createCommandEncoder();
      access.encodeStep(encoder);
      device.queue.submit([encoder.finish()]);
      const flags = await readFlags(sim);
      for (let w = 0; w < NUM_WORLDS; w++) {
        expect((flags[w] & rejectedBit) !== 0, `world ${w} step ${s}`).toBe(s === NAN_STEP && w === NAN_WORLD);
        expect((flags[w] >>> outputLayout.flagBits.fault) & 1, `world ${w} step ${s} fault`).toBe(0);
      }
    }
    // The host path after GPU steps: ordered after them, and reads everything back.
    const got = await sim.step(actionsOf(STEPS - 1));
    expect(Array.from(got.stepCount)).toEqual(new Array(NUM_WORLDS).fill(STEPS));
    expect(Array.from(got.fault)).toEqual(new Array(NUM_WORLDS).fill(0));
    const obsSize = sim.spec.obsSize;
    for (let w = 0; w < NUM_WORLDS; w++) {
      const row = got.obs.subarray(w * obsSize, (w + 1) * obsSize);
      expect(row.every(Number.isFinite), `world ${w} obs finite`).toBe(true);
      if (w === NAN_WORLD) continue;
      // Bit-identical: the same kernel on the same actions, whichever way they reached the GPU.
      expect(Array.from(row), `world ${w}`).toEqual(Array.from(wantObs.subarray(w * obsSize, (w + 1) * obsSize)));
    }
    const unused = device.createCommandEncoder();
    await sim.dispose();
    expect(() => access.encodeStep(unused)).toThrow(/disposed/);
  });

  it('throws on the rapier backend, naming it', async () => {
    const sim = await makeSim({ backend: 'rapier', numWorlds: 1 });
    try {
      expect(() => sim.gpuAccess()).toThrow(/rapier/);
    } finally {
      await sim.dispose();
    }
  });

  it('a held world stands still through encodeStep (its output row bit for bit); the host step clears the holds', async () => {
    const sim = await makeSim({ backend: 'webgpu', numWorlds: NUM_WORLDS });
    try {
      const access = sim.gpuAccess();
      const { device } = access;
      await sim.reset();
      const rowBytes = 4 * access.outputLayout.strideWords;
      const before = new Uint8Array(await readBuffer(device, access.outputs, rowBytes * NUM_WORLDS));
      const held = 2;
      const holds = new Uint32Array(NUM_WORLDS);
      holds[held] = 1;
      device.queue.writeBuffer(access.holds, 0, holds);
      device.queue.writeBuffer(access.actions, 0, actionsOf(0));
      const encoder = device.createCommandEncoder();
      access.encodeStep(encoder);
      access.encodeStep(encoder);
      device.queue.submit([encoder.finish()]);
      const after = new Uint8Array(await readBuffer(device, access.outputs, rowBytes * NUM_WORLDS));
      for (let w = 0; w < NUM_WORLDS; w++) {
        const same = after.subarray(w * rowBytes, (w + 1) * rowBytes).every((b, i) => b === before[w * rowBytes + i]);
        expect(same, `world ${w} output row unchanged`).toBe(w === held);
      }
      // The host's step moves every world, the held one included.
      const r = await sim.step(actionsOf(1));
      expect(Array.from(r.stepCount)).toEqual(Array.from({ length: NUM_WORLDS }, (_, w) => (w === held ? 1 : 3)));
      expect(new Uint32Array(await readBuffer(device, access.holds, 4 * NUM_WORLDS))).toEqual(new Uint32Array(NUM_WORLDS));
    } finally {
      await sim.dispose();
    }
  });
});
