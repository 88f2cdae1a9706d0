/**
 * One vitest configuration for every package, so that each package's run writes its results where
 * `scripts/test-all.mjs` sums them into the single `N passed, N failed` line that CI reads.
 */
import type { ViteUserConfig } from 'vitest/config';

export function sharedTestConfig(packageName: string): ViteUserConfig {
  return {
    test: {
      name: packageName,
      include: ['src/**/*.test.ts'],
      // Separate processes: WebGPU (Dawn) and the wasm backend hold native/global state per process.
      pool: 'forks',
      maxWorkers: 2,
      testTimeout: 120_000,
      hookTimeout: 120_000,
      reporters: ['default', 'json'],
      outputFile: { json: 'test-results/vitest.json' },
    },
  };
}
