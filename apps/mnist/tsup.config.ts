import { defineConfig } from 'tsup';

export default defineConfig({
  // network.ts is also an entry: the bench (bench/src/sparse.ts) trains the app's own network.
  entry: ['src/main.ts', 'src/network.ts'],
  format: ['esm'],
  clean: true,
  target: 'es2022',
  banner: { js: '#!/usr/bin/env node' },
});
