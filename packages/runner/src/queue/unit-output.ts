/**
 * A committed unit on the shared storage: `<out>/.queue/units/<unit id>/` holding `unit.json`
 * (every attempt's outcome, where each kept episode's record lies) and the encoded episodes
 * (`successes.bin`, `failures.bin`: dataset shard records, concatenated). A unit is written
 * into a temporary directory and committed by one rename onto its id: the first commit wins,
 * a later one (a retried or recovered unit) finds it there and is dropped, so a unit's
 * trajectories are in the dataset once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { formatZodError } from '@gripgen/sim-core';
import { z } from 'zod';
import { unitsDir } from './plan.js';

/** Version of `unit.json`. */
export const UNIT_VERSION = 1;

/**
 * One character per attempt: `s` success; failures: `f` the plan ran out without success,
 * `x` the world blew up, `t` too long, `b` an object fell below the table, `o` it left the workspace.
 */
export const OUTCOME_CODES = { completed: 'f', fault: 'x', tooLong: 't', objectBelowTable: 'b', objectOutsideWorkspace: 'o' } as const;

const recordsSchema = z.strictObject({
  file: z.string().regex(/^[a-z]+\.bin$/),
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** [attempt, byte offset, byte length] of each record, in attempt order. */
  records: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0), z.number().int().min(1)])),
});

const unitSummarySchema = z.strictObject({
  version: z.literal(UNIT_VERSION),
  planId: z.string(),
  unitId: z.string(),
  index: z.number().int().min(0),
  firstAttempt: z.number().int().min(0),
  attempts: z.number().int().min(1),
  backend: z.string(),
  /** Where the waypoint follower ran (units written before it was recorded: the host). */
  follower: z.enum(['host', 'gpu']).default('host'),
  adapter: z.string().nullable(),
  obsNames: z.array(z.string()),
  actionNames: z.array(z.string()),
  sourceDemoIds: z.array(z.union([z.string(), z.number()])),
  outcomes: z.string().regex(/^[sfxtbo]*$/),
  /** The subtask each failed attempt failed in, in attempt order. */
  failedSubtasks: z.array(z.string()),
  successes: recordsSchema,
  /** The first `maxNumFailures` failures (none when `keepFailed` is off). */
  failures: recordsSchema,
  worker: z.string(),
  wallSeconds: z.number().min(0),
  controlSteps: z.number().int().min(0),
  contactOverflowSteps: z.number().int().min(0),
  committedAt: z.string(),
});

/** `unit.json` of a committed unit. */
export type UnitSummary = z.infer<typeof unitSummarySchema>;
/** Where a unit's records of one kind lie. */
export type UnitRecords = UnitSummary['successes'];

/** The directory of a committed unit. */
export const unitDir = (out: string, id: string) => join(unitsDir(out), id);

/** Reads a committed unit's summary; null when the unit is not committed. */
export async function readUnitSummary(out: string, id: string): Promise<UnitSummary | null> {
  const file = join(unitDir(out, id), 'unit.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const json = JSON.parse(text) as unknown;
  const parsed = unitSummarySchema.safeParse(json);
  if (!parsed.success) throw new Error(`${file}: ${formatZodError(parsed.error, { schema: unitSummarySchema, input: json })}`);
  return parsed.data;
}

/**
 * Reads the records file of a committed unit and checks its size and sha256 against the
 * summary; throws naming the file and the mismatch.
 */
export async function readUnitRecords(out: string, summary: UnitSummary, records: UnitRecords): Promise<Buffer> {
  const file = join(unitDir(out, summary.unitId), records.file);
  const bytes = await readFile(file);
  if (bytes.length !== records.bytes) throw new Error(`${file}: ${bytes.length} bytes, unit.json says ${records.bytes}`);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== records.sha256) throw new Error(`${file}: sha256 ${sha} differs from unit.json's ${records.sha256}`);
  return bytes;
}

/** Appends records to one file of a unit being written, tracking offsets and the checksum. */
export class RecordsFile {
  private readonly hash = createHash('sha256');
  private readonly entries: Array<[number, number, number]> = [];
  private bytes = 0;

  private constructor(
    private readonly name: string,
    private readonly handle: FileHandle,
  ) {}

  /** Creates `dir/name` (which must not exist). */
  static async create(dir: string, name: string): Promise<RecordsFile> {
    return new RecordsFile(name, await open(join(dir, name), 'wx'));
  }

  /** Number of records written. */
  get count(): number {
    return this.entries.length;
  }

  /** Appends one encoded episode of attempt `attempt`. */
  async append(attempt: number, record: Uint8Array): Promise<void> {
    await this.handle.write(record);
    this.hash.update(record);
    this.entries.push([attempt, this.bytes, record.length]);
    this.bytes += record.length;
  }

  /** Flushes to disk, closes, and returns what `unit.json` says of the file. */
  async finish(): Promise<UnitRecords> {
    await this.handle.sync();
    await this.handle.close();
    return { file: this.name, bytes: this.bytes, sha256: this.hash.digest('hex'), records: this.entries };
  }

  /** Closes without finishing (after a failure). */
  async abandon(): Promise<void> {
    await this.handle.close().catch(() => {});
  }
}

/** A temporary directory beside the committed units, to fill and then commit. */
export async function createUnitStaging(out: string, id: string): Promise<string> {
  const dir = join(unitsDir(out), `.tmp-${id}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Writes `unit.json` into the staging directory and renames it onto the unit's id. Returns true
 * if this call committed the unit, false if it was already committed (the staging directory is
 * then removed: the unit's trajectories are never written twice).
 */
export async function commitUnit(out: string, staging: string, summary: UnitSummary): Promise<boolean> {
  const checked = unitSummarySchema.parse(summary);
  const handle = await open(join(staging, 'unit.json'), 'wx');
  try {
    await handle.writeFile(`${JSON.stringify(checked)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  const target = unitDir(out, summary.unitId);
  if (await stat(target).then(() => true, () => false)) {
    await rm(staging, { recursive: true, force: true });
    return false;
  }
  try {
    await rename(staging, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    await rm(staging, { recursive: true, force: true });
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw error;
  }
}
