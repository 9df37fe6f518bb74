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

const queueUrlSchema = z.object({
  protocol: z.literal('redis:', { error: 'must be redis:// (rediss:// and unix sockets are not supported)' }),
  host: z.string().min(1, { error: 'must name a host, e.g. redis://10.0.0.5:6379/0' }),
  port: z.number().int().min(1).max(65535, { error: 'must be an integer in [1, 65535]' }),
  db: z.number().int().min(0, { error: 'must be an integer >= 0' }).max(15, { error: 'must be an integer in [0, 15] (Redis default databases)' }),
});

/**
 * Parses `redis://[user:password@]host[:port][/db]` (port 6379 and db 0 by default). Throws an
 * Error naming the part that is wrong, the value given and what is allowed.
 */
export function parseQueueUrl(text: string): QueueUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--queue must be a URL redis://host:port/db, got "${text}"`);
  }
  const dbText = url.pathname.replace(/^\//, '');
  const raw = {
    protocol: url.protocol,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? 6379 : Number(url.port),
    db: dbText === '' ? 0 : /^\d+$/.test(dbText) ? Number(dbText) : NaN,
  };
  const parsed = queueUrlSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const field = String(issue.path[0]);
      const given = field === 'db' ? JSON.stringify(dbText) : JSON.stringify(raw[field as keyof typeof raw]);
      return `${field} ${issue.message}, got ${given}`;
    });
    throw new Error(`--queue "${text}": ${lines.join('; ')}`);
  }
  return {
    url: text,
    ...parsed.data,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
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
