import { defineConfig } from 'tsup';

export default defineConfig({
  // The command line, and the modules the benchmark (bench/) imports as a user would.
  entry: ['src/main.ts', 'src/network.ts'],
  format: ['esm'],
  clean: true,
  target: 'es2022',
  banner: { js: '#!/usr/bin/env node' },
});
