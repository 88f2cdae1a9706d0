import { defineConfig } from 'tsup';

// The docs tooling: `pnpm docs` (build.js) and `pnpm --filter @snn/docs block <n>` (block.js). Not a library.
export default defineConfig({
  entry: { build: 'src/build.ts', block: 'src/block.ts' },
  format: ['esm'],
  dts: false,
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
