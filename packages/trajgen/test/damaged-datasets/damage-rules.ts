/**
 * One damage per rule a dataset reader enforces. Each rule damages a copy of the sound dataset
 * and says which file a reader's error must name and what fragment its message must hold; the
 * TypeScript reader, the Python reader and `gripgen verify` must all reject every copy that way.
 */
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sha256Hex } from '../../src/dataset/shard-file.js';
import { msgpackValueEnd, type DatasetManifest } from '../../src/index.js';
import { soundEpisode } from './sound-dataset.js';

/** Where a rule does its damage. */
export interface DamageContext {
  /** The copy of the sound dataset to damage (absolute path). */
  dir: string;
  /** A directory outside every dataset that holds a copy of each sound shard file (absolute path). */
  outside: string;
  /** The sound dataset's manifest (a fresh copy: edit it freely). */
  manifest: DatasetManifest;
}

/** The error a reader must give for a damaged copy. */
export interface ExpectedRejection {
  /** The file the error must name (absolute path). */
  file: string;
  /** A fragment the error message must hold. */
  message: string;
  /**
   * When the shard checksums are not verified: the fragment the error must hold then, or null
   * if the copy must then read without error (only the checksum catches the damage). Default:
   * `message`.
   */
  unverified?: string | null;
}

/** One damaged-dataset test vector. */
export interface DamageRule {
  /** Short name, also the name of the copy's directory. */
  name: string;
  /** The rule the damage breaks, in words. */
  rule: string;
  /** Damages the copy in `context.dir`; says how a reader must reject it. */
  damage(context: DamageContext): ExpectedRejection;
}

const manifestFile = (c: DamageContext) => join(c.dir, 'manifest.json');
const shardFile = (c: DamageContext, shard: number) => join(c.dir, c.manifest.shards[shard].file);
const kept = (c: DamageContext) => c.manifest.shards.flatMap((entry) => entry.attempts);

/** Applies `edit` to the manifest and writes it back. */
function writeManifest(c: DamageContext, edit: (manifest: DatasetManifest) => void): void {
  edit(c.manifest);
  writeFileSync(manifestFile(c), JSON.stringify(c.manifest, null, 2));
}

/** As {@link writeManifest}; a reader must reject the manifest with `message` (worded before the edit). */
function editManifest(c: DamageContext, edit: (manifest: DatasetManifest) => void, message: string): ExpectedRejection {
  writeManifest(c, edit);
  return { file: manifestFile(c), message };
}

/** Writes `bytes` as shard `shard` and records its new size and sha256, so only the records are wrong. */
function rewriteShard(c: DamageContext, shard: number, bytes: Uint8Array): void {
  writeFileSync(shardFile(c, shard), bytes);
  writeManifest(c, (m) => Object.assign(m.shards[shard], { bytes: bytes.length, sha256: sha256Hex(bytes) }));
}

/** Start offset of each record of shard `shard`. */
function recordStarts(c: DamageContext, shard: number): number[] {
  const bytes = readFileSync(shardFile(c, shard));
  const starts: number[] = [];
  for (let offset = 0; offset < bytes.length; offset = msgpackValueEnd(bytes, offset)) starts.push(offset);
  return starts;
}

