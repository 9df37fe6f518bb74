/**
 * The queue commands' command-line errors, without a Redis: a bad or missing --queue is a usage
 * error (exit 2) naming the part that is wrong; an unreachable Redis fails at once (exit 1)
 * naming the URL and the reason instead of waiting for it; merge of a directory without a queued
 * run says so (exit 1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gripgenProcess } from './cli-process.js';
import { freePort } from './redis-server.js';

const scratch = mkdtempSync(join(tmpdir(), 'gripgen-queue-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('queue commands without a Redis', () => {
  it('usage errors, an unreachable Redis, a directory without a queued run', async () => {
    const port = await freePort();
    const [noQueue, badUrl, unreachable, notQueued, missingSource] = await Promise.all([
      gripgenProcess(['worker']),
      gripgenProcess(['status', '--queue', 'redis://127.0.0.1:99999/0']),
      gripgenProcess(['status', '--queue', `redis://127.0.0.1:${port}/0`]),
      gripgenProcess(['merge', scratch]),
      gripgenProcess(['generate', '--source', join(scratch, 'none'), '--out', join(scratch, 'out'), '--queue', `redis://127.0.0.1:${port}/0`]),
    ]);
    expect(noQueue.status).toBe(2);
    expect(noQueue.stderr).toBe('gripgen worker: --queue redis://host:port/db is required (see gripgen worker --help)\n');
    expect(badUrl.status).toBe(2);
    expect(badUrl.stderr).toContain('port must be an integer in [1, 65535], got "99999"');
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toContain(`cannot reach the queue's Redis at redis://127.0.0.1:${port}/0: connect ECONNREFUSED`);
    expect(notQueued.status).toBe(1);
    expect(notQueued.stderr).toContain('holds no queued generation');
    // The source is read first: a missing one is reported before the queue is looked at.
    expect(missingSource.status).toBe(1);
    expect(missingSource.stderr).toContain('source demos: cannot read');
  }, 120_000);
});
