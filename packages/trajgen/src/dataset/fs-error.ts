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