/** The damaged-dataset vectors, manifest rules first, then shard rules. */
export const DAMAGE_RULES: readonly DamageRule[] = [
  {
    name: 'manifest-missing',
    rule: 'a dataset directory holds manifest.json',
    damage: (c) => {
      rmSync(manifestFile(c));
      return { file: manifestFile(c), message: 'manifest.json not found: not a gripgen dataset directory' };
    },
  },
  {
    name: 'manifest-not-json',
    rule: 'manifest.json is JSON',
    damage: (c) => {
      writeFileSync(manifestFile(c), '{"schemaVersion": 1,');
      return { file: manifestFile(c), message: 'is not valid JSON' };
    },
  },
  {
    name: 'wrong-kind',
    rule: 'kind is "gripgen-dataset"',
    damage: (c) => editManifest(c, (m) => Object.assign(m, { kind: 'something-else' }), 'kind is "something-else", expected "gripgen-dataset"'),
  },
  {
    name: 'schema-version',
    rule: 'schemaVersion is one the reader reads',
    damage: (c) => editManifest(c, (m) => Object.assign(m, { schemaVersion: 2 }), 'schemaVersion 2 is not supported'),
  },
  {
    name: 'next-attempt-not-integer',
    rule: 'nextAttempt is an integer >= 0',
    damage: (c) => editManifest(c, (m) => Object.assign(m, { nextAttempt: String(m.nextAttempt) }), `field "nextAttempt" must be an integer >= 0, got "${c.manifest.nextAttempt}"`),
  },
  {
    name: 'shard-entry-inconsistent',
    rule: "a shard entry's episodes, attempts, firstAttempt and lastAttempt agree",
    damage: (c) => editManifest(c, (m) => (m.shards[0].episodes -= 1), 'shards[0] must be {file, episodes, bytes, sha256, firstAttempt, lastAttempt, attempts} with consistent values'),
  },
  {
    name: 'shard-path-escape',
    rule: 'a shard path stays inside the dataset (no "..")',
    damage: (c) => {
      const escape = relative(c.dir, join(c.outside, 'shard-00000.msgpack'));
      return editManifest(c, (m) => (m.shards[0].file = escape), `shards[0].file must be a path inside the dataset, got ${JSON.stringify(escape)}`);
    },
  },
  {
    name: 'shard-path-absolute',
    rule: 'a shard path is relative to the dataset',
    damage: (c) => {
      const absolute = join(c.outside, 'shard-00000.msgpack');
      return editManifest(c, (m) => (m.shards[0].file = absolute), `shards[0].file must be a path inside the dataset, got ${JSON.stringify(absolute)}`);
    },
  },
  {
    name: 'counts-episodes',
    rule: 'counts.episodes equals the episodes the shards hold',
    damage: (c) => editManifest(c, (m) => (m.counts.episodes = 99), `counts.episodes is 99 but the shards hold ${kept(c).length} episodes`),
  },
  {
    name: 'attempts-out-of-order',
    rule: 'kept attempt ids strictly increase within a shard',
    damage: (c) => {
      const attempts = [...c.manifest.shards[1].attempts].reverse();
      return editManifest(
        c,
        (m) => Object.assign(m.shards[1], { attempts, firstAttempt: attempts[0], lastAttempt: attempts[attempts.length - 1] }),
        `shards[1] lists attempt ${attempts[1]} after attempt ${attempts[0]}: attempt ids must strictly increase`,
      );
    },
  },
  {
    name: 'attempt-duplicated',
    rule: 'kept attempt ids strictly increase across shards (no attempt kept twice)',
    damage: (c) => {
      const twice = c.manifest.shards[1].lastAttempt;
      const last = c.manifest.shards.length - 1;
      return editManifest(
        c,
        (m) => Object.assign(m.shards[last], { attempts: [twice], episodes: 1, firstAttempt: twice, lastAttempt: twice }),
        `shards[${last}] lists attempt ${twice} after attempt ${twice}: attempt ids must strictly increase`,
      );
    },
  },
  {
    name: 'attempt-outside-slice',
    rule: "kept attempt ids lie in the dataset's seed slice",
    damage: (c) => {
      const odd = kept(c).find((attempt) => attempt % 2 === 1)!;
      const shard = c.manifest.shards.findIndex((entry) => entry.attempts.includes(odd));
      return editManifest(c, (m) => (m.shard = { index: 0, count: 2 }), `shards[${shard}] lists attempt ${odd}, which is not in seed slice 0/2`);
    },
  },
  {
    name: 'next-attempt-zero',
    rule: 'nextAttempt exceeds every kept attempt (a resume would write duplicates)',
    damage: (c) => editManifest(c, (m) => (m.nextAttempt = 0), `nextAttempt is 0 but the shards already hold attempt ${kept(c).at(-1)}`),
  },
  {
    name: 'next-attempt-at-last-kept',
    rule: 'nextAttempt exceeds every kept attempt (the last one included)',
    damage: (c) => {
      const last = kept(c).at(-1)!;
      return editManifest(c, (m) => (m.nextAttempt = last), `nextAttempt is ${last} but the shards already hold attempt ${last}`);
    },
  },
  {
    name: 'next-attempt-ahead',
    rule: 'counts.attempts agrees with nextAttempt (a resume would skip attempts)',
    damage: (c) =>
      editManifest(c, (m) => (m.nextAttempt = 400), `counts.attempts is ${c.manifest.counts.attempts} but nextAttempt 400 in seed slice 0/1 means 400 attempts were made`),
  },
  {
    name: 'counts-attempts',
    rule: 'counts.attempts is the number of slice ids below nextAttempt',
    damage: (c) => {
      const { nextAttempt } = c.manifest;
      return editManifest(c, (m) => (m.counts.attempts += 2), `counts.attempts is ${nextAttempt + 2} but nextAttempt ${nextAttempt} in seed slice 0/1 means ${nextAttempt} attempts were made`);
    },
  },
  {
    name: 'counts-successes',
    rule: 'counts.successes does not exceed counts.attempts',
    damage: (c) => {
      const { attempts } = c.manifest.counts;
      return editManifest(c, (m) => (m.counts.successes = attempts + 1), `counts.successes (${attempts + 1}) exceeds counts.attempts (${attempts})`);
    },
  },
  {
    name: 'counts-failures-kept',
    rule: 'counts.failuresKept does not exceed counts.episodes',
    damage: (c) => {
      const { episodes } = c.manifest.counts;
      return editManifest(c, (m) => (m.counts.failuresKept = episodes + 1), `counts.failuresKept (${episodes + 1}) exceeds counts.episodes (${episodes})`);
    },
  },
  {
    name: 'obs-names-short',
    rule: 'obsNames name every observation column',
    damage: (c) => {
      const width = c.manifest.obsNames.length;
      const steps = soundEpisode(c.manifest.shards[0].attempts[0]).length;
      writeManifest(c, (m) => m.obsNames.pop());
      return {
        file: shardFile(c, 0),
        message: `record 0 at byte offset 0 could not be decoded: episode (attempt 0): obs has ${steps * width} values, expected length × ${width - 1} = ${steps * (width - 1)}`,
      };
    },
  },
  {
    name: 'action-names-long',
    rule: 'actionNames name exactly the action columns',
    damage: (c) => {
      const width = c.manifest.actionNames.length;
      const steps = soundEpisode(c.manifest.shards[0].attempts[0]).length;
      writeManifest(c, (m) => m.actionNames.push('extra'));
      return {
        file: shardFile(c, 0),
        message: `record 0 at byte offset 0 could not be decoded: episode (attempt 0): actions has ${steps * width} values, expected length × ${width + 1} = ${steps * (width + 1)}`,
      };
    },
  },
  {
    name: 'shard-missing',
    rule: 'every shard the manifest lists exists',
    damage: (c) => {
      const file = shardFile(c, c.manifest.shards.length - 1);
      rmSync(file);
      return { file, message: 'shard file is missing (the manifest lists it)' };
    },
  },
  {
    name: 'shard-checksum',
    rule: "a shard's sha256 is the one the manifest records",
    damage: (c) => {
      const file = shardFile(c, 1);
      const bytes = readFileSync(file);
      // The low mantissa byte of the first obs value of record 1: still a finite float, other bytes.
      const data = bytes.indexOf('data', recordStarts(c, 1)[1]) + 'data'.length + 2;
      bytes[data] ^= 1;
      writeFileSync(file, bytes);
      return { file, message: 'checksum mismatch (contents differ)', unverified: null };
    },
  },
  {
    name: 'shard-truncated',
    rule: "a shard's size is the one the manifest records",
    damage: (c) => {
      const file = shardFile(c, 1);
      const { bytes } = c.manifest.shards[1];
      const half = Math.floor(bytes / 2);
      const starts = recordStarts(c, 1);
      const cut = starts.findLastIndex((start) => start < half);
      truncateSync(file, half);
      return {
        file,
        message: `checksum mismatch (file has ${half} bytes, manifest says ${bytes}: truncated)`,
        unverified: `record ${cut} at byte offset ${starts[cut]} could not be decoded: truncated`,
      };
    },
  },
  {
    name: 'record-corrupt',
    rule: 'every record is plain msgpack (size and sha256 updated, so the decoder must see it)',
    damage: (c) => {
      const start = recordStarts(c, 0)[1];
      const bytes = readFileSync(shardFile(c, 0));
      bytes[start] = 0xc1; // reserved: never valid msgpack
      rewriteShard(c, 0, bytes);
      return { file: shardFile(c, 0), message: `record 1 at byte offset ${start} could not be decoded` };
    },
  },
  {
    name: 'record-attempt-mismatch',
    rule: 'each record holds the attempt the manifest lists for it',
    damage: (c) => {
      const last = c.manifest.shards.length - 1;
      const [attempt] = c.manifest.shards[last].attempts;
      const listed = attempt - 1;
      writeManifest(c, (m) => {
        const attempts = [listed, ...m.shards[last].attempts.slice(1)];
        Object.assign(m.shards[last], { attempts, firstAttempt: listed, lastAttempt: attempts[attempts.length - 1] });
      });
      return { file: shardFile(c, last), message: `record 0 at byte offset 0 could not be decoded: holds attempt ${attempt}, the manifest lists attempt ${listed}` };
    },
  },
  {
    name: 'records-beyond-manifest',
    rule: 'a shard holds no more records than the manifest lists',
    damage: (c) => {
      const start = recordStarts(c, 0)[2];
      const dropped = c.manifest.shards[0].attempts[2];
      const failed = !soundEpisode(dropped).success;
      writeManifest(c, (m) => {
          Object.assign(m.shards[0], { episodes: 2, attempts: m.shards[0].attempts.slice(0, 2), lastAttempt: m.shards[0].attempts[1] });
          m.counts.episodes -= 1;
          if (failed) m.counts.failuresKept -= 1;
      });
      return { file: shardFile(c, 0), message: `record 2 at byte offset ${start} could not be decoded: ${c.manifest.shards[0].bytes - start} bytes follow the 2 records the manifest lists` };
    },
  },
  {
    name: 'records-missing-from-shard',
    rule: 'a shard holds every record the manifest lists',
    damage: (c) => {
      const last = c.manifest.shards.length - 1;
      const extra = c.manifest.nextAttempt;
      const records = c.manifest.shards[last].episodes;
      writeManifest(c, (m) => {
          const entry = m.shards[last];
          Object.assign(entry, { episodes: records + 1, attempts: [...entry.attempts, extra], lastAttempt: extra });
          m.nextAttempt = extra + 1;
          m.counts.attempts += 1;
          m.counts.episodes += 1;
      });
      return { file: shardFile(c, last), message: `record ${records} at byte offset ${c.manifest.shards[last].bytes} could not be decoded: truncated` };
    },
  },
];
