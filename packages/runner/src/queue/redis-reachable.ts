/**
 * Fails fast when the queue's Redis cannot be reached: the commands that talk to it once
 * (`generate --queue`, `status`) would otherwise wait for it forever (BullMQ's connections retry
 * without end, as a worker's should).
 */
import { Redis } from 'ioredis';
import { connectionOptions, type QueueUrl } from './queue-url.js';

/** Seconds to wait for the connection and a PING. */
const CONNECT_SECONDS = 5;

/**
 * Connects to `url` once and sends PING; throws an Error naming the URL, what went wrong, and
 * how to start a Redis when none answers.
 */
export async function checkRedisReachable(url: QueueUrl): Promise<void> {
  const { maxRetriesPerRequest: _ignored, ...options } = connectionOptions(url);
  const client = new Redis({ ...options, lazyConnect: true, connectTimeout: CONNECT_SECONDS * 1000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // The first socket error says why (ECONNREFUSED, …); connect() itself only rejects with 'Connection is closed'.
  let socketError: Error | null = null;
  client.on('error', (error: Error) => (socketError ??= error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const message = ((socketError as Error | null) ?? (error as Error)).message;
    throw new Error(
      `cannot reach the queue's Redis at ${url.url}: ${message}` +
        (/ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|timeout/i.test(message) ? ` (is redis-server running there and listening on ${url.host}:${url.port}? e.g. redis-server --port ${url.port} --appendonly yes)` : ''),
      { cause: error },
    );
  } finally {
    client.disconnect();
  }
}
