/**
 * Crash-safe file replacement: write a temporary file in the same directory, fsync it, rename it
 * over the target, fsync the directory. A reader sees the old file or the new one, never a part.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { withFsContext } from './fs-error.js';

/** Marker in the names of temporary files (`.<name>.tmp-<random>`), so leftovers can be found. */
const TEMP_MARKER = '.tmp-';

/** Writes `data` to `file` atomically and durably (see the module comment). */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  return withFsContext('write', file, () => writeAtomic(file, data));
}

async function writeAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const directory = dirname(file);
  const temp = join(directory, `.${basename(file)}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}`);
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(directory);
}

/** Flushes a directory's entries (a rename inside it) to disk; a no-op where that is unsupported. */
export async function syncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    // Some platforms (Windows) cannot open or fsync a directory; the rename is still atomic there.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF' && code !== 'EACCES') throw error;
  } finally {
    await handle?.close();
  }
}

/** Whether `name` is a temporary file left by {@link writeFileAtomic}. */
export function isTempFileName(name: string): boolean {
  return name.startsWith('.') && name.includes(TEMP_MARKER);
}

/** Removes the temporary files {@link writeFileAtomic} left in `directory`; returns their paths. */
export function removeTempFiles(directory: string): Promise<string[]> {
  return removeFilesWhere(directory, isTempFileName);
}

/** Removes the files of `directory` whose name satisfies `remove`; returns their paths (none if the directory is absent). */
export async function removeFilesWhere(directory: string, remove: (name: string) => boolean): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const removed = names.filter(remove).map((name) => join(directory, name));
  for (const file of removed) await rm(file, { force: true });
  return removed;
}
