/**
 * Waiting for the GPU without keeping a host core busy.
 *
 * In Node, Dawn (the `webgpu` package) completes `mapAsync` and `onSubmittedWorkDone` by polling
 * its instance from the main thread with `setImmediate` for as long as one of them is pending, so
 * a whole core spins while the GPU works. On a GPU that core is lost to the host's own work; on
 * SwiftShader, whose "GPU" is this machine's CPU, it is taken from the kernels (measured on the
 * 2-core CI machine: 1024 pick-place worlds stepped 1.4× faster, with 35 % less process CPU, when
 * the wait slept first).
 *
 * {@link GpuWait.run} therefore sleeps (`setTimeout`: nothing pending, nothing polled) for most of
 * the time the same kind of wait took the last time, and only then starts the GPU operation. A
 * wait that turns out shorter than the sleep (the work had already finished) lowers the estimate;
 * so the sleep follows the GPU time down as well as up. Results are unchanged: only when the host
 * asks changes. Browsers do not poll this way, so there it starts the operation at once.
 */

/** Estimates below this (ms) are not worth a timer. */
const MIN_SLEEP_MS = 2;
/** The share of the estimate slept before the operation starts. */
const SLEEP_SHARE = 0.9;
/** A wait shorter than this after the sleep (ms) means the sleep was long enough or too long. */
const DONE_AT_ONCE_MS = 1;
/** How fast the estimate falls when the operation was already done after the sleep. */
const DECAY = 0.7;

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

export class GpuWait {
  private readonly estimates = new Map<string, number>();
  /** Submissions of each kind not yet waited for. */
  private readonly unwaited = new Map<string, number>();

  /** `sleeps`: whether to sleep before waiting (default: in Node, where Dawn polls). */
  constructor(private readonly sleeps = isNode) {}

  /**
   * Starts the GPU operation `start` (e.g. `() => staging.mapAsync(GPUMapMode.READ)`) after a
   * sleep of most of the time the last wait of kind `key` took, and returns its result.
   */
  async run<T>(key: string, start: () => Promise<T>): Promise<T> {
    const estimate = this.estimates.get(key) ?? 0;
    const t0 = performance.now();
    if (this.sleeps && estimate >= MIN_SLEEP_MS) await new Promise((r) => setTimeout(r, SLEEP_SHARE * estimate));
    const t1 = performance.now();
    const value = await start();
    const t2 = performance.now();
    this.estimates.set(key, t2 - t1 >= DONE_AT_ONCE_MS ? t2 - t0 : DECAY * estimate);
    return value;
  }

  /** The current estimate of a kind of wait (ms; 0 before its first wait). */
  estimate(key: string): number {
    return this.estimates.get(key) ?? 0;
  }

  /**
   * Call after each submit of a loop that does not read back: lets up to `max` submissions of
   * kind `key` run ahead of the host; at the next one it waits (as {@link run} does) until the
   * queue has finished everything, then counts from zero. Waiting when needed, and then for all,
   * instead of holding an `onSubmittedWorkDone` per submission, keeps Dawn from polling the whole
   * time the loop runs. The cost: the queue runs empty once every `max + 1` submissions (before,
   * the host waited for the oldest and kept `max` queued), a gap of the host's time to encode and
   * submit the next one — small against `max + 1` steps of GPU work, not yet measured on a GPU.
   */
  async afterSubmit(queue: GPUQueue, key: string, max: number): Promise<void> {
    const n = (this.unwaited.get(key) ?? 0) + 1;
    this.unwaited.set(key, n);
    if (n > max) await this.drain(queue, key);
  }

  /** Waits (as {@link run} does) until the queue has finished, if submissions of kind `key` are unwaited. */
  async drain(queue: GPUQueue, key: string): Promise<void> {
    if ((this.unwaited.get(key) ?? 0) === 0) return;
    this.unwaited.set(key, 0);
    await this.run(key, () => queue.onSubmittedWorkDone());
  }

  /** Forgets the submissions of kind `key` not yet waited for (a readback has waited for them). */
  settled(key: string): void {
    this.unwaited.set(key, 0);
  }
}
