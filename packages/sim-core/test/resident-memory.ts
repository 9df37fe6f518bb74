/**
 * Probes for the create/dispose memory tests: resident memory and OS threads of this process
 * after a full garbage collection (Linux: /proc/self/status), and a series of cycles.
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** Whether this system reports threads in /proc/self/status. */
export const HAS_PROC_STATUS = (() => {
  try {
    return /Threads:\s+\d+/.test(readFileSync('/proc/self/status', 'utf8'));
  } catch {
    return false;
  }
})();

/** OS threads of this process. */
export function osThreads(): number {
  return Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]);
}

/** Resident memory and threads after collecting garbage (freed native objects are released on collection). */
export async function settledUsage(): Promise<{ rssMiB: number; threads: number }> {
  for (let i = 0; i < 3; i++) {
    collect();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { rssMiB: process.memoryUsage().rss / 2 ** 20, threads: osThreads() };
}

/** Runs `cycle` `count` times; returns the settled usage after each (index 0: after cycle 1). */
export async function usageOverCycles(count: number, cycle: (index: number) => Promise<void>): Promise<Array<{ rssMiB: number; threads: number }>> {
  const usage = [];
  for (let i = 0; i < count; i++) {
    await cycle(i);
    usage.push(await settledUsage());
  }
  return usage;
}

/** `rss MiB/threads` per cycle, for failure messages. */
export function formatUsage(usage: ReadonlyArray<{ rssMiB: number; threads: number }>): string {
  return usage.map((u, i) => `${i + 1}:${u.rssMiB.toFixed(0)}/${u.threads}`).join(' ');
}
