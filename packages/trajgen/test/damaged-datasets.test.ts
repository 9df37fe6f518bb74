/**
 * The shared damaged-dataset vectors (test/damaged-datasets): the TypeScript reader, the Python
 * reader (examples/python) and verifyDataset must each reject every damaged copy, naming the file
 * and the mismatch, and accept the sound dataset they were made from.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, openDataset, verifyDataset } from '../src/index.js';
import { DAMAGE_RULES } from './damaged-datasets/damage-rules.js';
import { episodeWithNaN, SOUND_ATTEMPTS, writeSoundDataset } from './damaged-datasets/sound-dataset.js';
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
