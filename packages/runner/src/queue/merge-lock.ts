/**
 * The merge lock of a queued run (`<out>/.queue/merge.lock`): one merge at a time, on any
 * machine. Taken with an exclusive create; a lock whose process is gone from this host is stale
 * and taken over, one held on another host is respected.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { queueDir } from './plan.js';

/** A held merge lock. */
export interface MergeLock {
  release(): Promise<void>;
}

/** Takes the merge lock of `out`'s run; returns who holds it instead when another live process does. */
export async function takeMergeLock(out: string): Promise<MergeLock | { heldBy: string }> {
  const file = join(queueDir(out), 'merge.lock');
  const me = { pid: process.pid, host: hostname() };
  for (let tries = 0; tries < 3; tries++) {
    try {
      const handle = await open(file, 'wx');
      try {
        await handle.writeFile(`${JSON.stringify(me)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { release: () => rm(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readFile(file, 'utf8').then(
      (text) => JSON.parse(text) as { pid?: unknown; host?: unknown } | null,
      () => null,
    ).catch(() => null);
    if (holder && typeof holder.pid === 'number' && typeof holder.host === 'string') {
      if (holder.host !== me.host || isAlive(holder.pid)) return { heldBy: `process ${holder.pid} on ${holder.host}` };
    }
    await rm(file, { force: true });
  }
  throw new Error(`${file}: could not take the merge lock (another process keeps taking it)`);
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
