/**
 * The shared damaged-dataset vectors (test/damaged-datasets): the TypeScript reader, the Python
 * reader (examples/python) and verifyDataset must each reject every damaged copy, naming the file
 * and the mismatch, and accept the sound dataset they were made from.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetWriter, DatasetError, LOCK_FILE, openDataset, verifyDataset, type DatasetManifest, type DatasetWriterOptions } from '../src/index.js';
import { DAMAGE_RULES } from './damaged-datasets/damage-rules.js';
import { episodeWithNaN, SOUND_ATTEMPTS, SOUND_WRITER_OPTIONS, soundEpisode, writeSoundDataset } from './damaged-datasets/sound-dataset.js';
import { writeDamagedDatasets, type DamagedDataset, type DamagedDatasets } from './damaged-datasets/write-damaged-datasets.js';
import { findPythonWithMsgpack } from './python-with-msgpack.js';

const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const scratch = mkdtempSync(join(tmpdir(), 'gripgen-damaged-'));
let written: DamagedDatasets;
beforeAll(async () => {
  written = await writeDamagedDatasets(join(scratch, 'vectors'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const NAMES = DAMAGE_RULES.map((rule) => rule.name);
const vector = (name: string): DamagedDataset => written.vectors.find((v) => v.name === name)!;

/** The error reading every episode of `dir` gives, or null if it reads. */
async function readError(dir: string, verifyChecksums: boolean): Promise<Error | null> {
  try {
    await (await openDataset(dir, { verifyChecksums })).toArray();
    return null;
  } catch (error) {
    return error as Error;
  }
}

/** Every file under `dir` (relative path) with its bytes, base64; the writer lock left out. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === LOCK_FILE) continue;
    const path = join(entry.parentPath, entry.name);
    files[path.slice(dir.length + 1)] = readFileSync(path).toString('base64');
  }
  return files;
}

/**
 * The writer options of the run that wrote the manifest in `dir` (its obsNames, actionNames and
 * seed slice where it has them), so that a resume gets past the configuration check and the
 * dataset's own checks decide.
 */
function resumeOptions(dir: string): DatasetWriterOptions {
  let manifest: Partial<DatasetManifest> = {};
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Partial<DatasetManifest>;
  } catch {
    // Missing or not JSON: the writer's own check refuses it.
  }
  const { obsNames, actionNames, shard } = { ...SOUND_WRITER_OPTIONS, ...manifest };
  return { ...SOUND_WRITER_OPTIONS, obsNames, actionNames, shard };
}

