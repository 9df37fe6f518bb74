import type { z } from 'zod';

/** What {@link zodIssueLines} may know besides the error. */
export interface ZodIssueContext {
  /** Path the issue paths are relative to (e.g. `randomization`). */
  prefix?: string;
  /** The schema that made the error: an unknown key is followed by the keys allowed there. */
  schema?: z.ZodType;
  /** The value that was parsed: each line ends with the value given at the issue's path. */
  input?: unknown;
}

/**
 * Formats a zod error as one line per problem (see {@link zodIssueLines}) under the heading
 * `Invalid gripgen config:`.
 */
export function formatZodError(error: z.ZodError, context: ZodIssueContext = {}): string {
  return `Invalid gripgen config:\n${zodIssueLines(error, context).map((line) => `  ${line}`).join('\n')}`;
}

/**
 * One line per problem of a zod error, each naming the full path of the bad field (after
 * `prefix`), what is wrong and, when `input` is given, the value given there (if any):
 * `physics.substeps: Too small: expected number to be >=1; got 0`. An unknown key is quoted as
 * JSON and, when `schema` is given, followed by the keys allowed there.
 */
export function zodIssueLines(error: z.ZodError, context: ZodIssueContext = {}): string[] {
  const { prefix, schema } = context;
  return error.issues.map((issue) => {
    const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.') || '(config)';
    if (issue.code === 'unrecognized_keys') {
      const allowed = schema ? objectKeysAt(schema, issue.path) : null;
      const keys = issue.keys.map((key) => JSON.stringify(key)).join(', ');
      return `${path}: unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}${allowed ? `; allowed: ${allowed.join(', ')}` : ''}`;
    }
    const given = 'input' in context ? valueAt(context.input, issue.path) : undefined;
    return `${path}: ${issue.message}${given === undefined ? '' : `; got ${shownInput(given)}`}`;
  });
}

/** The value at `path` (object keys, array indices) inside `root`; undefined where the path leads nowhere. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Wrappers whose inner schema holds the object's keys. */
const WRAPPERS = new Set(['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch']);

/** The keys of the object schema at `path` inside `schema` (through defaults and optionals); null if none is there. */
function objectKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | null {
  type Node = { def: { type: string; innerType?: Node }; shape?: Record<string, Node> } | undefined;
  let node = schema as unknown as Node;
  const unwrap = () => {
    while (node && WRAPPERS.has(node.def.type)) node = node.def.innerType;
  };
  unwrap();
  for (const key of path) {
    if (node?.def.type !== 'object' || !node.shape) return null;
    node = node.shape[String(key)];
    unwrap();
  }
  return node?.def.type === 'object' && node.shape ? Object.keys(node.shape) : null;
}

/** A value as an error message shows it: numbers as themselves (NaN, Infinity), the rest as JSON, cut at 60 characters. */
export function shownInput(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? typeof value;
  } catch {
    text = typeof value;
  }
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
