/**
 * The browser page (web/): `pnpm build:web` writes it to dist-web/, `pnpm dev:web` serves it live.
 * Paths are relative (`base: './'`), so dist-web/ can be served from any folder of any static server.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { mnistDataPlugin } from './web-build/data-plugin.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('./web'),
  base: './',
  publicDir: here('./web/public'),
  plugins: [mnistDataPlugin()],
  // The training Web Workers (web/train-worker.ts) import the fused-kernel packages, which use a top-level
  // await: only ES-module workers allow it.
  worker: { format: 'es' },
  build: {
    outDir: here('./dist-web'),
    emptyOutDir: true,
    // The fused-kernel packages compile their wasm with a top-level await.
    target: 'es2022',
    // tfjs is large; one warning about it says nothing new.
    chunkSizeWarningLimit: 4096,
  },
});
