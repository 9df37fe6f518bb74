/**
 * `gripgen export` as a user runs it: exit 0 and a summary, exit 1 for an existing output
 * (naming it and --force), exit 2 for a bad command line (naming the option, the value and
 * what is allowed). The formats' contents are tested in packages/trajgen/test/export-*.test.ts.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeSoundDataset } from '../../trajgen/test/damaged-datasets/sound-dataset.js';
import { runCli } from '../src/cli/dispatch.js';
import { EXPORT_FORMATS } from '../src/cli/export-command.js';
import { gripgenProcess } from './cli-process.js';

const scratch = mkdtempSync(join(tmpdir(), 'gripgen-export-cli-'));
const dataset = join(scratch, 'dataset');
beforeAll(async () => {
  await writeSoundDataset(dataset);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the gripgen CLI in this process (fast); returns its exit code and what it printed. */
async function gripgen(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { status: await runCli(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('gripgen export', () => {
  it.each(EXPORT_FORMATS)('--format %s writes the export, then refuses to overwrite it without --force', async (format) => {
    const out = join(scratch, format);
    const r = await gripgen('export', dataset, '--format', format, '--out', out, '--json');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ format, episodes: 7, trainEpisodes: 6, validEpisodes: 1, obsKeys: ['eef', 'cube'] });
    expect(existsSync(report.path)).toBe(true);

    const again = await gripgen('export', dataset, '--format', format, '--out', out);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already exists.*--force/);
    const forced = await gripgen('export', dataset, '--format', format, '--out', out, '--force');
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/^wrote .*: 7 episodes, 31 frames \(6 train, 1 valid\); obs keys eef, cube\n$/);
  });

  it('a bad command line: exit 2, naming the option, the value and what is allowed', async () => {
    const badFormat = await gripgenProcess(['export', dataset, '--format', 'rlds', '--out', join(scratch, 'x')]);
    expect(badFormat.status).toBe(2);
    expect(badFormat.stderr).toContain(`--format must be one of ${EXPORT_FORMATS.join(', ')}; got "rlds"`);
    const noOut = await gripgen('export', dataset, '--format', 'robomimic');
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toContain('--out <dir> is required');
    const fraction = await gripgen('export', dataset, '--format', 'robomimic', '--out', join(scratch, 'y'), '--valid-fraction', '1.5');
    expect(fraction.status).toBe(2);
    expect(fraction.stderr).toContain('--valid-fraction must be a number in [0, 1), got "1.5"');
    const missing = await gripgen('export', join(scratch, 'nope'), '--format', 'robomimic', '--out', join(scratch, 'z'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('does not exist; give a dataset directory');
  });
});
