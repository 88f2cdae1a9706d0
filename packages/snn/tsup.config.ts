import { defineConfig } from 'tsup';

// Every entry only re-exports @snn/* packages, which stay external (they are dependencies).
export default defineConfig({
  entry: { index: 'src/index.ts', register: 'src/register.ts', node: 'src/node.ts', plot: 'src/plot.ts', 'plot-browser': 'src/plot-browser.ts' },
  format: ['esm'],
  // Not bundled: each file is copied through as it is (node.js keeps `export * from './index.js'`). Bundled,
  // esbuild turned the nested `export *` of external packages into runtime copies, or with code splitting
  // into a chunk imported for its side effects only — either way bundlers saw no exports.
  bundle: false,
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
