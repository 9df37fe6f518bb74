import { access, constants, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Filesystem errors as a user reads them: the path, what was being done, and what the error code
 * means (a read-only filesystem, a full disk, a file where a directory should be) instead of a
 * raw `ENOENT … mkdir`.
 */

const MEANINGS: Readonly<Record<string, string>> = {
  ENOENT: 'a directory on the way does not exist',
  ENOTDIR: 'a file is in the way: a part of the path is a file, not a directory',
  EEXIST: 'a file is in the way: the path is a file, not a directory',
  EISDIR: 'the path is a directory, not a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the filesystem is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
};

/** An Error saying that `action` on `path` failed and why; the original error is its cause. */
export function fsError(error: unknown, action: string, path: string): Error {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const meaning = (code && MEANINGS[code]) ?? (error as Error).message;
  return new Error(`cannot ${action} ${path}: ${meaning}${code ? ` (${code})` : ''}`, { cause: error });
}

/** Runs `work`, turning a filesystem error into {@link fsError}. */
export async function withFsContext<T>(action: string, path: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (typeof (error as NodeJS.ErrnoException | null)?.code === 'string') throw fsError(error, action, path);
    throw error;
  }
}

/**
 * `mkdir -p` of `path`, its errors as {@link fsError} (`action` says what the directory is for,
 * e.g. "create the dataset directory"). A recursive mkdir reports ENOENT whatever stopped it (a
 * read-only filesystem, no permission); the real reason is found at the deepest existing ancestor.
 */
export async function makeDirectory(path: string, action = 'create the directory'): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException | null)?.code !== 'ENOENT') throw fsError(error, action, path);
    throw fsError((await ancestorError(path)) ?? error, action, path);
  }
}

/** Why nothing can be created under `path`'s deepest existing ancestor, or null if it is not known. */
async function ancestorError(path: string): Promise<unknown> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const info = await stat(dir).catch(() => null);
    if (info) {
      if (!info.isDirectory()) return Object.assign(new Error(`${dir} is a file`), { code: 'ENOTDIR' });
      return access(dir, constants.W_OK | constants.X_OK).then(
        () => null,
        (error: unknown) => error,
      );
    }
    if (dirname(dir) === dir) return null;
  }
}
