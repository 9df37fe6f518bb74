/** Base class of the errors the dataset reader and writer throw about files on disk. */
export class DatasetError extends Error {
  /** The file concerned (absolute path). */
  readonly file: string;

  constructor(file: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DatasetError';
    this.file = file;
  }
}

/** `manifest.json` is missing, unreadable, of another kind or schema version, or malformed. */
export class DatasetManifestError extends DatasetError {
  constructor(file: string, message: string, options?: ErrorOptions) {
    super(file, message, options);
    this.name = 'DatasetManifestError';
  }
}

/** A shard's bytes are not what the manifest recorded (size or sha256). */
export class DatasetChecksumError extends DatasetError {
  /** sha256 (hex) the manifest recorded. */
  readonly expected: string;
  /** sha256 (hex) of the file as read. */
  readonly actual: string;

  constructor(file: string, expected: string, actual: string, detail: string) {
    super(file, `${file}: checksum mismatch (${detail}): manifest sha256 ${expected}, file sha256 ${actual}`);
    this.name = 'DatasetChecksumError';
    this.expected = expected;
    this.actual = actual;
  }
}

/** A record of a shard could not be decoded (truncated, corrupt bytes, or not an episode). */
export class DatasetCorruptError extends DatasetError {
  /** Byte offset in the shard file of the record that could not be decoded. */
  readonly offset: number;
  /** Index of that record within its shard. */
  readonly record: number;

  constructor(file: string, offset: number, record: number, reason: string, options?: ErrorOptions) {
    super(file, `${file}: record ${record} at byte offset ${offset} could not be decoded: ${reason}`, options);
    this.name = 'DatasetCorruptError';
    this.offset = offset;
    this.record = record;
  }
}

/** One field that differs between an existing dataset's manifest and a writer's options. */
export interface ConfigDifference {
  /** Path of the field, e.g. `config.generation.numWorlds` or `taskId`. */
  path: string;
  /** JSON of the value in the manifest (`undefined` when absent). */
  existing: string;
  /** JSON of the value given now (`undefined` when absent). */
  requested: string;
}

/** A writer was opened on an existing dataset that was generated with another configuration. */
export class DatasetConfigMismatchError extends DatasetError {
  readonly differences: readonly ConfigDifference[];

  constructor(file: string, differences: readonly ConfigDifference[]) {
    const shown = differences.slice(0, 8).map((d) => `  ${d.path}: ${d.existing} in the dataset, ${d.requested} now`);
    if (differences.length > shown.length) shown.push(`  … and ${differences.length - shown.length} more`);
    super(
      file,
      `${file}: cannot resume, the dataset was written with a different configuration ` +
        `(${differences.map((d) => d.path).slice(0, 3).join(', ')}${differences.length > 3 ? ', …' : ''}):\n` +
        shown.join('\n') +
        '\nUse another output directory, or the same configuration to continue this one.',
    );
    this.name = 'DatasetConfigMismatchError';
    this.differences = differences;
  }
}

/** One problem {@link DatasetDamagedError} lists: the file it concerns and what is wrong. */
export interface DamagedFile {
  /** The file concerned (absolute path). */
  file: string;
  /** One line that names the file and the mismatch. */
  message: string;
}

/**
 * A dataset writer found that the shards of the dataset it was to resume do not match its
 * manifest (the checks of `gripgen verify`), and refused before writing anything.
 */
export class DatasetDamagedError extends DatasetError {
  /** Every problem found, shard by shard. */
  readonly problems: readonly DamagedFile[];

  constructor(dir: string, problems: readonly DamagedFile[]) {
    const [first] = problems;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    super(
      first.file,
      `cannot resume ${dir}: its shards do not match its manifest, nothing was written: ${first.message}${more}. ` +
        `Run \`gripgen verify ${dir}\` for every problem; write to another directory, or restore the damaged files.`,
    );
    this.name = 'DatasetDamagedError';
    this.problems = problems;
  }
}
