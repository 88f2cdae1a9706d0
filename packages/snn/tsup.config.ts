import { defineConfig } from 'tsup';

// Every entry only re-exports @snn/* packages, which stay external (they are dependencies).
export default defineConfig({
  entry: { index: 'src/index.ts', register: 'src/register.ts', node: 'src/node.ts', plot: 'src/plot.ts', 'plot-browser': 'src/plot-browser.ts' },
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
