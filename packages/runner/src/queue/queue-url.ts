/**
 * The `--queue redis://host:port/db` option: where the generation queue lives.
 */
import { z } from 'zod';

/** A parsed `--queue` URL. */
export interface QueueUrl {
  /** The URL as given. */
  url: string;
  host: string;
  port: number;
  /** Redis logical database (the URL's path, default 0). */
  db: number;
  username?: string;
  password?: string;
}

const integerIn = (min: number, max: number, note = '') =>
  z
    .string()
    .regex(/^\d+$/, { error: `must be an integer in [${min}, ${max}]${note}` })
    .transform(Number)
    .pipe(z.number().min(min, { error: `must be an integer in [${min}, ${max}]${note}` }).max(max, { error: `must be an integer in [${min}, ${max}]${note}` }));

const queueUrlSchema = z.object({
  scheme: z.literal('redis', { error: 'must be redis (rediss:// and unix sockets are not supported)' }),
  host: z.string().min(1, { error: 'must name a host, e.g. redis://10.0.0.5:6379/0' }),
  port: integerIn(1, 65535),
  db: integerIn(0, 15, ' (the Redis databases)'),
});

const URL_PATTERN = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?(\[[^\]]*\]|[^:/]*)(?::([^/]*))?(?:\/(.*))?$/;

/**
 * Parses `redis://[user:password@]host[:port][/db]` (port 6379 and db 0 by default). Throws an
 * Error naming the part that is wrong, the value given and what is allowed.
 */
export function parseQueueUrl(text: string): QueueUrl {
  const match = URL_PATTERN.exec(text);
  if (!match) throw new Error(`--queue must be a URL redis://host:port/db, got "${text}"`);
  const [, scheme, username, password, host, port, db] = match;
  const raw = { scheme, host: host.replace(/^\[|\]$/g, ''), port: port || '6379', db: db || '0' };
  const parsed = queueUrlSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const field = String(issue.path[0]) as keyof typeof raw;
      return `${field} ${issue.message}, got "${raw[field]}"`;
    });
    throw new Error(`--queue "${text}": ${lines.join('; ')}`);
  }
  return {
    url: text,
    host: parsed.data.host,
    port: parsed.data.port,
    db: parsed.data.db,
    ...(username ? { username: decodeURIComponent(username) } : {}),
    ...(password ? { password: decodeURIComponent(password) } : {}),
  };
}

/** BullMQ (ioredis) connection options for a queue URL; `maxRetriesPerRequest: null` as BullMQ workers require. */
export function connectionOptions(queue: QueueUrl): { host: string; port: number; db: number; username?: string; password?: string; maxRetriesPerRequest: null } {
  return {
    host: queue.host,
    port: queue.port,
    db: queue.db,
    ...(queue.username !== undefined ? { username: queue.username } : {}),
    ...(queue.password !== undefined ? { password: queue.password } : {}),
    maxRetriesPerRequest: null,
  };
}
