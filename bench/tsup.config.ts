import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/main.ts', 'src/worker.ts', 'src/bound-worker.ts', 'src/profile-mnist.ts', 'src/sparse.ts'],
  format: ['esm'],
  clean: true,
  target: 'es2022',
});
