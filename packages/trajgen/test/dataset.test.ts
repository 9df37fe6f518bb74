import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createDatasetWriter,
  DatasetChecksumError,
  DatasetConfigMismatchError,
  DatasetCorruptError,
  DatasetDamagedError,
  DatasetError,
  DatasetManifestError,
  DatasetLockedError,
  LOCK_FILE,
  openDataset,
  type DatasetWriterOptions,
  type Episode,
} from '../src/index.js';
import { findPythonWithMsgpack } from './python-with-msgpack.js';

const OBS_NAMES = ['eef_x', 'eef_y', 'eef_z', 'cube_x', 'cube_y'];
const ACTION_NAMES = ['dx', 'dy', 'dz', 'rx', 'ry', 'rz', 'gripper'];
const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

const scratch = mkdtempSync(join(tmpdir(), 'gripgen-dataset-'));
let dirCount = 0;
const freshDir = () => join(scratch, `dataset-${dirCount++}`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A synthetic episode whose every value depends on `attempt` (odd attempts failed). */
function makeEpisode(attempt: number, length = 4 + (attempt % 5)): Episode {
  const floats = (width: number, salt: number) =>
    Float32Array.from({ length: length * width }, (_, i) => Math.sin(attempt * 12.9898 + i * 78.233 + salt) * 1e3);
  const success = attempt % 2 === 0;
  const obs = floats(OBS_NAMES.length, 1);
  if (attempt === 3) {
    // Values only a bit-exact encoding keeps: -0, a NaN payload, infinities, a subnormal.
    const bits = new Uint32Array(obs.buffer);
    obs[0] = -0;
    bits[1] = 0x7fc01234;
    obs[2] = Infinity;
    obs[3] = -Infinity;
    bits[4] = 0x00000001;
  }
  return {
    attempt,
    world: { seed: 7, episode: Math.floor(attempt / 16), worldId: attempt % 16 },
    length,
    obs,
    actions: floats(ACTION_NAMES.length, 2),
    rewards: floats(1, 3),
    dones: Uint8Array.from({ length }, (_, t) => (t === length - 1 ? 1 : 0)),
    success,
    successStep: success ? length - 2 : -1,
    srcDemoIndices: [attempt % 10, (attempt + 3) % 10],
    srcDemoLabels: Int32Array.from({ length }, (_, t) => (t < 2 ? attempt % 10 : -(attempt % 7) - 2_000_000)),
    subtaskStarts: [0, 2],
    datagen: {
      eefPose: floats(7, 4),
      targetPose: floats(7, 5),
      objectPoses: { cube: floats(7, 6), bin: floats(7, 7) },
      gripperAction: floats(1, 8),
      signals: { isGrasped: Uint8Array.from({ length }, (_, t) => (t + attempt) % 2), objectInBin: new Uint8Array(length) },
    },
    certification: attempt % 3 === 0 ? null : { backend: attempt % 3 === 1 ? 'rapier' : 'webgpu', success },
  };
}

function writerOptions(overrides: Partial<DatasetWriterOptions> = {}): DatasetWriterOptions {
  return {
    config: { task: 'pick-place', generation: { numWorlds: 64, interpolationSteps: 5, keepFailures: true }, seeds: [7] },
    taskId: 'pick-place',
    seed: 7,
    shard: { index: 0, count: 1 },
    obsNames: OBS_NAMES,
    actionNames: ACTION_NAMES,
    sourceDemoIds: ['demo-0', 'demo-1', 'demo-2'],
    episodesPerShard: 3,
    ...overrides,
  };
}

/** Bytes of every typed array of an episode, and its plain fields, for bit-exact comparison. */
function fingerprint(episode: Episode): unknown {
  const bytes = (array: Float32Array | Uint8Array | Int32Array) => [array.constructor.name, Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('hex')];
  const named = (arrays: Record<string, Float32Array | Uint8Array>) => Object.entries(arrays).map(([name, array]) => [name, bytes(array)]);
  const { datagen } = episode;
  return {
    ...episode,
    obs: bytes(episode.obs),
    actions: bytes(episode.actions),
    rewards: bytes(episode.rewards),
    dones: bytes(episode.dones),
    srcDemoLabels: bytes(episode.srcDemoLabels),
    datagen: {
      eefPose: bytes(datagen.eefPose),
      targetPose: bytes(datagen.targetPose),
      objectPoses: named(datagen.objectPoses),
      gripperAction: bytes(datagen.gripperAction),
      signals: named(datagen.signals),
    },
  };
}

/** Writes the kept attempts of [from, to): attempts ≡ 2 (mod 3) are discarded, the rest appended. */
async function generate(writer: Awaited<ReturnType<typeof createDatasetWriter>>, from: number, to: number): Promise<void> {
  for (let attempt = from; attempt < to; attempt++) {
    if (attempt % 3 === 2) writer.discard(attempt, { success: attempt % 2 === 0 });
    else await writer.append(makeEpisode(attempt));
  }
}

const keptBelow = (to: number) => Array.from({ length: to }, (_, attempt) => attempt).filter((attempt) => attempt % 3 !== 2);

/** Leaves the writer lock of a process that has ended in `dir`, as a killed writer does. */
function leaveDeadLock(dir: string): void {
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: Number(dead.stdout), host: hostname(), startedAt: 'then' }));
}

