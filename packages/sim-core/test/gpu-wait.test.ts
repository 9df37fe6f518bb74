import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GpuWait } from '../src/index.js';

/** A GPU operation that completes `ms` after it starts (fake time); records when it started. */
function operation(ms: number, starts: number[]): () => Promise<void> {
  return () => {
    starts.push(performance.now());
    return new Promise<void>((done) => setTimeout(done, ms));
  };
}

describe('GpuWait (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Runs `wait` to completion, advancing fake time. */
  async function settle<T>(wait: Promise<T>): Promise<T> {
    await vi.runAllTimersAsync();
    return wait;
  }

  it('starts the first wait at once, later ones after 0.9 × the last wait of the same kind', async () => {
    const wait = new GpuWait(true);
    const starts: number[] = [];
    let t0 = performance.now();
    await settle(wait.run('step', operation(50, starts)));
    expect(starts[0]! - t0).toBe(0);
    expect(wait.estimate('step')).toBe(50);
    t0 = performance.now();
    await settle(wait.run('step', operation(50, starts)));
    expect(starts[1]! - t0).toBeCloseTo(45, 6);
    // The operation still had 50 ms to go after the sleep: the estimate is the whole wait.
    expect(wait.estimate('step')).toBeCloseTo(95, 6);
    // Another kind has its own estimate.
    t0 = performance.now();
    await settle(wait.run('params', operation(5, starts)));
    expect(starts[2]! - t0).toBe(0);
  });

  it('lowers the estimate when the work was done by the end of the sleep', async () => {
    const wait = new GpuWait(true);
    const starts: number[] = [];
    await settle(wait.run('step', operation(100, starts)));
    await settle(wait.run('step', operation(0, starts)));
    expect(wait.estimate('step')).toBeCloseTo(70, 6);
    await settle(wait.run('step', operation(0, starts)));
    expect(wait.estimate('step')).toBeCloseTo(49, 6);
  });

  it('never sleeps when told not to (browsers), and skips estimates under 2 ms', async () => {
    const wait = new GpuWait(false);
    const starts: number[] = [];
    await settle(wait.run('step', operation(50, starts)));
    const t0 = performance.now();
    await settle(wait.run('step', operation(50, starts)));
    expect(starts[1]! - t0).toBe(0);
    const short = new GpuWait(true);
    await settle(short.run('step', operation(1.5, starts)));
    const t1 = performance.now();
    await settle(short.run('step', operation(1.5, starts)));
    expect(starts[3]! - t1).toBe(0);
  });

  it('afterSubmit lets max submissions run ahead, then waits for the queue once; drain and settled', async () => {
    const wait = new GpuWait(true);
    let calls = 0;
    const queue = { onSubmittedWorkDone: () => (calls++, Promise.resolve()) } as unknown as GPUQueue;
    for (let s = 1; s <= 8; s++) await settle(wait.afterSubmit(queue, 'flight', 3));
    expect(calls).toBe(2); // after the 4th and the 8th submission
    await settle(wait.drain(queue, 'flight'));
    expect(calls).toBe(2); // nothing unwaited
    await settle(wait.afterSubmit(queue, 'flight', 3));
    await settle(wait.drain(queue, 'flight'));
    expect(calls).toBe(3);
    await settle(wait.afterSubmit(queue, 'flight', 3));
    wait.settled('flight'); // a readback waited for it
    await settle(wait.drain(queue, 'flight'));
    expect(calls).toBe(3);
  });
});
