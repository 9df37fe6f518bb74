import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundlePage, staticallyLoadedInputs } from '../src/browser/bundle-page.js';
import { ChromeNotFoundError, findChrome } from '../src/browser/launch-chrome.js';
import { ChromeBench } from '../src/webgpu-throughput/chrome-bench.js';

const PAGE_ENTRY = fileURLToPath(new URL('../src/webgpu-throughput/page-entry.ts', import.meta.url));

describe('Chrome launcher', () => {
  it('names everything it tried when no Chrome is found', () => {
    let error: unknown;
    try {
      findChrome({ PATH: '/nonexistent-bin' }, ['/nonexistent/chromium', 'no-such-chrome']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ChromeNotFoundError);
    const message = (error as Error).message;
    expect(message).toContain('CHROME_PATH');
    expect(message).toContain('/nonexistent/chromium');
    expect(message).toContain('no-such-chrome on $PATH');
    expect(message).toContain('apt-get install chromium');
  });

  it('rejects a CHROME_PATH that is not an executable', () => {
    expect(() => findChrome({ CHROME_PATH: '/nonexistent/chrome' })).toThrow(/CHROME_PATH=\/nonexistent\/chrome is not an executable/);
  });
});

describe('WebGPU benchmark page', () => {
  it('bundles without loading Rapier, worker threads or Dawn before the first createSim', async () => {
    const bundle = await bundlePage(PAGE_ENTRY);
    const loaded = [...staticallyLoadedInputs(bundle)];
    expect(loaded.some((f) => f.endsWith('packages/sim-core/src/sim/sim.ts'))).toBe(true);
    expect(loaded.filter((f) => /rapier3d|rapier-backend|shard-pool|node-adapter|[\\/]webgpu[\\/]dist/.test(f))).toEqual([]);
  });

  it('measures 1 world for 2 steps in headless Chrome on SwiftShader', async () => {
    const chrome = await ChromeBench.start();
    try {
      const timing = { minWarmupSteps: 1, minWarmupSeconds: 0, warmupWindowSeconds: 0, maxWarmupSeconds: 0, minSteps: 2, minSeconds: 0, minRounds: 1 };
      const result = await chrome.measure({
        backend: 'webgpu',
        numWorlds: 1,
        seed: 0,
        episodeSteps: 10,
        modes: ['readback', 'no-readback'],
        timing,
      });
      expect(result.adapter).toMatchObject({ vendor: 'google', architecture: 'swiftshader', isSoftware: true });
      expect(result.modes.map((m) => [m.mode, m.rounds.rounds.length, m.steps, m.readbacks])).toEqual([
        ['readback', 1, 2, 2],
        ['no-readback', 1, 2, 1],
      ]);
      for (const m of result.modes) {
        expect(Number.isFinite(m.worldStepsPerSecond)).toBe(true);
        expect(m.worldStepsPerSecond).toBeGreaterThan(0);
      }
    } finally {
      await chrome.close();
    }
  });
});