async function expectRejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

describe('dataset writer and reader', () => {
  it('round-trips episodes bit for bit, shard by shard, with the manifest counts', async () => {
    const dir = freshDir();
    const writeAll = async (target: string) => {
      const writer = await createDatasetWriter(target, writerOptions());
      await generate(writer, 0, 11);
      await writer.append(makeEpisode(11, 4000)); // tensors over 64 KiB: msgpack bin32
      return { writer, manifest: await writer.close({ stats: { wallSeconds: 1.5, perSubtask: [0.9, 0.8] } }) };
    };
    const { writer, manifest } = await writeAll(dir);
    expect(writer.resume.resumed).toBe(false);

    const kept = [...keptBelow(11), 11];
    expect(manifest.complete).toBe(true);
    expect(manifest.counts).toEqual({
      attempts: 12,
      successes: 6,
      episodes: kept.length,
      failuresKept: kept.filter((attempt) => attempt % 2 === 1).length,
    });
    expect(manifest.nextAttempt).toBe(12);
    expect(manifest.shards.map((shard) => [shard.file, shard.episodes, shard.firstAttempt, shard.lastAttempt])).toEqual([
      ['shards/shard-00000.msgpack', 3, 0, 3],
      ['shards/shard-00001.msgpack', 3, 4, 7],
      ['shards/shard-00002.msgpack', 3, 9, 11],
    ]);
    expect(manifest.stats).toEqual({ wallSeconds: 1.5, perSubtask: [0.9, 0.8] });

    const dataset = await openDataset(dir);
    expect(dataset.count).toBe(kept.length);
    expect(dataset.manifest).toEqual(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
    expect(dataset.manifest.configHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const read: Episode[] = [];
    for await (const episode of dataset) read.push(episode);
    const expected = kept.map((attempt) => makeEpisode(attempt, attempt === 11 ? 4000 : undefined));
    expect(read.map(fingerprint)).toEqual(expected.map(fingerprint));
    expect(read[2].attempt).toBe(3);
    expect(Object.is(read[2].obs[0], -0)).toBe(true);
    expect(new Uint32Array(read[2].obs.buffer)[1]).toBe(0x7fc01234);

    // The same episodes give byte-identical shards.
    const again = await writeAll(freshDir());
    expect(again.manifest.shards.map((shard) => shard.sha256)).toEqual(manifest.shards.map((shard) => shard.sha256));
  });

  it('gives nested "first N" subsets in attempt order, and random access', async () => {
    const dir = freshDir();
    const writer = await createDatasetWriter(dir, writerOptions());
    await generate(writer, 0, 20);
    await writer.close();
    const dataset = await openDataset(dir);
    const all = keptBelow(20);

    const small = dataset.subset(4);
    const large = dataset.subset(9);
    expect(small.attempts).toEqual(all.slice(0, 4));
    expect(large.attempts).toEqual(all.slice(0, 9));
    expect(large.subset(4).attempts).toEqual(small.attempts);
    const smallEpisodes = await small.toArray();
    const largeEpisodes: Episode[] = [];
    for await (const episode of large) largeEpisodes.push(episode);
    expect(smallEpisodes.map(fingerprint)).toEqual(largeEpisodes.slice(0, 4).map(fingerprint));
    expect((await dataset.take(9)).map((episode) => episode.attempt)).toEqual(all.slice(0, 9));
    expect(await dataset.take(0)).toEqual([]);
    expect(() => dataset.subset(all.length + 1)).toThrow(`there are only ${all.length}`);

    expect(fingerprint(await dataset.get(7))).toEqual(fingerprint(makeEpisode(all[7])));
    expect((await dataset.get(0)).attempt).toBe(0);
    expect(dataset.indexOfAttempt(all[10])).toBe(10);
    expect(dataset.indexOfAttempt(2)).toBe(-1);
    await expect(dataset.get(all.length)).rejects.toThrow(RangeError);
  });

  it('resumes after a kill with no lost and no duplicated trajectory', async () => {
    const uninterruptedDir = freshDir();
    const uninterrupted = await createDatasetWriter(uninterruptedDir, writerOptions());
    await generate(uninterrupted, 0, 30);
    const reference = await uninterrupted.close({ stats: { run: 'once' } });

    const dir = freshDir();
    const first = await createDatasetWriter(dir, writerOptions());
    await generate(first, 0, 16); // 3 shards sealed (attempts 0–12), attempts 13–15 pending
    expect(first.manifest.shards).toHaveLength(3);
    expect(first.pendingEpisodes).toBe(2);
    // The run is killed: the writer is abandoned while writing shard 3, and an earlier crash
    // left a shard renamed but not yet listed, plus a half-written manifest.
    writeFileSync(join(dir, 'shards', '.shard-00003.msgpack.tmp-4242-deadbeef'), Buffer.from([0x8f, 0x01]));
    writeFileSync(join(dir, 'shards', 'shard-00003.msgpack'), Buffer.from('partial'));
    writeFileSync(join(dir, '.manifest.json.tmp-4242-cafef00d'), '{"schemaVer');
    leaveDeadLock(dir); // the killed process still "holds" the writer lock

    const second = await createDatasetWriter(dir, writerOptions());
    expect(second.resume.resumed).toBe(true);
    expect(second.resume.sealedShards).toBe(3);
    expect(second.resume.nextAttempt).toBe(13);
    expect(second.resume.keptAttempts).toEqual(keptBelow(13));
    expect(second.resume.counts).toEqual({ attempts: 13, successes: 7, episodes: 9, failuresKept: 4 });
    expect(second.resume.removedFiles.map((file) => file.slice(dir.length + 1)).sort()).toEqual([
      '.manifest.json.tmp-4242-cafef00d',
      'shards/.shard-00003.msgpack.tmp-4242-deadbeef',
      'shards/shard-00003.msgpack',
    ]);
    expect(() => second.discard(12, { success: false })).toThrow('every attempt below 13 is already done');
    await generate(second, second.resume.nextAttempt, 30);
    const resumed = await second.close({ stats: { run: 'once' } });

    const dataset = await openDataset(dir);
    expect(dataset.attempts).toEqual(keptBelow(30));
    expect(new Set(dataset.attempts).size).toBe(dataset.count);
    expect(resumed.counts).toEqual(reference.counts);
    // Same shard boundaries and bytes as the run that was never killed.
    expect(resumed.shards).toEqual(reference.shards);
    expect(readdirSync(join(dir, 'shards')).sort()).toEqual(reference.shards.map((shard) => shard.file.slice('shards/'.length)));
    expect((await dataset.toArray()).map(fingerprint)).toEqual(keptBelow(30).map((attempt) => fingerprint(makeEpisode(attempt))));
  });

  it('refuses to resume with another configuration and names the differing fields', async () => {
    const dir = freshDir();
    const writer = await createDatasetWriter(dir, writerOptions());
    await generate(writer, 0, 5);
    await writer.close();

    const base = writerOptions();
    const changed = { ...base.config, generation: { numWorlds: 128, interpolationSteps: 5, keepFailures: true } };
    const error = await expectRejection(createDatasetWriter(dir, { ...base, config: changed }));
    expect(error).toBeInstanceOf(DatasetConfigMismatchError);
    expect(error.message).toContain('config.generation.numWorlds: 64 in the dataset, 128 now');
    expect((error as DatasetConfigMismatchError).differences.map((d) => d.path)).toEqual(['config.generation.numWorlds']);

    const other = await expectRejection(createDatasetWriter(dir, { ...base, shard: { index: 1, count: 4 }, obsNames: [...OBS_NAMES, 'extra'] }));
    expect(other.message).toContain('shard.count: 1 in the dataset, 4 now');
    expect(other.message).toContain('obsNames');
    // Key order and the episodes per shard do not matter.
    const reordered = { seeds: [7], generation: { keepFailures: true, interpolationSteps: 5, numWorlds: 64 }, task: 'pick-place' };
    const resumed = await createDatasetWriter(dir, { ...base, config: reordered, episodesPerShard: 10 });
    expect(resumed.resume.keptAttempts).toEqual(keptBelow(5));
  });

  it('names the file and byte offset of a corrupt or truncated record, and checksum mismatches', async () => {
    const dir = freshDir();
    const writer = await createDatasetWriter(dir, writerOptions());
    await generate(writer, 0, 8);
    await writer.close();
    const shardFile = join(dir, 'shards', 'shard-00001.msgpack');
    const original = readFileSync(shardFile);
    const manifest = (await openDataset(dir)).manifest;
    const recordOffsets = await recordStarts(dir, 1);
    expect(recordOffsets[0]).toBe(0);

    // A reserved msgpack byte at the start of record 1.
    const corrupt = Buffer.from(original);
    corrupt[recordOffsets[1]] = 0xc1;
    writeFileSync(shardFile, corrupt);
    const checksum = await expectRejection((await openDataset(dir)).toArray());
    expect(checksum).toBeInstanceOf(DatasetChecksumError);
    expect(checksum.message).toContain(shardFile);
    expect(checksum.message).toContain(manifest.shards[1].sha256);
    expect((checksum as DatasetChecksumError).actual).not.toBe(manifest.shards[1].sha256);
    const decode = await expectRejection((await openDataset(dir, { verifyChecksums: false })).toArray());
    expect(decode).toBeInstanceOf(DatasetCorruptError);
    expect(decode.message).toContain(`${shardFile}: record 1 at byte offset ${recordOffsets[1]}`);
    expect((decode as DatasetCorruptError).offset).toBe(recordOffsets[1]);

    // A record that is valid msgpack but not an episode: its dtype string changed.
    const retyped = Buffer.from(original);
    const dtypeAt = retyped.indexOf('float32', recordOffsets[2]);
    retyped.write('float64', dtypeAt);
    writeFileSync(shardFile, retyped);
    await expect((await openDataset(dir, { verifyChecksums: false })).toArray()).rejects.toThrow(
      `record 2 at byte offset ${recordOffsets[2]} could not be decoded: obs: expected dtype float32, got "float64"`,
    );

    // Truncated in the middle of record 2.
    writeFileSync(shardFile, original);
    truncateSync(shardFile, recordOffsets[2] + 100);
    const truncated = await expectRejection((await openDataset(dir)).toArray());
    expect(truncated).toBeInstanceOf(DatasetChecksumError);
    expect(truncated.message).toContain('truncated');
    const unverified = await openDataset(dir, { verifyChecksums: false });
    const episodesBefore: number[] = [];
    const error = await expectRejection((async () => {
      for await (const episode of unverified) episodesBefore.push(episode.attempt);
    })());
    expect(error).toBeInstanceOf(DatasetCorruptError);
    expect(error.message).toMatch(new RegExp(`shard-00001\\.msgpack: record 2 at byte offset ${recordOffsets[2]} could not be decoded: truncated`));
    expect(episodesBefore).toEqual(keptBelow(8).slice(0, 5));
    // The first shard alone still reads.
    expect((await unverified.take(3)).map((episode) => episode.attempt)).toEqual(keptBelow(8).slice(0, 3));

    // A missing shard, and a resuming writer that finds a damaged shard.
    writeFileSync(shardFile, corrupt);
    const refused = await expectRejection(createDatasetWriter(dir, writerOptions()));
    expect(refused).toBeInstanceOf(DatasetDamagedError);
    expect(refused.message).toContain(`${shardFile}: checksum mismatch (contents differ)`);
    expect((refused as DatasetDamagedError).problems.map((p) => p.message)).toEqual([
      expect.stringContaining('checksum mismatch'),
      expect.stringContaining(`record 1 at byte offset ${recordOffsets[1]} could not be decoded`),
    ]);
    rmSync(shardFile);
    await expect((await openDataset(dir)).toArray()).rejects.toThrow(`${shardFile}: shard file is missing`);
  });

  it('explains a missing manifest, another schema version, and a non-dataset directory', async () => {
    const empty = freshDir();
    const missing = await expectRejection(openDataset(empty));
    expect(missing).toBeInstanceOf(DatasetManifestError);
    expect(missing.message).toContain('manifest.json not found: not a gripgen dataset directory');

    const dir = freshDir();
    await (await createDatasetWriter(dir, writerOptions())).close();
    const manifestFile = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, schemaVersion: 2 }));
    await expect(openDataset(dir)).rejects.toThrow('schemaVersion 2 is not supported');
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, kind: 'something-else' }));
    await expect(openDataset(dir)).rejects.toThrow('kind is "something-else", expected "gripgen-dataset"');
    writeFileSync(manifestFile, '{"schemaVersion": 1,');
    await expect(openDataset(dir)).rejects.toThrow('manifest.json is not valid JSON');

    const notDataset = freshDir();
    await (await createDatasetWriter(notDataset, writerOptions())).release(); // creates the directory
    rmSync(join(notDataset, 'manifest.json'));
    writeFileSync(join(notDataset, 'notes.txt'), 'mine');
    const refused = await expectRejection(createDatasetWriter(notDataset, writerOptions()));
    expect(refused).toBeInstanceOf(DatasetError);
    expect(refused.message).toContain('is not empty and holds no manifest.json');
  });

  it('refuses a manifest whose attempt bookkeeping disagrees with itself (no duplicates, no skipped attempts)', async () => {
    const dir = freshDir();
    const writer = await createDatasetWriter(dir, { ...writerOptions(), episodesPerShard: 4 });
    await generate(writer, 0, 14);
    await writer.close();
    const manifestFile = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    expect(manifest.nextAttempt).toBe(14);
    const tampered = async (edit: (m: typeof manifest) => void, message: string) => {
      const copy = JSON.parse(JSON.stringify(manifest));
      edit(copy);
      writeFileSync(manifestFile, JSON.stringify(copy));
      // Both the reader and a resuming writer refuse it, naming the file and the mismatch.
      const read = await expectRejection(openDataset(dir));
      expect(read).toBeInstanceOf(DatasetManifestError);
      expect(read.message).toContain(manifestFile);
      expect(read.message).toContain(message);
      await expect(createDatasetWriter(dir, writerOptions())).rejects.toThrow(message);
    };
    // A resume from 0 or 10 would redo attempts already kept (duplicates).
    await tampered((m) => (m.nextAttempt = 0), 'nextAttempt is 0 but the shards already hold attempt 13');
    await tampered((m) => (m.nextAttempt = 10), 'nextAttempt is 10 but the shards already hold attempt 13');
    // A resume from 400 would skip attempts 14–399 silently.
    await tampered((m) => (m.nextAttempt = 400), 'counts.attempts is 14 but nextAttempt 400 in seed slice 0/1 means 400 attempts were made');
    await tampered((m) => (m.shards[1].attempts = [...m.shards[1].attempts].reverse()), 'shards[1]');
    await tampered((m) => (m.counts.successes = 99), 'counts.successes (99) exceeds counts.attempts (14)');
    writeFileSync(manifestFile, JSON.stringify(manifest));
    expect((await openDataset(dir)).manifest.nextAttempt).toBe(14);
  });

  it('one writer per dataset: a second is refused naming the holder; a dead holder\'s lock is taken over', async () => {
    const dir = freshDir();
    const first = await createDatasetWriter(dir, writerOptions());
    const refused = await expectRejection(createDatasetWriter(dir, writerOptions()));
    expect(refused).toBeInstanceOf(DatasetLockedError);
    expect(refused.message).toContain(`being written by process ${process.pid}`);
    await generate(first, 0, 4);
    await first.release();
    // Released: the next writer resumes where the first stopped.
    const second = await createDatasetWriter(dir, writerOptions());
    expect(second.resume).toMatchObject({ resumed: true, nextAttempt: 4 });
    await second.release();
    // A lock left by a process that no longer runs (a kill -9) is stale.
    leaveDeadLock(dir);
    const third = await createDatasetWriter(dir, writerOptions());
    expect(third.resume.nextAttempt).toBe(4);
    await third.close();
    expect(readdirSync(dir)).not.toContain(LOCK_FILE);
  });

  it('validates episodes and attempt order when appending', async () => {
    const writer = await createDatasetWriter(freshDir(), writerOptions());
    const short = { ...makeEpisode(0), obs: new Float32Array(3) };
    await expect(writer.append(short)).rejects.toThrow('episode (attempt 0): obs has 3 values, expected length × 5 = 20');
    const badSignal = makeEpisode(0);
    badSignal.datagen.signals.isGrasped = new Uint8Array(1);
    await expect(writer.append(badSignal)).rejects.toThrow('datagen.signals.isGrasped has 1 values');
    await expect(writer.append(makeEpisode(4))).rejects.toThrow('the next attempt of seed slice 0/1 is 0; attempts may not be skipped');
    await writer.append(makeEpisode(0));
    await expect(writer.append(makeEpisode(0))).rejects.toThrow('every attempt below 1 is already done');
    expect(() => writer.discard(3, { success: true })).toThrow(RangeError);
    writer.discard(1, { success: true });
    const manifest = await writer.close();
    expect(manifest.counts).toEqual({ attempts: 2, successes: 2, episodes: 1, failuresKept: 0 });
    await expect(writer.append(makeEpisode(2))).rejects.toThrow('is closed');
  });
});

