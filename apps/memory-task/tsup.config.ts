import { defineConfig } from 'tsup';

export default defineConfig({
  // train-worker: the module each training worker thread imports (--workers).
  entry: ['src/main.ts', 'src/train-worker.ts'],
  format: ['esm'],
  clean: true,
  target: 'es2022',
  banner: { js: '#!/usr/bin/env node' },
});
