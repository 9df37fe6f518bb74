import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'bench/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    // Generous: SwiftShader runs the WGSL on the CPU, and a busy 2-core machine is slow.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // CI machines have 2 cores; the Rapier tests start their own worker threads.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