describe('Python reader (examples/python/read_dataset.py)', () => {
  it('reads a dataset written by the TS writer with the plain msgpack module', async () => {
    const python = findPythonWithMsgpack();
    const dir = freshDir();
    const writer = await createDatasetWriter(dir, writerOptions());
    await generate(writer, 0, 12);
    const manifest = await writer.close();
    const script = join(REPO_ROOT, 'examples/python/read_dataset.py');

    const run = spawnSync(python, [script, dir, '--json'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout);
    const kept = keptBelow(12);
    expect(summary).toMatchObject({
      episodes: kept.length,
      attempts: 12,
      successes: manifest.counts.successes,
      keptSuccesses: kept.filter((attempt) => attempt % 2 === 0).length,
      shards: manifest.shards.length,
      obsShape: ['T', OBS_NAMES.length],
      actionShape: ['T', ACTION_NAMES.length],
      firstAttempt: 0,
    });
    const lengths = kept.map((attempt) => makeEpisode(attempt).length);
    expect(summary.meanLength).toBeCloseTo(lengths.reduce((a, b) => a + b, 0) / lengths.length, 12);
    expect(summary.firstObs).toEqual(Array.from(makeEpisode(0).obs.subarray(0, OBS_NAMES.length)));
    // Tensors through the module API; attempt 3's first row holds -0, NaN, ±Infinity and a subnormal.
    const row = spawnSync(python, ['-c', `
import json, sys
sys.path.insert(0, ${JSON.stringify(join(REPO_ROOT, 'examples/python'))})
from read_dataset import iter_episodes
episodes = list(iter_episodes(${JSON.stringify(dir)}, use_numpy=False))
e = episodes[1]
print(json.dumps({"attempt": e["attempt"], "obs0": e["obs"].row(0), "labels": e["srcDemoLabels"].tolist(),
                  "cube": e["datagen"]["objectPoses"]["cube"].shape, "cert": e["certification"], "special": [repr(v) for v in episodes[2]["obs"].row(0)],
                  "nanBits": episodes[2]["obs"].values[1:2].tobytes().hex()}))
`], { encoding: 'utf8' });
    expect(row.stderr).toBe('');
    const decoded = JSON.parse(row.stdout);
    const episode = makeEpisode(1);
    expect(decoded.attempt).toBe(1);
    expect(decoded.obs0).toEqual(Array.from(episode.obs.subarray(0, OBS_NAMES.length)));
    expect(decoded.labels).toEqual(Array.from(episode.srcDemoLabels));
    expect(decoded.cube).toEqual([episode.length, 7]);
    expect(decoded.cert).toEqual({ backend: 'rapier', success: false });
    expect(decoded.special).toEqual(['-0.0', 'nan', 'inf', '-inf', '1.401298464324817e-45']);
    expect(decoded.nanBits).toBe('3412c07f');

    // Damage is reported with the file and the record's byte offset.
    const shardFile = join(dir, 'shards', 'shard-00001.msgpack');
    const offsets = await recordStarts(dir, 1);
    truncateSync(shardFile, offsets[1] + 10);
    const verified = spawnSync(python, [script, dir], { encoding: 'utf8' });
    expect(verified.status).toBe(1);
    expect(verified.stderr).toContain(`${shardFile}: checksum mismatch`);
    const unverified = spawnSync(python, [script, dir, '--no-verify'], { encoding: 'utf8' });
    expect(unverified.status).toBe(1);
    expect(unverified.stderr).toContain(`${shardFile}: record 1 at byte offset ${offsets[1]} could not be decoded: truncated`);
  });
});

describe('Python reader on a dataset of another task', () => {
  it('takes the task, names, widths, objects and signals from the manifest and the records', async () => {
    const python = findPythonWithMsgpack();
    const dir = freshDir();
    // Three cubes to stack: 8 end-effector entries and a pose of 7 per cube (29 floats, not pick-place's 21).
    const pose = (o: string) => ['x', 'y', 'z'].map((c) => `${o}_pos_${c}`).concat(['x', 'y', 'z', 'w'].map((c) => `${o}_quat_${c}`));
    const obsNames = [...pose('ee'), 'gripper_opening', ...pose('cubeA'), ...pose('cubeB'), ...pose('cubeC')];
    const writer = await createDatasetWriter(dir, writerOptions({ taskId: 'stack-three', config: { task: 'stack-three', seeds: [7] }, obsNames }));
    const episodes = [0, 1].map((attempt) => {
      const base = makeEpisode(attempt);
      const floats = (width: number) => Float32Array.from({ length: base.length * width }, (_, i) => attempt + i / 8);
      const flags = () => Uint8Array.from({ length: base.length }, (_, t) => (t > 1 ? 1 : 0));
      return {
        ...base,
        obs: floats(obsNames.length),
        datagen: { ...base.datagen, objectPoses: { cubeA: floats(7), cubeB: floats(7), cubeC: floats(7) }, signals: { aOnB: flags(), cOnA: flags() } },
      };
    });
    for (const episode of episodes) await writer.append(episode);
    await writer.close();

    const run = spawnSync(python, [join(REPO_ROOT, 'examples/python/read_dataset.py'), dir, '--json'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      taskId: 'stack-three',
      episodes: 2,
      obsNames,
      obsShape: ['T', obsNames.length],
      objects: ['cubeA', 'cubeB', 'cubeC'],
      signals: ['aOnB', 'cOnA'],
      firstObs: Array.from(episodes[0].obs.subarray(0, obsNames.length)),
    });
    const text = spawnSync(python, [join(REPO_ROOT, 'examples/python/read_dataset.py'), dir], { encoding: 'utf8' });
    expect(text.stdout).toContain(`obs       float32 [T, ${obsNames.length}]`);
    expect(text.stdout).toContain('objects   cubeA, cubeB, cubeC');
  });
});

/** Start offsets of the records of shard `shard`, found by reading the dataset back. */
async function recordStarts(dir: string, shard: number): Promise<number[]> {
  const { msgpackValueEnd } = await import('../src/dataset/msgpack-scan.js');
  const dataset = await openDataset(dir, { verifyChecksums: false });
  const bytes = readFileSync(join(dir, dataset.manifest.shards[shard].file));
  const starts: number[] = [];
  for (let offset = 0; offset < bytes.length; offset = msgpackValueEnd(bytes, offset)) starts.push(offset);
  return starts;
}
