/**
 * `gripgen verify` on the shared damaged-dataset vectors (packages/trajgen/test/damaged-datasets):
 * 0 and a one-line summary for the sound dataset, 1 and a line naming the file and the mismatch
 * for every damaged copy, 2 for a bad command line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyCommand, type VerifyReport } from '../src/cli/verify-command.js';
import { DAMAGE_RULES } from '../../trajgen/test/damaged-datasets/damage-rules.js';
import { episodeWithNaN, writeSoundDataset } from '../../trajgen/test/damaged-datasets/sound-dataset.js';
import { writeDamagedDatasets, type DamagedDatasets } from '../../trajgen/test/damaged-datasets/write-damaged-datasets.js';
import { gripgenProcess } from './cli-process.js';

const scratch = mkdtempSync(join(tmpdir(), 'gripgen-verify-'));
const withNaN = join(scratch, 'nan');
let written: DamagedDatasets;
beforeAll(async () => {
  written = await writeDamagedDatasets(join(scratch, 'vectors'));
  await writeSoundDataset(withNaN, episodeWithNaN);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the gripgen CLI in a child process. */
const gripgen = (...args: string[]) => gripgenProcess(args, { timeoutMs: 110_000 });

/** Runs `gripgen verify` in this process; returns its exit code and what it printed. */
async function verifyHere(...args: string[]) {
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  try {
    return { status: await verifyCommand(args), stdout };
  } finally {
    spy.mockRestore();
  }
}

describe('gripgen verify', () => {
  it('a sound dataset: exit 0 and a one-line summary; --json gives the report', async () => {
    const r = await gripgen('verify', written.sound);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${written.sound}: sound, 7 episodes, 31 steps, 3 of 3 shards OK (pick-place, complete)\n`);

    const json = await gripgen('verify', '--json', written.sound);
    expect(json.status, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as VerifyReport;
    expect(report).toMatchObject({ dataset: written.sound, ok: true, taskId: 'pick-place', complete: true, shards: 3, shardsOk: 3, episodes: 7, steps: 31, problems: [] });
  });

  it('a damaged dataset: exit 1 and one line per problem, naming the file and the mismatch', async () => {
    for (const name of ['shard-path-escape', 'obs-names-short']) {
      const vector = written.vectors.find((v) => v.name === name)!;
      const r = await gripgen('verify', vector.dir);
      expect(r.status, r.stderr).toBe(1);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toContain(`${vector.file}: `);
      expect(lines[0]).toContain(vector.message);
      // One line per record whose obs rows are wider than obsNames says: all 7 of them.
      expect(lines).toHaveLength(name === 'obs-names-short' ? 7 : 1);
    }
    const nan = await gripgen('verify', '--json', withNaN);
    expect(nan.status).toBe(1);
    const report = JSON.parse(nan.stdout) as VerifyReport;
    expect(report).toMatchObject({ ok: false, shards: 3, shardsOk: 2 });
    expect(report.problems).toEqual([
      {
        file: join(withNaN, 'shards/shard-00001.msgpack'),
        shard: 1,
        record: 0,
        message: `${join(withNaN, 'shards/shard-00001.msgpack')}: record 0 (attempt 4) at byte offset 0 holds non-finite values: obs 1 (first at step 1, "cube_x" = NaN)`,
      },
    ]);
  });

  it.each(DAMAGE_RULES.map((rule) => rule.name))('exits 1 on the %s vector, naming the file and the mismatch', async (name) => {
    const vector = written.vectors.find((v) => v.name === name)!;
    const text = await verifyHere(vector.dir);
    expect(text.status).toBe(1);
    expect(text.stdout.split('\n').some((line) => line.includes(vector.file) && line.includes(vector.message)), text.stdout).toBe(true);
    const json = await verifyHere('--json', vector.dir);
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as VerifyReport;
    expect(report.ok).toBe(false);
    expect(report.problems.some((p) => p.file === vector.file && p.message.includes(vector.message))).toBe(true);
  });

  it('a bad command line: exit 2, one line saying what is wrong; --help prints the usage', async () => {
    const cases = [
      [[], /gripgen verify: give the dataset directory to verify/],
      [[written.sound, written.sound], /give exactly one dataset directory, got 2/],
      [[join(scratch, 'nowhere')], /nowhere does not exist; give a dataset directory/],
      [[join(written.root, 'vectors.json')], /vectors\.json is a file; give a dataset directory/],
      [['--jsn', written.sound], /unknown option --jsn; the options are --json, --help/],
    ] as const;
    for (const [args, message] of cases) {
      const r = await gripgen('verify', ...args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const help = await gripgen('verify', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: gripgen verify [--json] <dataset>');
    expect((await gripgen('--help')).stdout).toMatch(/\n {2}verify +check a dataset completely/);
  });
});
