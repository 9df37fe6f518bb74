import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./fixtures/gpu-exit-child.ts', import.meta.url));
const EXIT_TIMEOUT_MS = 60_000;

describe('process lifetime', () => {
  it('a Node process exits by itself with code 0 after acquire, a kernel, and release()', async () => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CHILD], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const result = await new Promise<{ code: number | null; timedOut: boolean }>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve({ code: null, timedOut: true });
      }, EXIT_TIMEOUT_MS);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, timedOut: false });
      });
    });
    expect(result.timedOut, `child did not exit within ${EXIT_TIMEOUT_MS} ms\n${stdout}\n${stderr}`).toBe(false);
    expect(result.code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toContain('child done');
    expect(stdout).toContain('o[63]=190');
  });
});
