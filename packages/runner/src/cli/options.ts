import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_TASK_ID } from '@gripgen/sim-core';

/** The `options` of a `util.parseArgs` config. */
type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The parsed values of a strict command line with these options. */
export type CommandValues<O extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; strict: true; allowPositionals: false; options: O }>
>['values'];

/** Values of every command's `--backend`. */
export const BACKENDS = ['auto', 'rapier', 'webgpu', 'mujoco'] as const;

/** The `--task` line of a command's usage, listing `ids` (the registered tasks, or those with an expert). */
export function taskUsage(ids: readonly string[]): string {
  return `  --task <id>             task: ${ids.join(', ')} (default ${DEFAULT_TASK_ID}; see gripgen tasks)`;
}

/** The `--randomization` line of a command's usage; `preset` says which of the task's presets is the default. */
export function randomizationUsage(preset: 'evaluation' | 'demo'): string {
  const example = preset === 'evaluation' ? 'wide' : 'narrow';
  return `  --randomization <name>  a preset of the task (default: its ${preset} preset, ${example} for the
                          built-in tasks; gripgen tasks lists them)`;
}

/** A bad command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Turns a `util.parseArgs` error into a UsageError (first sentence of its message; for a value
 * that starts with a dash, e.g. `--worlds -5`, what was given and how to pass it; for an unknown
 * option, the command's options when `options` is given); rethrows others.
 */
export function usageErrorFrom(error: unknown, argv: readonly string[] = [], options?: OptionsConfig): never {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS') && error instanceof Error) {
    const unknown = /^Unknown option '([^']+)'/.exec(error.message);
    if (unknown && options) {
      const names = Object.keys(options).map((k) => `--${k}`);
      throw new UsageError(`unknown option ${unknown[1]}; the options are ${names.join(', ')}`);
    }
    const ambiguous = /Option '(--[\w-]+)[^']*' argument is ambiguous/.exec(error.message);
    if (ambiguous) {
      const option = ambiguous[1];
      const value = argv[argv.indexOf(option) + 1];
      throw new UsageError(`${option} got "${value}", which starts with a dash; negative values are not allowed (a value that must start with a dash is written ${option}=${value})`);
    }
    throw new UsageError(error.message.split(/\.\s/)[0]!.replace(/\.$/, ''));
  }
  throw error;
}

/**
 * Parses a command's options strictly (no positionals, unknown options rejected); a bad command
 * line becomes a {@link UsageError}.
 */
export function parseCommandArgs<const O extends OptionsConfig>(argv: string[], options: O): CommandValues<O> {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    return usageErrorFrom(error, argv, options);
  }
}

/** The parsed options and positionals of a strict command line with these options. */
export type CommandLine<O extends OptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; strict: true; allowPositionals: true; options: O }>>;

/**
 * As {@link parseCommandArgs}, with positional arguments allowed (a command's operands, e.g. a
 * dataset directory); a bad command line becomes a {@link UsageError}.
 */
export function parseCommandLine<const O extends OptionsConfig>(argv: string[], options: O): CommandLine<O> {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: true, options });
  } catch (error) {
    return usageErrorFrom(error, argv, options);
  }
}

/** Parses `--name value` as an integer in [min, max]; throws a UsageError naming the option. */
export function parseIntOption(name: string, value: string, min: number, max: number): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw new UsageError(`--${name} must be ${range}, got "${value}"`);
  }
  return n;
}

/** Checks that `--name value` is one of `choices`; throws a UsageError naming the option and the choices. */
export function parseChoice<T extends string>(name: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}; got "${value}"`);
  }
  return value as T;
}

/** Parses `--name` as inline JSON (starting with `{`) or as the path of a JSON file. */
export async function readJsonOption(name: string, value: string): Promise<Record<string, unknown>> {
  let text = value;
  if (!value.trim().startsWith('{')) {
    try {
      text = await readFile(value, 'utf8');
    } catch (error) {
      throw new UsageError(`--${name}: cannot read ${value}: ${(error as Error).message}`);
    }
  }
  try {
    const json = JSON.parse(text) as unknown;
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error('not a JSON object');
    return json as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`--${name}: ${(error as Error).message}`);
  }
}
