import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GPU_NOTICES_ENV } from '@gripgen/sim-core';

/**
 * Keeps GPU driver noise out of the CLI's normal output (shown again with `--verbose`).
 *
 * Where the lines come from:
 * - `error: XDG_RUNTIME_DIR is invalid or not set in the environment.` is libwayland-client's:
 *   the Vulkan drivers Dawn loads (SwiftShader, Mesa) probe for a Wayland display while their
 *   window-system support initialises, from native code, straight to the process's stderr. It is
 *   printed only when `$XDG_RUNTIME_DIR` is unset or not a directory; with a private empty
 *   directory the probe fails silently (no Wayland socket there). So when the variable is unset
 *   or invalid, it is pointed at a fresh private directory (mode 0700, removed at exit) before
 *   any driver loads; child processes and worker threads inherit it. A valid one is left alone.
 * - Dawn's `Warning: Vulkan shaderUniform*ArrayDynamicIndexing required` is Dawn rejecting Mesa's
 *   llvmpipe while looking for a hardware adapter; sim-core skips that probe on Linux machines
 *   without a GPU device node (see its node-adapter.ts), so it is not printed there.
 * - gripgen's own `no hardware GPU adapter; using SwiftShader` notice: silenced through
 *   `$GRIPGEN_GPU_NOTICES=off` (the reports name the adapter anyway).
 */
export function quietDriverNoise(): void {
  if (process.env[GPU_NOTICES_ENV] === undefined) process.env[GPU_NOTICES_ENV] = 'off';
  if (validRuntimeDir(process.env.XDG_RUNTIME_DIR)) return;
  const dir = mkdtempSync(join(tmpdir(), 'gripgen-xdg-'));
  process.env.XDG_RUNTIME_DIR = dir;
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
}

/** libwayland's test: an absolute path to a directory. */
function validRuntimeDir(dir: string | undefined): boolean {
  if (!dir || !dir.startsWith('/')) return false;
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
