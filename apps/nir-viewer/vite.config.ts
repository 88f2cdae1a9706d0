/**
 * The page (web/): `pnpm build:web` writes it to dist-web/, `pnpm dev:web` serves it live. Paths are
 * relative (`base: './'`), so dist-web/ can be served from any folder of any static server.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('./web'),
  base: './',
  build: {
    outDir: here('./dist-web'),
    emptyOutDir: true,
    // The fused-kernel packages compile their wasm with a top-level await.
    target: 'es2022',
    // tfjs and h5wasm are large; one warning about it says nothing new.
    chunkSizeWarningLimit: 8192,
  },
});
