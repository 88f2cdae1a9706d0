import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker thread's entry is a file of its own: `new Worker(url)` needs one.
  entry: ['src/index.ts', 'src/data-parallel-worker.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
