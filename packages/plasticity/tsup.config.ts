import { defineConfig } from 'tsup';

export default defineConfig({
  // `example` is the runnable README example (`pnpm --filter @snn/plasticity example`), not part of the API.
  entry: { index: 'src/index.ts', example: 'src/examples/main.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
