import { defineConfig } from 'tsup';

export default defineConfig({
  // The command line, the modules the benchmark (bench/) imports as a user would, and train-worker: the
  // module each training worker thread imports (--workers).
  entry: ['src/main.ts', 'src/config.ts', 'src/model.ts', 'src/train.ts', 'src/train-worker.ts'],
  format: ['esm'],
  clean: true,
  target: 'es2022',
  banner: { js: '#!/usr/bin/env node' },
});
