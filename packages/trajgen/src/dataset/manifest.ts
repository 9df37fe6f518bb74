/**
 * `manifest.json`: what a dataset directory holds and how it was made. It is rewritten atomically
 * after every sealed shard, so it always describes exactly the shards that are complete on disk.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ConfigDifference } from './errors.js';
import { DatasetManifestError } from './errors.js';

/** The manifest schema this code reads and writes. */
export const DATASET_SCHEMA_VERSION = 1;
/** The manifest's `kind`. */
export const DATASET_KIND = 'gripgen-dataset';
/** Name of the manifest inside a dataset directory. */
export const MANIFEST_FILE = 'manifest.json';
/** Folder of the shard files inside a dataset directory. */
export const SHARDS_DIR = 'shards';

/** A JSON value (what `config` and `stats` may hold). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** Slice `index` of `count` of the run's seed space (`--shard index/count`). */
export interface SeedSlice {
  index: number;
  count: number;
}

/** One sealed shard file. */
export interface ShardEntry {
  /** Path relative to the dataset directory, e.g. `shards/shard-00000.msgpack`. */
  file: string;
  /** Records (episodes) in the file. */
  episodes: number;
  /** File size in bytes. */
  bytes: number;
  /** sha256 of the file, lowercase hex. */
  sha256: string;
  /** Attempt of the first and of the last episode in the file. */
  firstAttempt: number;
  lastAttempt: number;
  /** Attempt of every episode in the file, in record order (increasing). */
  attempts: number[];
}

/** Tallies over all attempts below `nextAttempt`. */
export interface DatasetCounts {
  /** Attempts made (kept or discarded). */
  attempts: number;
  /** Attempts that reached the task's success (kept or not). */
  successes: number;
  /** Episodes kept in the shards. */
  episodes: number;
  /** Kept episodes that did not succeed (generation kept failures on purpose). */
  failuresKept: number;
}

/** Contents of `manifest.json` (schema version 1). */
export interface DatasetManifest {
  schemaVersion: typeof DATASET_SCHEMA_VERSION;
  kind: typeof DATASET_KIND;
  /** Program and version that wrote the dataset, e.g. `@gripgen/trajgen 0.1.0`. */
  createdBy: string;
  /** ISO-8601 times of creation and of the last manifest update. */
  createdAt: string;
  updatedAt: string;
  /** True once the writer was closed; false while a run is going on or after it was killed. */
  complete: boolean;
  /** Registered task id, e.g. `pick-place`. */
  taskId: string;
  /** The run's base seed (`createSim({ seed })`). */
  seed: number;
  /** The slice of the seed space this dataset covers. */
  shard: SeedSlice;
  /** The full generation config, as the caller passed it (normalized to JSON). */
  config: JsonObject;
  /** `sha256:<hex>` of `config` as canonical JSON (keys sorted). */
  configHash: string;
  /** Names of the `obs` columns and of the `actions` columns. */
  obsNames: string[];
  actionNames: string[];
  /** Ids of the source demos that `srcDemoIndices` / `srcDemoLabels` index into. */
  sourceDemoIds: Array<string | number>;
  /** Every attempt below this index is done (kept in a shard or discarded); resume starts here. */
  nextAttempt: number;
  counts: DatasetCounts;
  /** Sealed shards in dataset order (attempt order). */
  shards: ShardEntry[];
  /** Generation statistics, set by the caller when closing the writer; null until then. */
  stats: JsonObject | null;
}

/** The manifest fields a resumed writer must agree on. */
export type DatasetIdentity = Pick<DatasetManifest, 'taskId' | 'seed' | 'shard' | 'obsNames' | 'actionNames' | 'sourceDemoIds' | 'config'>;

