/**
 * One row of `npm run bench:generation-host` in one source tree (run with the tree's root as
 * working directory; copied into baseline trees, so it imports only public APIs that every
 * tree has). Argument: a JSON {@link HostCase}. Prints one line `GENERATION_HOST_SAMPLE {…}`.
 *
 * Generation runs as `generateDataset` runs it (pick-place, webgpu, `wide` worlds, 10 `narrow`
 * expert source demos). Every `GPUBuffer.mapAsync` is timed, and `GpuWait.run` where the tree
 * has it (it sleeps before it maps): on the webgpu backend the host waits there and only there
 * for the GPU. Host time is the wall time of the measured window less those waits.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset, recordExpertDemos } from '@gripgen/trajgen';
import { SAMPLE_PREFIX, type HostCase, type HostSample } from './protocol.js';


async function main(): Promise<void> {
  const c = JSON.parse(process.argv[2]!) as HostCase;
  const { globals } = (await import('webgpu')) as unknown as { globals: { GPUBuffer: { prototype: { mapAsync: (...a: unknown[]) => Promise<void> } } } };
  let open = false;
  let waitMs = 0;
  // Time spent waiting for the GPU: in mapAsync, and in GpuWait.run where the tree has it (its
  // sleep before the mapAsync is a wait too). Nested waits count once.
  let depth = 0;
  let since = 0;
  const timed = <A extends unknown[], R>(f: (this: unknown, ...a: A) => Promise<R>) =>
    function (this: unknown, ...args: A): Promise<R> {
      if (depth++ === 0) since = performance.now();
      return f.apply(this, args).finally(() => {
        if (--depth === 0 && open) waitMs += performance.now() - since;
      });
    };
  const buffer = globals.GPUBuffer.prototype;
  buffer.mapAsync = timed(buffer.mapAsync);
  const simCore = (await import('@gripgen/sim-core')) as { GpuWait?: { prototype: { run: (...a: unknown[]) => Promise<unknown> } } };
  if (simCore.GpuWait) simCore.GpuWait.prototype.run = timed(simCore.GpuWait.prototype.run);
  const demos = await recordExpertDemos({ count: 10, randomization: 'narrow', seed: 0 });
  const out = await mkdtemp(join(tmpdir(), 'gripgen-bench-generation-host-'));
  const abort = new AbortController();
  let from = { steps: 0, at: 0 };
  let to = { steps: 0, at: 0, wait: 0 };
  let successes = 0;
  let adapter: string | null = null;
  try {
    const stats = await generateDataset({
      demos,
      out,
      config: { numTrials: c.attempts, keepFailed: false },
      worlds: c.worlds,
      backend: 'webgpu',
      randomization: 'wide',
      seed: 1,
      signal: abort.signal,
      onProgress: (p) => {
        if (!open && p.steps >= c.warmSteps && p.steps > 0) {
          open = true;
          from = { steps: p.steps, at: performance.now() };
        }
        if (open && p.steps > to.steps) to = { steps: p.steps, at: performance.now(), wait: waitMs };
        successes = p.successes;
        if (c.steps !== null && open && p.steps - from.steps >= c.steps) abort.abort();
      },
    });
    adapter = stats.adapter;
  } catch (e) {
    if ((e as Error).name !== 'GenerationInterruptedError') throw e;
    adapter = (e as { stats?: { adapter: string | null } }).stats?.adapter ?? null;
  } finally {
    await rm(out, { recursive: true, force: true });
  }
  const windowSteps = to.steps - from.steps;
  const windowSeconds = (to.at - from.at) / 1000;
  const gpuWaitSeconds = to.wait / 1000;
  const worldSteps = windowSteps * c.worlds;
  const sample: HostSample = {
    ...c,
    fromStep: from.steps,
    windowSteps,
    worldSteps,
    windowSeconds,
    gpuWaitSeconds,
    hostSeconds: windowSeconds - gpuWaitSeconds,
    hostNsPerWorldStep: ((windowSeconds - gpuWaitSeconds) * 1e9) / worldSteps,
    successes,
    adapter,
  };
  process.stdout.write(`${SAMPLE_PREFIX}${JSON.stringify(sample)}\n`);
}

await main();
