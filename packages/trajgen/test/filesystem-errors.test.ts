/**
 * Dataset writes on a filesystem that is full or read-only — a real one: a tmpfs mounted for
 * the test (needs root and mount rights; skipped, saying so, where they are missing). The error
 * names the path and says what the code means; a full disk loses nothing: once there is space,
 * a resumed writer completes the dataset with every episode exactly once.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatasetWriter, openDataset } from '../src/index.js';
import { SOUND_WRITER_OPTIONS, soundEpisode } from './damaged-datasets/sound-dataset.js';

/** Whether this process may mount a tmpfs (root in a container that allows it). */
function canMountTmpfs(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'gripgen-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const MOUNTABLE = canMountTmpfs();
/** Steps per episode: ~40 KiB of floats per episode, so a 256 KiB disk fills in the third shard. */
const LENGTH = 200;
const ATTEMPTS = 12;

describe.skipIf(!MOUNTABLE)('dataset writes on a full or read-only filesystem (tmpfs; needs root and mount rights)', () => {
  let mountPoint: string | null = null;
  const mount = (options: string) => {
    mountPoint = mkdtempSync(join(tmpdir(), 'gripgen-tmpfs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', mountPoint]);
    return mountPoint;
  };
  afterEach(() => {
    if (!mountPoint) return;
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
    mountPoint = null;
  });

  it('disk full: the error names the file and says the disk is full; with space again, a resumed writer completes with every episode once', async () => {
    const dir = join(mount('size=256k'), 'dataset');
    const options = { ...SOUND_WRITER_OPTIONS, episodesPerShard: 2 };
    const writer = await createDatasetWriter(dir, options);
    let failure: Error | null = null;
    let attempt = 0;
    for (; attempt < ATTEMPTS && !failure; attempt++) {
      await writer.append(soundEpisode(attempt, LENGTH)).catch((error: Error) => (failure = error));
    }
    expect(failure, 'the disk never filled').not.toBeNull();
    expect(failure!.message).toMatch(new RegExp(`^cannot \\w[\\w ]* ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\S+: the disk is full \\(ENOSPC\\)$`));
    await writer.release();

    execFileSync('mount', ['-o', 'remount,size=16m', mountPoint!]);
    const resumed = await createDatasetWriter(dir, options);
    expect(resumed.resume.resumed).toBe(true);
    const kept = resumed.resume.keptAttempts;
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => i));
    for (let a = resumed.resume.nextAttempt; a < ATTEMPTS; a++) await resumed.append(soundEpisode(a, LENGTH));
    await resumed.close();

    const dataset = await openDataset(dir);
    const attempts: number[] = [];
    for await (const episode of dataset) {
      expect(Array.from(episode.obs)).toEqual(Array.from(soundEpisode(episode.attempt, LENGTH).obs));
      attempts.push(episode.attempt);
    }
    expect(attempts).toEqual(Array.from({ length: ATTEMPTS }, (_, i) => i));
  });

  it('read-only: refused before anything is written, naming the directory and saying the filesystem is read-only', async () => {
    const dir = join(mount('ro,size=64k'), 'dataset');
    await expect(createDatasetWriter(dir, SOUND_WRITER_OPTIONS)).rejects.toThrow(`cannot create the dataset directory ${dir}: the filesystem is read-only (EROFS)`);
  });
});
