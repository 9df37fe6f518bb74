/**
 * Runs async tasks one at a time, in the order they were queued. Everything that touches the
 * live Sim (steps, restarts, replacing the source) goes through one queue: a Sim rejects a
 * call made while another is pending.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues `task`; the returned promise settles with its result once it has run. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
