import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The library: `@snn/plot` (Node: specs + renderSvg/renderPng) and `@snn/plot/browser` (specs + embed).
    entry: ['src/index.ts', 'src/browser.ts'],
    format: ['esm'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
  },
  {
    // The gallery script (`pnpm --filter @snn/plot gallery <dir>`): not part of the published API.
    entry: { gallery: 'src/gallery/main.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
    sourcemap: true,
    target: 'es2022',
    external: ['@snn/functional', '@snn/tensor', '@tensorflow/tfjs'],
  },
]);