describe('damaged-dataset vectors', () => {
  it('hold one copy per rule, each with the file and the message a reader must give', () => {
    expect(new Set(NAMES).size).toBe(NAMES.length);
    expect(written.vectors.map((v) => v.name)).toEqual(NAMES);
    for (const v of written.vectors) {
      expect(v.file.startsWith(v.dir), v.name).toBe(true);
      expect(v.message.length, v.name).toBeGreaterThan(10);
    }
  });

  it('start from a sound dataset that both readers and verifyDataset accept', async () => {
    const dataset = await openDataset(written.sound);
    expect((await dataset.toArray()).map((e) => e.attempt)).toEqual([0, 1, 3, 4, 6, 7, 9]);
    expect(dataset.manifest.nextAttempt).toBe(SOUND_ATTEMPTS);
    const report = await verifyDataset(written.sound);
    expect(report).toMatchObject({ ok: true, problems: [], shards: 3, shardsOk: 3, episodes: 7, complete: true, taskId: 'pick-place' });
    expect(report.steps).toBe((await dataset.toArray()).reduce((sum, e) => sum + e.length, 0));
  });

  it.each(NAMES)('the TypeScript reader rejects %s, naming the file and the mismatch', async (name) => {
    const v = vector(name);
    const error = await readError(v.dir, true);
    expect(error, `${name} was accepted`).toBeInstanceOf(DatasetError);
    expect(error!.message).toContain(v.file);
    expect(error!.message).toContain(v.message);
    // Without the checksums, the manifest or the records must give the error (unless only the checksum can).
    const unverified = await readError(v.dir, false);
    if (v.unverified === null) {
      expect(unverified).toBeNull();
    } else {
      expect(unverified, `${name} was accepted without checksums`).toBeInstanceOf(DatasetError);
      expect(unverified!.message).toContain(v.file);
      expect(unverified!.message).toContain(v.unverified);
    }
  });

  it.each(NAMES)('verifyDataset reports %s', async (name) => {
    const v = vector(name);
    const report = await verifyDataset(v.dir);
    expect(report.ok).toBe(false);
    expect(report.problems.some((p) => p.file === v.file && p.message.includes(v.message)), JSON.stringify(report.problems)).toBe(true);
  });

  it.each(NAMES)('a resuming dataset writer refuses %s, naming the file and the mismatch, and writes nothing', async (name) => {
    const v = vector(name);
    const before = snapshot(v.dir);
    let error: Error | null = null;
    try {
      await (await createDatasetWriter(v.dir, resumeOptions(v.dir))).release();
    } catch (caught) {
      error = caught as Error;
    }
    expect(error, `${name} was resumed`).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).file).toBe(v.file);
    // A directory without its manifest is not taken for a new dataset either.
    expect(error!.message).toContain(name === 'manifest-missing' ? `${v.dir} is not empty and holds no manifest.json: not a gripgen dataset` : v.file);
    if (name !== 'manifest-missing') expect(error!.message).toContain(v.message);
    expect(snapshot(v.dir)).toEqual(before);
    expect(readdirSync(v.dir)).not.toContain(LOCK_FILE);
  });

  it('a resuming dataset writer continues the sound dataset, which stays complete until it seals more', async () => {
    const dir = join(scratch, 'resumed');
    await writeSoundDataset(dir);
    const before = snapshot(dir);
    const idle = await createDatasetWriter(dir, SOUND_WRITER_OPTIONS);
    expect(idle.resume).toMatchObject({ resumed: true, nextAttempt: SOUND_ATTEMPTS, sealedShards: 3 });
    await idle.release();
    expect(snapshot(dir)).toEqual(before);
    const writer = await createDatasetWriter(dir, SOUND_WRITER_OPTIONS);
    await writer.append(soundEpisode(SOUND_ATTEMPTS));
    await writer.flush();
    expect(writer.manifest.complete).toBe(false);
    await writer.close();
    expect(await verifyDataset(dir)).toMatchObject({ ok: true, episodes: 8, complete: true });
  });

  it('the Python reader rejects every vector the same way (examples/python/check_damaged_datasets.py)', () => {
    const python = findPythonWithMsgpack();
    const run = spawnSync(python, [join(REPO_ROOT, 'examples/python/check_damaged_datasets.py'), written.root, '--json'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as { ok: boolean; sound: { ok: boolean; episodes: number }; results: { name: string; verify: boolean; ok: boolean; error: string | null }[] };
    expect(report.sound).toMatchObject({ ok: true, episodes: 7 });
    expect(report.results.filter((r) => !r.ok)).toEqual([]);
    for (const v of written.vectors) expect(report.results.filter((r) => r.name === v.name).map((r) => r.verify)).toEqual([true, false]);
    expect(report.ok).toBe(true);
    expect(run.status).toBe(0);
  });
});

describe('verifyDataset', () => {
  it('reports non-finite values with the record, attempt, tensor and column, which the readers accept', async () => {
    const dir = join(scratch, 'nan');
    await writeSoundDataset(dir, episodeWithNaN);
    expect(await readError(dir, true)).toBeNull();
    const report = await verifyDataset(dir);
    expect(report).toMatchObject({ ok: false, shards: 3, shardsOk: 2, episodes: 7 });
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ file: join(dir, 'shards/shard-00001.msgpack'), shard: 1, record: 0 });
    expect(report.problems[0].message).toContain('shard-00001.msgpack: record 0 (attempt 4) at byte offset 0 holds non-finite values: obs 1 (first at step 1, "cube_x" = NaN)');
  });

  it('goes on past a problem: a damaged shard does not hide another one', async () => {
    const report = await verifyDataset(vector('shard-truncated').dir);
    expect(report.shardsOk).toBe(2);
    expect(report.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('checksum mismatch (file has'),
      expect.stringMatching(/record \d at byte offset \d+ could not be decoded: truncated/),
    ]);
    expect(report.episodes).toBe(5); // 3 + the record before the cut + 1
  });
});
