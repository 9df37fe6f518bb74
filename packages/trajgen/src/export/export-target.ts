/** Where an export goes: refusing to overwrite, publishing only complete output. */
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { makeDirectory } from '../dataset/fs-error.js';

/** The export's target already holds something and `overwrite` was not set. */
export class ExportTargetExistsError extends Error {
  override name = 'ExportTargetExistsError';
  constructor(
    /** The file or directory that exists. */
    readonly path: string,
    what: string,
  ) {
    super(`${path} already exists (${what}); choose another --out or pass --force to replace it`);
  }
}

/** `path` exists (file or directory). */
async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** A temporary name next to `path` (same directory, so a rename publishes it). */
export function stagingPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Checks that the file `path` may be written (absent, or `overwrite`); creates its directory. */
export async function prepareFileTarget(path: string, overwrite: boolean): Promise<void> {
  if (!overwrite && (await exists(path))) throw new ExportTargetExistsError(path, 'a file');
  await makeDirectory(dirname(path), 'create the export directory');
}

/** Checks that the directory `dir` may be written (absent, empty, or `overwrite`). */
export async function prepareDirectoryTarget(dir: string, overwrite: boolean): Promise<void> {
  if (overwrite || !(await exists(dir))) return;
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOTDIR') throw new ExportTargetExistsError(dir, 'a file, not a directory');
    throw error;
  });
  if (entries.length > 0) throw new ExportTargetExistsError(dir, `a directory holding ${entries.length} entries`);
}

/** Publishes the complete staging directory as `dir` (replacing what is there when `overwrite`). */
export async function publishDirectory(staging: string, dir: string, overwrite: boolean): Promise<void> {
  if (await exists(dir)) {
    if (overwrite) await rm(dir, { recursive: true, force: true });
    else await rmdir(dir);
  }
  await rename(staging, dir);
}