/** Reads and validates `file`; throws a {@link DatasetManifestError} saying what is wrong. */
export async function readManifest(file: string): Promise<DatasetManifest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DatasetManifestError(file, `${file} not found: not a gripgen dataset directory (or nothing was written to it yet)`, { cause: error });
    }
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DatasetManifestError(file, `${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return validateManifest(value, file);
}

/** Checks that `value` is a schema-version-1 manifest; `file` is named in errors. */
export function validateManifest(value: unknown, file: string): DatasetManifest {
  const fail = (message: string): never => {
    throw new DatasetManifestError(file, `${file}: ${message}`);
  };
  if (!isPlainObject(value)) return fail('expected a JSON object');
  if (value.kind !== DATASET_KIND) fail(`kind is ${JSON.stringify(value.kind)}, expected "${DATASET_KIND}"`);
  if (value.schemaVersion !== DATASET_SCHEMA_VERSION) {
    fail(`schemaVersion ${JSON.stringify(value.schemaVersion)} is not supported (this version of @gripgen/trajgen reads schemaVersion ${DATASET_SCHEMA_VERSION})`);
  }
  const field = (name: string, check: (v: unknown) => boolean, expected: string) => {
    if (!check(value[name])) fail(`field "${name}" must be ${expected}, got ${JSON.stringify(value[name])}`);
  };
  const isCount = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  const isStrings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
  field('createdBy', (v) => typeof v === 'string', 'a string');
  field('createdAt', (v) => typeof v === 'string', 'a string');
  field('updatedAt', (v) => typeof v === 'string', 'a string');
  field('complete', (v) => typeof v === 'boolean', 'a boolean');
  field('taskId', (v) => typeof v === 'string', 'a string');
  field('seed', (v) => Number.isSafeInteger(v), 'an integer');
  field('shard', (v) => isPlainObject(v) && isCount(v.index) && Number.isSafeInteger(v.count) && (v.count as number) > (v.index as number), '{index, count} with 0 <= index < count');
  field('config', isPlainObject, 'an object');
  field('configHash', (v) => typeof v === 'string', 'a string');
  field('obsNames', isStrings, 'an array of strings');
  field('actionNames', isStrings, 'an array of strings');
  field('sourceDemoIds', (v) => Array.isArray(v) && v.every((id) => typeof id === 'string' || typeof id === 'number'), 'an array of ids');
  field('nextAttempt', isCount, 'an integer >= 0');
  field('counts', (v) => isPlainObject(v) && ['attempts', 'successes', 'episodes', 'failuresKept'].every((k) => isCount(v[k])), '{attempts, successes, episodes, failuresKept}');
  field('stats', (v) => v === null || isPlainObject(v), 'null or an object');
  field('shards', Array.isArray, 'an array');
  const shards = value.shards as unknown[];
  let episodes = 0;
  shards.forEach((entry, i) => {
    const ok =
      isPlainObject(entry) &&
      typeof entry.file === 'string' &&
      isCount(entry.episodes) &&
      isCount(entry.bytes) &&
      typeof entry.sha256 === 'string' &&
      /^[0-9a-f]{64}$/.test(entry.sha256) &&
      isCount(entry.firstAttempt) &&
      isCount(entry.lastAttempt) &&
      Array.isArray(entry.attempts) &&
      entry.attempts.length === entry.episodes &&
      entry.attempts.every(isCount) &&
      entry.attempts[0] === entry.firstAttempt &&
      entry.attempts[entry.attempts.length - 1] === entry.lastAttempt;
    if (!ok) fail(`shards[${i}] must be {file, episodes, bytes, sha256, firstAttempt, lastAttempt, attempts} with consistent values`);
    const entryFile = (entry as { file: string }).file;
    if (entryFile.startsWith('/') || entryFile.split(/[\\/]/).includes('..')) fail(`shards[${i}].file must be a path inside the dataset, got ${JSON.stringify(entryFile)}`);
    episodes += (entry as { episodes: number }).episodes;
  });
  const counts = value.counts as DatasetCounts;
  if (counts.episodes !== episodes) fail(`counts.episodes is ${counts.episodes} but the shards hold ${episodes} episodes`);
  checkAttempts(value as unknown as DatasetManifest, fail);
  return value as unknown as DatasetManifest;
}

/**
 * The attempt bookkeeping must agree with itself, or a resumed run would redo attempts (and
 * write duplicates) or skip them: kept attempt ids strictly increase across the shards, each
 * lies in the dataset's slice of the seed space (index + count·k) and below `nextAttempt`, and
 * `counts.attempts` is the number of the slice's ids below `nextAttempt`.
 */
function checkAttempts(manifest: DatasetManifest, fail: (message: string) => never): void {
  const { shard, nextAttempt, counts } = manifest;
  let previous = -1;
  manifest.shards.forEach((entry, i) => {
    for (const attempt of entry.attempts) {
      if (attempt <= previous) fail(`shards[${i}] lists attempt ${attempt} after attempt ${previous}: attempt ids must strictly increase`);
      if (attempt % shard.count !== shard.index) fail(`shards[${i}] lists attempt ${attempt}, which is not in seed slice ${shard.index}/${shard.count}`);
      previous = attempt;
    }
  });
  if (previous >= nextAttempt) fail(`nextAttempt is ${nextAttempt} but the shards already hold attempt ${previous}: nextAttempt must exceed every kept attempt`);
  const expected = Math.max(0, Math.ceil((nextAttempt - shard.index) / shard.count));
  if (counts.attempts !== expected) {
    fail(`counts.attempts is ${counts.attempts} but nextAttempt ${nextAttempt} in seed slice ${shard.index}/${shard.count} means ${expected} attempts were made`);
  }
  if (counts.successes > counts.attempts) fail(`counts.successes (${counts.successes}) exceeds counts.attempts (${counts.attempts})`);
  if (counts.episodes > counts.attempts) fail(`counts.episodes (${counts.episodes}) exceeds counts.attempts (${counts.attempts})`);
  if (counts.failuresKept > counts.episodes) fail(`counts.failuresKept (${counts.failuresKept}) exceeds counts.episodes (${counts.episodes})`);
}

/** The manifest as written to disk: 2-space JSON, arrays of numbers and strings on one line. */
export function serializeManifest(manifest: DatasetManifest): string {
  return `${formatJson(manifest as unknown as JsonValue, '')}\n`;
}

function formatJson(value: JsonValue, indent: string): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.every((item) => item === null || typeof item !== 'object')) return `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
    return `[\n${value.map((item) => inner + formatJson(item, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((key) => `${inner}${JSON.stringify(key)}: ${formatJson(value[key], inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** Deep copy of `value` as JSON; throws a TypeError naming the path of a value JSON cannot hold. */
export function normalizeJson(value: unknown, path: string): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path} is ${value}, which JSON cannot hold`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => normalizeJson(item, `${path}[${i}]`));
  if (isPlainObject(value)) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out[key] = normalizeJson(item, `${path}.${key}`);
    }
    return out;
  }
  throw new TypeError(`${path} is ${typeof value === 'object' ? (value as object).constructor?.name ?? 'an object' : typeof value}, which JSON cannot hold`);
}

/** `sha256:<hex>` of `value` as canonical JSON (object keys sorted, no spaces). */
export function hashJson(value: JsonValue): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;
}

/** JSON text of `value` with object keys sorted at every level. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The fields of `existing` and `requested` that differ, by path (`config.a.b`, `obsNames[3]`). */
export function diffIdentity(existing: DatasetIdentity, requested: DatasetIdentity): ConfigDifference[] {
  const differences: ConfigDifference[] = [];
  for (const key of ['taskId', 'seed', 'shard', 'obsNames', 'actionNames', 'sourceDemoIds', 'config'] as const) {
    diffJson(existing[key] as JsonValue, requested[key] as JsonValue, key, differences);
  }
  return differences;
}

function diffJson(a: JsonValue | undefined, b: JsonValue | undefined, path: string, out: ConfigDifference[]): void {
  const show = (v: JsonValue | undefined) => {
    if (v === undefined) return 'absent';
    const text = JSON.stringify(v);
    return text.length > 60 ? `${text.slice(0, 60)}…` : text;
  };
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      out.push({ path, existing: `${show(a)} (${a.length} items)`, requested: `${show(b)} (${b.length} items)` });
      return;
    }
    a.forEach((item, i) => diffJson(item, b[i], `${path}[${i}]`, out));
    return;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) diffJson(a[key] as JsonValue | undefined, b[key] as JsonValue | undefined, `${path}.${key}`, out);
    return;
  }
  if (canonicalJson(a ?? null) !== canonicalJson(b ?? null) || (a === undefined) !== (b === undefined)) {
    out.push({ path, existing: show(a), requested: show(b) });
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
