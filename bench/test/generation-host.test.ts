import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/generation-host/main.js';
import { SAMPLE_PREFIX } from '../src/generation-host/protocol.js';
import { runChild } from '../src/trees/run-child.js';

describe('generation-host benchmark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gripgen-generation-host-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const tree = (entry: string) => ({ root: dir, childEntry: join(dir, entry), rapier: { name: 'none', version: '' } });

  it('runChild passes the case as JSON and returns the prefixed line of the child, run in the tree', async () => {
    writeFileSync(
      join(dir, 'echo.mjs'),
      `const c = JSON.parse(process.argv[2]);\nconsole.log('noise');\nconsole.log(${JSON.stringify(SAMPLE_PREFIX)} + JSON.stringify({ ...c, cwd: process.cwd() }));\n`,
    );
    const out = await runChild<{ worlds: number; cwd: string }>(tree('echo.mjs'), { worlds: 7 }, SAMPLE_PREFIX);
    expect(out.worlds).toBe(7);
    expect(out.cwd).toBe(dir);
  });

  it('runChild names the exit code and the end of stderr when the child fails or prints no sample', async () => {
    writeFileSync(join(dir, 'fail.mjs'), `console.error('first line');\nconsole.error('the reason');\nprocess.exit(3);\n`);
    await expect(runChild(tree('fail.mjs'), {}, SAMPLE_PREFIX)).rejects.toThrow(/exit 3: first line \| the reason/);
    writeFileSync(join(dir, 'silent.mjs'), `console.log('no sample here');\n`);
    await expect(runChild(tree('silent.mjs'), {}, SAMPLE_PREFIX)).rejects.toThrow(/exit 0/);
  });

  it('refuses unknown row sizes and bad round counts, naming what is allowed', async () => {
    await expect(main(['--worlds', '1024,777'])).rejects.toThrow(/--worlds: no row of 777 worlds; the rows are 1024, 8192, 65536/);
    await expect(main(['--rounds', '0'])).rejects.toThrow(/--rounds must be a whole number ≥ 1, got 0/);
  });
});
