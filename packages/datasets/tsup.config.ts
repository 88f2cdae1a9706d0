import { defineConfig } from 'tsup';

export default defineConfig({
  // Two entries: the browser-safe core, and the Node loaders (files, the bundled `mnist` package).
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
