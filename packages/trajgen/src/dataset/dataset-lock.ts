import { open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DatasetError } from './errors.js';

/** Name of the lock file a writer holds in its dataset directory. */
export const LOCK_FILE = '.writer.lock';

/** Who holds a dataset's lock. */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

/** Another process is writing the dataset. */
export class DatasetLockedError extends DatasetError {
  readonly holder: LockHolder;

  constructor(file: string, holder: LockHolder) {
    super(
      file,
      `${file}: the dataset is being written by process ${holder.pid} on ${holder.host} (since ${holder.startedAt}); ` +
        `wait for it to finish or stop it — two writers of one dataset would both do the work`,
    );
    this.name = 'DatasetLockedError';
    this.holder = holder;
  }
}

/** An exclusive, crash-safe lock on a dataset directory (released with `release`). */
export interface DatasetLock {
  release(): Promise<void>;
}

/**
 * Takes the exclusive writer lock of `dir`: creates `LOCK_FILE` (O_EXCL) naming this process.
 * A lock left by a process that no longer runs on this host (killed, crashed) is stale and taken
 * over; a live holder gets a {@link DatasetLockedError} naming it.
 */
export async function lockDataset(dir: string): Promise<DatasetLock> {
  const file = join(dir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let tries = 0; tries < 3; tries++) {
    try {
      const handle = await open(file, 'wx');
      try {
        await handle.writeFile(`${JSON.stringify(me)}\n`);
      } finally {
        await handle.close();
      }
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          await rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readHolder(file);
    if (holder && holder.host === me.host && isAlive(holder.pid)) throw new DatasetLockedError(file, holder);
    if (holder && holder.host !== me.host) throw new DatasetLockedError(file, holder);
    // Stale (its process is gone) or unreadable (a crash while writing it): take it over.
    await rm(file, { force: true });
  }
  throw new DatasetError(file, `${file}: could not take the dataset's writer lock (another writer keeps taking it)`);
}

async function readHolder(file: string): Promise<LockHolder | null> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as LockHolder;
    return Number.isSafeInteger(value.pid) && typeof value.host === 'string' ? value : null;
  } catch {
    return null;
  }
}

/** Whether process `pid` runs on this host (signal 0 checks without sending anything). */
function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
